import { parseUsageHeaders } from './usage.ts';
import { GraphErrorBody } from './wire.ts';

/**
 * The one place that reads Meta's error codes (meta-graph-api.md §6). Every
 * failure of a Graph call, vendor error or network fault, becomes a
 * GraphApiError that says what the runner does next. Nothing else in the
 * codebase looks at Graph codes; it looks at `action` and `reason`.
 */

/**
 * - retry: try again soon with backoff (transient fault)
 * - retry_later: try again after `retryAfterMs` (throttled, or Meta is busy with the audience)
 * - reconnect: the destination is unusable until the user reconnects or fixes the account
 * - target_gone: the Meta audience is deleted, unshared or flagged; the sync is invalid
 * - reject_rows: the rows of this request were refused as sent; record them and go on
 * - fail: this operation cannot succeed as it is; stop it and show `userMessage`
 */
export type GraphErrorAction =
  | 'retry'
  | 'retry_later'
  | 'reconnect'
  | 'target_gone'
  | 'reject_rows'
  | 'fail';

export type GraphErrorReason =
  | 'token_expired'
  | 'token_invalid'
  | 'user_action_required'
  | 'permission_missing'
  | 'terms_not_accepted'
  | 'ad_account_unusable'
  | 'audience_not_found'
  | 'audience_not_shared'
  | 'audience_flagged'
  | 'audience_not_ready'
  | 'audience_create_failed'
  | 'audience_update_failed'
  | 'audience_has_lookalikes'
  | 'value_based_audience'
  | 'throttled'
  | 'temporarily_blocked'
  | 'transient'
  | 'network'
  | 'timeout'
  | 'replace_in_progress'
  | 'replace_session_finished'
  | 'replace_session_timed_out'
  | 'replace_batch_invalid'
  | 'replace_failed'
  | 'replace_not_supported'
  | 'invalid_parameter'
  | 'missing_parameter'
  | 'too_many_rows'
  | 'data_source_mismatch'
  | 'deprecated_version'
  | 'unexpected_response'
  | 'unknown';

export interface GraphApiErrorInit {
  message: string;
  action: GraphErrorAction;
  reason: GraphErrorReason;
  userMessage: string;
  retryAfterMs?: number | null;
  code?: number | null;
  subcode?: number | null;
  fbtraceId?: string | null;
  httpStatus?: number | null;
  ambiguous?: boolean;
  cause?: unknown;
}

export class GraphApiError extends Error {
  override name = 'GraphApiError';
  readonly action: GraphErrorAction;
  readonly reason: GraphErrorReason;
  /** What to tell the marketer: what happened and how to fix it. */
  readonly userMessage: string;
  /** How long to wait before trying again; null when trying again will not help. */
  readonly retryAfterMs: number | null;
  readonly code: number | null;
  readonly subcode: number | null;
  /** Meta's request trace id, for a support ticket. */
  readonly fbtraceId: string | null;
  readonly httpStatus: number | null;
  /**
   * True when the request may have taken effect at Meta although it failed here
   * (connection lost after sending, timeout, Meta's own unknown error). A
   * non-idempotent call must not be blindly repeated after such a failure.
   */
  readonly ambiguous: boolean;

  constructor(init: GraphApiErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.action = init.action;
    this.reason = init.reason;
    this.userMessage = init.userMessage;
    this.retryAfterMs = init.retryAfterMs ?? null;
    this.code = init.code ?? null;
    this.subcode = init.subcode ?? null;
    this.fbtraceId = init.fbtraceId ?? null;
    this.httpStatus = init.httpStatus ?? null;
    this.ambiguous = init.ambiguous ?? false;
  }
}

/** What the caller knows about the failed request, to sharpen the verdict and the message. */
export interface GraphErrorContext {
  /** Request path without query, e.g. `/v25.0/123/users`; 100 on an upload rejects its rows. */
  path?: string;
  /** The connected ad account, with or without `act_`, for the Terms of Service link. */
  adAccountId?: string | null;
}

type GraphErrorFields = GraphErrorBody['error'];

interface Verdict {
  action: GraphErrorAction;
  reason: GraphErrorReason;
  userMessage: string;
  retryAfterMs?: number;
  ambiguous?: boolean;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/** The first wait before a `retry`; the client backs off exponentially from here. */
export const TRANSIENT_RETRY_MS = SECOND;

const RECONNECT_HINT =
  'then click Reconnect under Connections → Destinations; your syncs are kept.';
const AUTOMATIC = 'Sourcesible will try again automatically; no action is needed.';

/**
 * Turns a failed Graph response into a GraphApiError. `body` is the parsed JSON
 * when the response was JSON, else the raw text. Classification relies on
 * code and subcode, not on the HTTP status, which Meta does not document.
 */
export function parseGraphError(
  status: number,
  body: unknown,
  headers: Headers,
  context: GraphErrorContext = {},
): GraphApiError {
  const parsed = GraphErrorBody.safeParse(body);
  const usage = parseUsageHeaders(headers);
  const headerWaitMs = usage && usage.regainAccessMs > 0 ? usage.regainAccessMs : undefined;

  if (!parsed.success) return makeBodylessError(status, headerWaitMs);

  const fields = parsed.data.error;
  const code = fields.code ?? null;
  const subcode = fields.error_subcode ?? null;
  const verdict = classify(fields, status, context);
  const announced = verdict.action === 'retry_later' ? headerWaitMs : undefined;
  const retryAfterMs = announced ?? verdict.retryAfterMs;
  const label = `${code ?? '?'}${subcode ? `/${subcode}` : ''}`;

  return new GraphApiError({
    message: `Meta Graph API error ${label} (${verdict.reason}): ${fields.message ?? 'no message'}`,
    action: verdict.action,
    reason: verdict.reason,
    userMessage: withTraceId(verdict, fields.fbtrace_id),
    retryAfterMs: retryAfterMs ?? null,
    code,
    subcode,
    fbtraceId: fields.fbtrace_id ?? null,
    httpStatus: status,
    ambiguous: verdict.ambiguous ?? false,
  });
}

/**
 * A fetch that threw: connection refused or reset, DNS failure, timeout. The
 * request may have reached Meta unless the connection was never made.
 */
export function parseNetworkError(cause: unknown): GraphApiError {
  const timedOut = isTimeout(cause);
  const neverSent = !timedOut && hasCode(cause, ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);
  const userMessage = timedOut
    ? `Meta took too long to answer. ${AUTOMATIC}`
    : `Sourcesible could not reach Meta. ${AUTOMATIC} If it keeps happening, check that this server can reach the Graph API address (META_GRAPH_URL).`;

  return new GraphApiError({
    message: `Meta Graph API request failed: ${timedOut ? 'timed out' : describe(cause)}`,
    action: 'retry',
    reason: timedOut ? 'timeout' : 'network',
    userMessage,
    retryAfterMs: TRANSIENT_RETRY_MS,
    ambiguous: !neverSent,
    cause,
  });
}

/** A success status whose body is not the shape Meta documents for that call. */
export function makeUnexpectedResponseError(status: number, detail: string): GraphApiError {
  return new GraphApiError({
    message: `Meta Graph API answered HTTP ${status} with an unexpected body: ${detail}`,
    action: 'fail',
    reason: 'unexpected_response',
    userMessage: unexpectedResponseMessage(status),
    httpStatus: status,
  });
}

function makeBodylessError(status: number, headerWaitMs: number | undefined): GraphApiError {
  const message = `Meta Graph API answered HTTP ${status} without a Graph error body`;
  const base = { httpStatus: status, message };
  if (status === 429) {
    return new GraphApiError({
      ...base,
      ...throttled(MINUTE),
      retryAfterMs: headerWaitMs ?? MINUTE,
    });
  }
  if (status >= 500) {
    // A gateway error page: Meta may or may not have done the work.
    return new GraphApiError({ ...base, ...transient(), retryAfterMs: TRANSIENT_RETRY_MS });
  }
  return new GraphApiError({
    ...base,
    action: 'fail',
    reason: 'unexpected_response',
    userMessage: unexpectedResponseMessage(status),
  });
}

function classify(fields: GraphErrorFields, status: number, context: GraphErrorContext): Verdict {
  return (
    classifyAccess(fields, context) ??
    classifyThrottle(fields) ??
    (fields.is_transient ? transient() : null) ??
    classifyAudience(fields) ??
    classifyReplace(fields) ??
    classifyRequest(fields, context) ??
    (status >= 500 ? transient() : unknown(fields))
  );
}

/** Token, permission and Terms of Service problems: only the user can fix them. */
function classifyAccess(fields: GraphErrorFields, context: GraphErrorContext): Verdict | null {
  const { code, error_subcode: subcode } = fields;

  if (code === 190 || code === 102) return classifyToken(subcode, fields.message);

  if (code === 200 && subcode === 1870090) return termsNotAccepted(fields, context);
  if (code === 2663 || code === 2664 || code === 2655) return termsNotAccepted(fields, context);
  if (code === 200 && subcode === 1870050) {
    return {
      action: 'reconnect',
      reason: 'ad_account_unusable',
      userMessage: `This ad account is not linked to a business portfolio, which Meta requires for customer-list audiences. Add it to a business in Meta Business Settings, ${RECONNECT_HINT}`,
    };
  }
  if (code === 10 || (code !== undefined && code >= 200 && code <= 299)) {
    return {
      action: 'reconnect',
      reason: 'permission_missing',
      userMessage: `The Facebook user who connected this destination is missing a permission Sourcesible needs (ads_management, with Advertiser access or higher on the ad account). Reconnect with such a user and grant every permission asked for, ${RECONNECT_HINT}`,
    };
  }
  return null;
}

function classifyToken(subcode: number | undefined, message: string | undefined): Verdict {
  if (subcode === 463 || /expired/i.test(message ?? '')) {
    return {
      action: 'reconnect',
      reason: 'token_expired',
      userMessage: `Sourcesible's access to your Meta ad account has expired. Log in to Facebook again: ${RECONNECT_HINT}`,
    };
  }
  if (subcode === 459 || subcode === 464) {
    return {
      action: 'reconnect',
      reason: 'user_action_required',
      userMessage: `Facebook wants the person who connected this destination to log in at facebook.com and complete a security check or confirm their account, ${RECONNECT_HINT}`,
    };
  }
  return {
    action: 'reconnect',
    reason: 'token_invalid',
    userMessage: `Meta no longer accepts Sourcesible's access to your ad account: the login was revoked, the Facebook password changed, or the app was removed. Log in to Facebook again: ${RECONNECT_HINT}`,
  };
}

function termsNotAccepted(fields: GraphErrorFields, context: GraphErrorContext): Verdict {
  const accountId = normalizeAccountId(context.adAccountId) ?? accountIdInMessage(fields.message);
  const url = accountId
    ? `https://business.facebook.com/ads/manage/customaudiences/tos/?act=${accountId}`
    : 'https://business.facebook.com/ads/manage/customaudiences/tos/';
  const account = accountId ? `ad account ${accountId}` : 'this ad account';
  return {
    action: 'reconnect',
    reason: 'terms_not_accepted',
    userMessage: `Meta's Custom Audience terms have not been accepted for ${account}. Accept Meta's Custom Audience terms at ${url} with the Facebook user who connected this destination, ${RECONNECT_HINT}`,
  };
}

/** Rate limits and abuse blocks: nothing is wrong with the request, Meta wants us to wait. */
function classifyThrottle(fields: GraphErrorFields): Verdict | null {
  const code = fields.code;
  if (code === 17 || code === 613) return throttled(MINUTE);
  if (code === 4 || code === 32) return throttled(5 * MINUTE);
  if (code !== undefined && code >= 80000 && code <= 80099) return throttled(5 * MINUTE);
  if (code === 368) {
    return {
      action: 'retry_later',
      reason: 'temporarily_blocked',
      retryAfterMs: 60 * MINUTE,
      userMessage: `Meta has temporarily blocked requests from this account. Sourcesible will try again in about an hour; if it keeps happening, check the ad account's Account Quality page in Meta Business Suite.`,
    };
  }
  return null;
}

/** The Meta audience itself cannot be used: deleted, unshared, flagged, or not ready yet. */
function classifyAudience(fields: GraphErrorFields): Verdict | null {
  const { code, error_subcode: subcode } = fields;
  // Connectors disagree on whether these two are codes or subcodes; accept both.
  const hasId = (id: number) => code === id || subcode === id;

  if ((code === 100 && subcode === 33) || hasId(1487366)) {
    return {
      action: 'target_gone',
      reason: 'audience_not_found',
      userMessage: `The Meta audience this sync updates no longer exists, or the connected ad account can no longer see it. Edit the sync and choose another audience, or let it create a new one.`,
    };
  }
  if (hasId(1487301)) {
    return {
      action: 'target_gone',
      reason: 'audience_not_shared',
      userMessage: `The Meta audience this sync updates is not shared with the connected ad account. Share it with the ad account in Meta Business Settings, or edit the sync and choose another audience.`,
    };
  }
  if (code === 100 && (subcode === 1713230 || subcode === 1713231 || subcode === 1713228)) {
    return {
      action: 'target_gone',
      reason: 'audience_flagged',
      userMessage: `Meta has restricted this audience for integrity reasons and blocks changes to it. Appeal in Audiences in Meta Ads Manager, or edit the sync to create a new audience.`,
    };
  }
  if (code === 803) {
    // Seen right after creating an audience: Meta has not finished setting it up.
    return {
      action: 'retry',
      reason: 'audience_not_ready',
      retryAfterMs: TRANSIENT_RETRY_MS,
      userMessage: `Meta has not finished setting up the new audience yet. ${AUTOMATIC}`,
    };
  }
  if (code === 2654) {
    return {
      action: 'retry',
      reason: 'audience_create_failed',
      retryAfterMs: TRANSIENT_RETRY_MS,
      userMessage: `Meta could not create the audience. Sourcesible will try again; if it keeps failing, check in Meta Ads Manager that the ad account has fewer than 500 customer-list audiences.`,
    };
  }
  if (code === 2656) {
    return {
      action: 'fail',
      reason: 'audience_has_lookalikes',
      userMessage: `Meta will not delete this audience while lookalike audiences are built from it. Delete those lookalikes in Meta Ads Manager first, then try again.`,
    };
  }
  return null;
}

/** Code 2650: the audience update failed; the subcode says why (guide §3.8). */
function classifyReplace(fields: GraphErrorFields): Verdict | null {
  if (fields.code !== 2650) return null;

  switch (fields.error_subcode) {
    case 1870145:
      return {
        action: 'retry_later',
        reason: 'replace_in_progress',
        retryAfterMs: 5 * MINUTE,
        userMessage: `Meta is still updating this audience from an earlier upload. Sourcesible will wait until it finishes and continue; no action is needed.`,
      };
    case 1870158:
      return {
        action: 'fail',
        reason: 'replace_session_timed_out',
        userMessage: `Meta closed this full replace of the audience after its 90-minute limit; the audience holds what was sent until then. The next run sends the rest.`,
      };
    case 1870159:
      return {
        action: 'fail',
        reason: 'replace_session_finished',
        userMessage: `Meta had already closed this full replace of the audience. The next run starts a new one.`,
      };
    case 1870147:
      return {
        action: 'fail',
        reason: 'replace_batch_invalid',
        userMessage: `Meta did not receive the start of this full replace of the audience. The next run starts it again.`,
      };
    case 1870148:
      return {
        action: 'fail',
        reason: 'replace_failed',
        userMessage: `Meta could not finish replacing this audience's members. The next run tries again.`,
      };
    case 1870144:
      return {
        action: 'fail',
        reason: 'replace_not_supported',
        userMessage: `Meta does not allow replacing all members of an audience of 100 million people or more.`,
      };
  }

  if (/data source/i.test(fields.message ?? '')) {
    return {
      action: 'fail',
      reason: 'data_source_mismatch',
      userMessage: `This Meta audience was first filled with a different kind of customer list, and Meta will not mix the two. Edit the sync to create a new audience, or choose one Sourcesible created.`,
    };
  }
  return {
    action: 'fail',
    reason: 'audience_update_failed',
    userMessage: `Meta refused to update this audience. Check it in Audiences in Meta Ads Manager; if it looks normal, run the sync again.`,
  };
}

/** The request itself was wrong: a Sourcesible bug, a retired API version, or bad rows. */
function classifyRequest(fields: GraphErrorFields, context: GraphErrorContext): Verdict | null {
  const { code } = fields;
  const isUpload = /\/users(replace)?$/.test(context.path ?? '');

  if (code === 1 || code === 2) return transient();
  if (code === 2635 || code === 12) {
    return {
      action: 'fail',
      reason: 'deprecated_version',
      userMessage: `Sourcesible is calling a version of Meta's API that Meta has retired. Set META_API_VERSION to a current version (for example v25.0) and restart Sourcesible.`,
    };
  }
  if (code === 100 && /LOOKALIKE_VALUE/.test(fields.message ?? '')) {
    return {
      action: 'fail',
      reason: 'value_based_audience',
      userMessage: `This Meta audience is value-based and needs a customer value with every person, which this sync does not send. Edit the sync to create a new audience or choose a standard customer-list audience.`,
    };
  }
  if (code === 105) {
    return {
      action: 'reject_rows',
      reason: 'too_many_rows',
      userMessage: `Meta refused a batch of members as too large.`,
    };
  }
  if (code === 100 && isUpload) {
    return {
      action: 'reject_rows',
      reason: 'invalid_parameter',
      userMessage: `Meta rejected a batch of members as invalid. If this happens on every batch, please report it.`,
    };
  }
  if (code === 100 || code === 194) {
    return {
      action: 'fail',
      reason: code === 100 ? 'invalid_parameter' : 'missing_parameter',
      userMessage: `Meta rejected a request from Sourcesible as invalid. This is likely a problem in Sourcesible; please report it.`,
    };
  }
  return null;
}

function throttled(retryAfterMs: number): Verdict {
  return {
    action: 'retry_later',
    reason: 'throttled',
    retryAfterMs,
    userMessage: `Meta is limiting how fast this ad account can be updated. Sourcesible will wait and continue automatically; no action is needed.`,
  };
}

function transient(): Verdict {
  // Meta's "unknown error" may come after the work was done, so repeating is not always safe.
  return {
    action: 'retry',
    reason: 'transient',
    retryAfterMs: TRANSIENT_RETRY_MS,
    ambiguous: true,
    userMessage: `Meta had a temporary problem. ${AUTOMATIC}`,
  };
}

function unknown(fields: GraphErrorFields): Verdict {
  const code = `${fields.code ?? 'none'}${fields.error_subcode ? `/${fields.error_subcode}` : ''}`;
  const metaSays = fields.error_user_msg ? ` Meta says: "${fields.error_user_msg}".` : '';
  return {
    action: 'fail',
    reason: 'unknown',
    userMessage: `Meta returned an error Sourcesible does not recognise (code ${code}).${metaSays} Try again later; if it keeps happening, please report it.`,
  };
}

/** Unexpected failures name Meta's trace id, which Meta support asks for. */
function withTraceId(verdict: Verdict, fbtraceId: string | undefined): string {
  const reportable = [
    'unknown', 'invalid_parameter', 'missing_parameter', 'audience_update_failed',
  ];
  if (!fbtraceId || !reportable.includes(verdict.reason)) return verdict.userMessage;
  return `${verdict.userMessage} Meta trace id: ${fbtraceId}.`;
}

function unexpectedResponseMessage(status: number): string {
  return `Meta sent an answer Sourcesible could not read (HTTP ${status}). Try again later; if it keeps happening, check that META_GRAPH_URL points at Meta's Graph API.`;
}

function normalizeAccountId(id: string | null | undefined): string | null {
  return id ? id.replace(/^act_/, '') : null;
}

function accountIdInMessage(message: string | undefined): string | null {
  return /act[=_](\d+)/.exec(message ?? '')?.[1] ?? null;
}

function isTimeout(cause: unknown): boolean {
  return cause instanceof Error && (cause.name === 'TimeoutError' || cause.name === 'AbortError');
}

function hasCode(cause: unknown, codes: string[]): boolean {
  for (let error = cause, depth = 0; error && depth < 5; depth++) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && codes.includes(code)) return true;
    error = (error as { cause?: unknown }).cause;
  }
  return false;
}

function describe(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  const inner = cause.cause instanceof Error ? ` (${cause.cause.message})` : '';
  return `${cause.message}${inner}`;
}
