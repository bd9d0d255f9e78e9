import type { Logger } from '../../../log.ts';

/**
 * How to start the emulator. Every default is fixed, so a test, the demo and the CLI all see
 * the same ad account, token and app; the CLI prints them at start.
 */
export interface MetaEmulatorOptions {
  /** Default 0: an ephemeral port; read the chosen one from `emulator.url`. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The seeded user token, valid until expired or revoked through `control`. */
  accessToken?: string;
  /** The seeded ad account, with or without `act_`, e.g. `act_1000000000000001`. */
  adAccountId?: string;
  appId?: string;
  appSecret?: string;
  /**
   * `rows` (default) keeps every member row for inspection; `digests` keeps a 16-byte digest
   * per row so a million-member benchmark fits in the same process. Digests remove only rows
   * sent identically, and the inspection route then reports counts only.
   */
  storage?: 'rows' | 'digests';
  /** Custom-audience calls allowed per ad account and hour before 80003. Default 190,000. */
  usageBudgetPerHour?: number;
  /** Milliseconds since the epoch. Default Date.now; tests pass their own to move time. */
  clock?: () => number;
  /** Requests kept for `/_emulator/requests`. Default 200 with `rows`, 0 with `digests`. */
  requestLogSize?: number;
  /** One debug line per request (method, path, status); never tokens or rows. Default silent. */
  log?: Logger;
}

export const EMULATOR_DEFAULTS = {
  host: '127.0.0.1',
  port: 0,
  accessToken: 'EAAEmulatorUserToken0000000000000001',
  adAccountId: '1000000000000001',
  appId: '1000000000000002',
  appSecret: 'emulator-app-secret-0000000000001',
  userId: '1000000000000003',
  businessId: '1000000000000004',
  usageBudgetPerHour: 190_000,
} as const;

export interface EmulatorConfig {
  host: string;
  port: number;
  accessToken: string;
  /** Numeric, without `act_`. */
  accountId: string;
  appId: string;
  appSecret: string;
  userId: string;
  businessId: string;
  storage: 'rows' | 'digests';
  usageBudgetPerHour: number;
  clock: () => number;
  requestLogSize: number;
  log: Logger | undefined;
}

export function resolveOptions(options: MetaEmulatorOptions): EmulatorConfig {
  const storage = options.storage ?? 'rows';
  const accountId = (options.adAccountId ?? EMULATOR_DEFAULTS.adAccountId).replace(/^act_/, '');
  if (!/^\d+$/.test(accountId)) {
    const given = options.adAccountId;
    throw new Error(`adAccountId must be digits, optionally after act_; got ${given}`);
  }

  const budget = options.usageBudgetPerHour ?? EMULATOR_DEFAULTS.usageBudgetPerHour;
  if (!Number.isInteger(budget) || budget < 1) {
    throw new Error(`usageBudgetPerHour must be a positive integer; got ${budget}`);
  }

  return {
    host: options.host ?? EMULATOR_DEFAULTS.host,
    port: options.port ?? EMULATOR_DEFAULTS.port,
    accessToken: options.accessToken ?? EMULATOR_DEFAULTS.accessToken,
    accountId,
    appId: options.appId ?? EMULATOR_DEFAULTS.appId,
    appSecret: options.appSecret ?? EMULATOR_DEFAULTS.appSecret,
    userId: EMULATOR_DEFAULTS.userId,
    businessId: EMULATOR_DEFAULTS.businessId,
    storage,
    usageBudgetPerHour: budget,
    clock: options.clock ?? Date.now,
    requestLogSize: options.requestLogSize ?? (storage === 'digests' ? 0 : 200),
    log: options.log,
  };
}
