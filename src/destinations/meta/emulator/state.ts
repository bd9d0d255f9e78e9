import type { AudienceRecord } from './audience.ts';
import { DEFAULT_PERMISSIONS, PermissionGrant, TokenRegistry } from './auth.ts';
import { FaultPlan } from './faults.ts';
import { makeMembership } from './membership.ts';
import type { EmulatorConfig } from './options.ts';
import { RequestLog } from './request-log.ts';
import { SessionBook, settleReplace } from './sessions.ts';
import { UsageMeter } from './usage.ts';

/** Meta's limit of customer-file audiences per ad account (guide FAQ; v24 param doc). */
export const MAX_CUSTOM_AUDIENCES = 500;

export interface NewAudience {
  name: string;
  description?: string;
  customerFileSource?: string;
  retentionDays?: number;
  isValueBased?: boolean;
  optOutLink?: string;
  audienceLabels?: string[];
  origin: AudienceRecord['origin'];
}

/** A code from the login dialog, waiting to be exchanged for a token. */
export interface AuthorizationCode {
  redirectUri: string;
  scopes: string[];
  createdAt: number;
  used: boolean;
}

/** Everything one emulator instance knows: one user, one ad account, its audiences. */
export class EmulatorState {
  readonly config: EmulatorConfig;
  readonly tokens: TokenRegistry;
  readonly grant = new PermissionGrant(DEFAULT_PERMISSIONS);
  readonly audiences = new Map<string, AudienceRecord>();
  readonly sessions = new SessionBook();
  readonly usage: UsageMeter;
  readonly faults = new FaultPlan();
  readonly requestLog: RequestLog;
  readonly codes = new Map<string, AuthorizationCode>();
  /** Set once the server listens: links in pages and `paging.next` point here. */
  baseUrl = '';
  termsAccepted = true;
  #audienceCount = 0;
  // Ids differ from one emulator start to the next, as Meta never hands one out twice.
  readonly #audienceIdBase = 23_850_000_000_000_000n + BigInt(Date.now() % 1_000_000_000) * 1_000n;
  #traceCount = 0;
  #codeCount = 0;

  constructor(config: EmulatorConfig) {
    this.config = config;
    this.tokens = new TokenRegistry(config.appId, config.appSecret, config.clock);
    this.tokens.seed(config.accessToken);
    this.usage = new UsageMeter(config.usageBudgetPerHour, config.clock);
    this.requestLog = new RequestLog(config.requestLogSize);
  }

  now(): number {
    return this.config.clock();
  }

  nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }

  get termsUrl(): string {
    return `${this.baseUrl}/ads/manage/customaudiences/tos/?act=${this.config.accountId}`;
  }

  createAudience(fields: NewAudience): AudienceRecord {
    this.#audienceCount += 1;
    const now = this.nowSeconds();
    const audience: AudienceRecord = {
      id: String(this.#audienceIdBase + BigInt(this.#audienceCount)),
      accountId: this.config.accountId,
      seq: this.#audienceCount,
      name: fields.name,
      description: fields.description,
      subtype: 'CUSTOM',
      customerFileSource: fields.customerFileSource,
      retentionDays: fields.retentionDays,
      isValueBased: fields.isValueBased ?? false,
      optOutLink: fields.optOutLink,
      audienceLabels: fields.audienceLabels,
      timeCreated: now,
      timeUpdated: now,
      timeContentUpdated: now,
      origin: fields.origin,
      flagged: false,
      dataSource: null,
      schemaKeys: [],
      members: makeMembership(this.config.storage),
      uploaded: false,
      replaceSessionId: null,
    };
    this.audiences.set(audience.id, audience);
    return audience;
  }

  /** A live audience, with any overdue replace settled first; undefined when unknown or deleted. */
  findAudience(id: string): AudienceRecord | undefined {
    const audience = this.audiences.get(id);
    if (audience) settleReplace(audience, this.sessions, this.now());
    return audience;
  }

  deleteAudience(id: string): boolean {
    return this.audiences.delete(id);
  }

  /** Newest first, as Graph lists an ad account's audiences. */
  listAudiences(): AudienceRecord[] {
    return [...this.audiences.values()].sort((a, b) => b.seq - a.seq);
  }

  nextTraceId(): string {
    this.#traceCount += 1;
    return `AEmu${this.#traceCount.toString(36).padStart(7, '0')}`;
  }

  nextCode(): string {
    this.#codeCount += 1;
    return `EmulatorAuthCode${String(this.#codeCount).padStart(8, '0')}`;
  }
}
