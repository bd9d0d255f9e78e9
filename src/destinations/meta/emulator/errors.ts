/**
 * Graph API error bodies (meta-graph-api.md §6). Handlers throw a GraphError; the server
 * turns it into `{ error: {...} }` with a fresh fbtrace_id. Clients classify on code and
 * subcode, so those follow Meta; the message texts are our own unless Meta's is an
 * interface clients match on.
 */
export interface GraphErrorInit {
  code: number;
  message: string;
  subcode?: number;
  type?: string;
  userTitle?: string;
  userMessage?: string;
  isTransient?: boolean;
  /** Defaults to 500 for codes 1 and 2 (Meta's service errors) and 400 for everything else. */
  status?: number;
  /** Real captures prefix most messages with `(#code)`; token and unknown-object ones are bare. */
  prefixed?: boolean;
  wwwAuthenticate?: string;
}

export interface GraphErrorBody {
  message: string;
  type: string;
  code: number;
  error_subcode?: number;
  error_user_title?: string;
  error_user_msg?: string;
  is_transient?: boolean;
  fbtrace_id: string;
}

export class GraphError extends Error {
  override name = 'GraphError';
  readonly code: number;
  readonly subcode: number | undefined;
  readonly status: number;
  readonly init: GraphErrorInit;

  constructor(init: GraphErrorInit) {
    const prefixed = init.prefixed !== false && !init.message.startsWith('(#');
    super(prefixed ? `(#${init.code}) ${init.message}` : init.message);
    this.init = init;
    this.code = init.code;
    this.subcode = init.subcode;
    this.status = init.status ?? (init.code === 1 || init.code === 2 ? 500 : 400);
  }

  toBody(fbtraceId: string): { error: GraphErrorBody } {
    const { init } = this;
    const error: Omit<GraphErrorBody, 'fbtrace_id'> = {
      message: this.message,
      type: init.type ?? 'OAuthException',
      code: init.code,
    };
    if (init.subcode !== undefined) error.error_subcode = init.subcode;
    if (init.userTitle !== undefined) error.error_user_title = init.userTitle;
    if (init.userMessage !== undefined) error.error_user_msg = init.userMessage;
    if (init.isTransient !== undefined) error.is_transient = init.isTransient;
    return { error: { ...error, fbtrace_id: fbtraceId } };
  }
}

function authHeader(kind: 'invalid_token' | 'invalid_request', message: string): string {
  return `OAuth "Facebook Platform" "${kind}" "${message.replaceAll('"', "'")}"`;
}

function tokenError(message: string, subcode?: number): GraphError {
  return new GraphError({
    code: 190,
    subcode,
    message,
    prefixed: false,
    wwwAuthenticate: authHeader('invalid_token', message),
  });
}

/** Meta answers a request with no token with code 104, not 190. */
export function missingTokenError(): GraphError {
  const message = 'An access token is required to request this resource.';
  return new GraphError({
    code: 104,
    message,
    prefixed: false,
    wwwAuthenticate: authHeader('invalid_request', message),
  });
}

export function malformedTokenError(): GraphError {
  return tokenError('Invalid OAuth access token - Cannot parse access token');
}

export function expiredTokenError(expiredAt: number, now: number): GraphError {
  return tokenError(
    `Error validating access token: Session has expired on ${graphTime(expiredAt)}. ` +
      `The current time is ${graphTime(now)}.`,
    463,
  );
}

export type RevocationSubcode = 458 | 460 | 467;

const REVOCATION_MESSAGES: Record<RevocationSubcode, string> = {
  458: 'Error validating access token: The user has not authorized the application.',
  460:
    'Error validating access token: The session has been invalidated because the user changed ' +
    'their password or Facebook has changed the session for security reasons.',
  467: 'Error validating access token: The session is invalid because the user logged out.',
};

export function revokedTokenError(subcode: RevocationSubcode): GraphError {
  return tokenError(REVOCATION_MESSAGES[subcode], subcode);
}

export function invalidProofError(): GraphError {
  return new GraphError({
    code: 100,
    type: 'GraphMethodException',
    message: 'Invalid appsecret_proof provided in the API argument',
  });
}

/** The generic "does not exist or no permission" answer for unknown and deleted objects. */
export function unknownObjectError(method: string, id: string): GraphError {
  return new GraphError({
    code: 100,
    subcode: 33,
    type: 'GraphMethodException',
    prefixed: false,
    message:
      `Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, ` +
      'cannot be loaded due to missing permissions, or does not support this operation. ' +
      'Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api',
  });
}

export function nonexistingFieldError(field: string, nodeType: string): GraphError {
  return invalidParameterError(
    `Tried accessing nonexisting field (${field}) on node type (${nodeType})`,
  );
}

export function invalidParameterError(message: string): GraphError {
  return new GraphError({ code: 100, message });
}

export function missingPermissionError(permission: string): GraphError {
  return new GraphError({
    code: 200,
    message: `This call needs the ${permission} permission, which the user has not granted`,
  });
}

export function appTokenNotAllowedError(): GraphError {
  return new GraphError({
    code: 200,
    message: 'An app access token cannot make this call: use a user or system-user access token',
  });
}

export function termsNotAcceptedError(accountId: string, termsUrl: string): GraphError {
  return new GraphError({
    code: 200,
    subcode: 1870090,
    message: 'Custom Audience Terms Not Accepted',
    userTitle: 'Custom Audience Terms Not Accepted',
    userMessage:
      `Accept the Custom Audience Terms for ad account act_${accountId} at ${termsUrl}, ` +
      'then try again.',
  });
}

export function throttledError(minutesToRegain: number): GraphError {
  return new GraphError({
    code: 80003,
    isTransient: true,
    message: 'There have been too many calls to this ad-account. Wait a bit and try again.',
    userMessage:
      `Custom audience calls for this ad account are throttled for about ${minutesToRegain} ` +
      'minutes.',
  });
}

export function audienceLimitError(limit: number): GraphError {
  return new GraphError({
    code: 2654,
    message:
      `Failed to create custom audience: this ad account already has ${limit} customer-file ` +
      'custom audiences. Delete audiences you no longer use, then try again.',
  });
}

export function flaggedUploadError(): GraphError {
  return new GraphError({
    code: 100,
    subcode: 1713230,
    message: 'Invalid parameter',
    userTitle: 'Audience Upload Blocked',
    userMessage:
      'Before updating user memberships, resolve the integrity restrictions on this ' +
      'customer-file custom audience in Audience Manager, or create a new audience.',
  });
}

export function flaggedEditError(): GraphError {
  return new GraphError({
    code: 100,
    subcode: 1713228,
    message: 'Invalid parameter',
    userTitle: 'Custom Audience Cannot Be Edited',
    userMessage: 'This customer-file custom audience is flagged and cannot be edited.',
  });
}

export function dataSourceMismatchError(locked: string, attempted: string): GraphError {
  return new GraphError({
    code: 2650,
    message:
      `Failed to update the custom audience: This audience was created from data source ` +
      `FILE_IMPORTED.${locked}, which does not support data source FILE_IMPORTED.${attempted}.`,
  });
}

/** Replace-session rules all answer with code 2650 and a subcode (guide, "Replace users API"). */
export const ReplaceSubcode = {
  inProgress: 1870145,
  notStarted: 1870147,
  timedOut: 1870158,
  finished: 1870159,
} as const;

const REPLACE_TITLES: Record<number, [string, string]> = {
  [ReplaceSubcode.inProgress]: [
    'Audience Update In Progress',
    'This audience is being replaced. Wait until the replace session finishes, then try again.',
  ],
  [ReplaceSubcode.notStarted]: [
    'Invalid Upload Batch for Replace',
    'A replace session starts with batch_seq 1; send that batch first.',
  ],
  [ReplaceSubcode.timedOut]: [
    'Replace Session Timed Out',
    'The replace session passed its 90-minute limit; the audience was replaced with what arrived ' +
      'in time. Add the rest with /users.',
  ],
  [ReplaceSubcode.finished]: [
    'Replace Session Finished',
    'This replace session already ended with last_batch_flag; start a new session to replace ' +
      'again.',
  ],
};

export type ReplaceSubcode = (typeof ReplaceSubcode)[keyof typeof ReplaceSubcode];

export function replaceError(subcode: ReplaceSubcode): GraphError {
  const [title, detail] = REPLACE_TITLES[subcode] as [string, string];
  return new GraphError({
    code: 2650,
    subcode,
    message: `Failed to update the custom audience: ${title}`,
    userTitle: title,
    userMessage: detail,
  });
}

/** "Tuesday, 01-Aug-23 10:12:14 UTC": the shape Meta uses inside token-expiry messages. */
export function graphTime(ms: number): string {
  const date = new Date(ms);
  const weekday = date.toLocaleDateString('en-US', { weekday: 'long', timeZone: 'UTC' });
  const month = date.toLocaleDateString('en-US', { month: 'short', timeZone: 'UTC' });
  const pad = (value: number) => String(value).padStart(2, '0');
  const day = `${pad(date.getUTCDate())}-${month}-${pad(date.getUTCFullYear() % 100)}`;
  const clock = [date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()];
  const time = clock.map(pad).join(':');
  return `${weekday}, ${day} ${time} UTC`;
}
