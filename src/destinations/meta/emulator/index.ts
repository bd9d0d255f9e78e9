import { makeControl, type MetaEmulatorControl } from './control.ts';
import { resolveOptions, type MetaEmulatorOptions } from './options.ts';
import { listen, stop } from './server.ts';
import { EmulatorState } from './state.ts';

export type { MetaEmulatorControl } from './control.ts';
export type { InjectedFailure } from './faults.ts';
export type { MemberRow } from './membership.ts';
export { EMULATOR_DEFAULTS, type MetaEmulatorOptions } from './options.ts';
export type { LoggedRequest } from './request-log.ts';
export type { AudienceRowsView } from './routes/inspection.ts';

/** A running Meta Graph API emulator. Point the Graph base URL at `url`, version prefix and all. */
export interface MetaEmulator {
  /** e.g. `http://127.0.0.1:40123`; calls go to `${url}/v25.0/...`. */
  url: string;
  /** With the prefix: `act_1000000000000001`. */
  adAccountId: string;
  accessToken: string;
  appId: string;
  appSecret: string;
  control: MetaEmulatorControl;
  close(): Promise<void>;
}

/**
 * Starts an in-memory stand-in for the parts of the Graph API that customer-file custom
 * audiences use (meta-graph-api.md §2–§8), on 127.0.0.1 and an ephemeral port by default:
 *
 *   const meta = await startMetaEmulator();
 *   const token = `access_token=${meta.accessToken}`;
 *   await fetch(`${meta.url}/v25.0/${meta.adAccountId}?fields=name&${token}`);
 *   await meta.close();
 */
export async function startMetaEmulator(options: MetaEmulatorOptions = {}): Promise<MetaEmulator> {
  const config = resolveOptions(options);
  const state = new EmulatorState(config);
  const { server, url } = await listen(state);
  state.baseUrl = url;

  return {
    url,
    adAccountId: `act_${config.accountId}`,
    accessToken: config.accessToken,
    appId: config.appId,
    appSecret: config.appSecret,
    control: makeControl(state),
    close: () => stop(server),
  };
}
