import { LONG_LIVED_SECONDS } from './auth.ts';
import type { RevocationSubcode } from './errors.ts';
import type { InjectedFailure } from './faults.ts';
import type { MemberRow } from './membership.ts';
import type { LoggedRequest } from './request-log.ts';
import { audienceRows, loggedRequests, type AudienceRowsView } from './routes/inspection.ts';
import type { EmulatorState } from './state.ts';

/**
 * In-process levers for tests: the things that happen at Meta without an API call (a token
 * expiring, terms not accepted, an audience deleted in Ads Manager) and injected failures.
 * Deliberately not reachable over HTTP.
 */
export interface MetaEmulatorControl {
  /** The token (default: the seeded one) now fails with 190/463. */
  expireToken(token?: string): void;
  /**
   * The token now fails with 190 and this subcode: 460 password changed (default),
   * 458 app removed, 467 logged out.
   */
  revokeToken(token?: string, subcode?: RevocationSubcode): void;
  /** The user declines a permission, e.g. ads_management; calls needing it fail with 200. */
  removePermission(name: string): void;
  grantPermission(name: string): void;
  /** false: creates and uploads fail with 200/1870090 and `tos_accepted` reads `{}`. */
  setTermsAccepted(accepted: boolean): void;
  /** Operation status 471: uploads fail with 100/1713230, edits with 100/1713228. */
  flagAudience(audienceId: string): void;
  /** As if deleted in Ads Manager: every later call on it answers 100/33. */
  deleteAudience(audienceId: string): void;
  failNext(failure: InjectedFailure): void;
  /** Forgets every failure planned with failNext that has not happened yet. */
  clearFailures(): void;
  /** Sets the hour's custom_audience usage; 100 throttles with 80003. */
  setUsage(percent: number): void;
  /** A new valid user token for the same user, as after logging in again; long-lived by default. */
  issueToken(lifetimeSeconds?: number): string;
  /** An audience someone made in Ads Manager, optionally with members. */
  createAudienceDirectly(
    name: string,
    options?: { description?: string; isValueBased?: boolean; rows?: MemberRow[] },
  ): { id: string; name: string };
  /** The audience's member rows, sorted, non-empty cells only; throws with `storage: 'digests'`. */
  rows(audienceId: string): MemberRow[];
  /** What `GET /_emulator/audiences/{id}/rows` answers: schema keys, count, rows unless digests. */
  inspectAudience(audienceId: string): AudienceRowsView;
  requests(limit?: number): LoggedRequest[];
  clearRequests(): void;
}

export function makeControl(state: EmulatorState): MetaEmulatorControl {
  const seeded = state.config.accessToken;
  const liveAudience = (id: string) => {
    const audience = state.findAudience(id);
    if (!audience) throw new Error(`The emulator has no live audience ${id}`);
    return audience;
  };

  const inspect = (id: string) => {
    const view = audienceRows(state, id);
    if (!view) throw new Error(`The emulator has no live audience ${id}`);
    return view;
  };

  return {
    expireToken: (token = seeded) => state.tokens.expire(token),
    revokeToken: (token = seeded, subcode = 460) => state.tokens.revoke(token, subcode),
    removePermission: (name) => state.grant.decline(name),
    grantPermission: (name) => state.grant.grant([name]),
    setTermsAccepted: (accepted) => {
      state.termsAccepted = accepted;
    },
    flagAudience: (id) => {
      liveAudience(id).flagged = true;
    },
    deleteAudience: (id) => {
      liveAudience(id);
      state.deleteAudience(id);
    },
    issueToken: (lifetimeSeconds = LONG_LIVED_SECONDS) => state.tokens.issue(lifetimeSeconds).token,
    failNext: (failure) => state.faults.add(failure),
    clearFailures: () => state.faults.clear(),
    setUsage: (percent) => state.usage.set(percent),
    createAudienceDirectly: (name, options = {}) => {
      const audience = state.createAudience({
        name,
        description: options.description,
        customerFileSource: 'USER_PROVIDED_ONLY',
        isValueBased: options.isValueBased,
        origin: 'ads_manager',
      });
      if (options.rows && options.rows.length > 0) {
        for (const row of options.rows) audience.members.add(row);
        audience.dataSource = 'MULTI_HASHES';
        audience.schemaKeys = [...new Set(options.rows.flatMap((row) => Object.keys(row)))];
        audience.uploaded = true;
      }
      return { id: audience.id, name: audience.name };
    },
    rows: (id) => {
      const { rows } = inspect(id);
      if (rows) return rows;
      throw new Error('Only digests are kept (storage: digests); use inspectAudience for counts');
    },
    inspectAudience: (id) => inspect(id),
    requests: (limit) => loggedRequests(state, limit),
    clearRequests: () => state.requestLog.clear(),
  };
}
