import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ZodError } from 'zod';
import { AudienceError } from '../audiences/errors.ts';
import { GraphApiError } from '../destinations/meta/errors.ts';
import { AppError, type AppErrorCode } from '../errors.ts';
import { describeZodIssue } from './validation.ts';

/** Every machine code an error answer carries (the REST contract's list). */
export type ApiErrorCode = AppErrorCode | 'unauthorized' | 'forbidden' | 'internal';

/** The one JSON shape of every 4xx and 5xx answer. */
export interface ApiErrorBody {
  error: { code: ApiErrorCode; message: string; field: string | null };
}

/** An error that only exists at the HTTP edge: authentication, CSRF, replayed keys. */
export class HttpProblem extends Error {
  override name = 'HttpProblem';
  readonly status: ContentfulStatusCode;
  readonly code: ApiErrorCode;
  readonly field: string | null;
  readonly headers: Record<string, string>;

  constructor(
    status: ContentfulStatusCode,
    code: ApiErrorCode,
    message: string,
    options: { field?: string; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = options.field ?? null;
    this.headers = options.headers ?? {};
  }
}

export interface ErrorAnswer {
  status: ContentfulStatusCode;
  body: ApiErrorBody;
  headers: Record<string, string>;
  /** True for errors nobody planned for: answered generically, logged in full. */
  unexpected: boolean;
}

const APP_STATUS: Record<AppErrorCode, ContentfulStatusCode> = {
  invalid_input: 400,
  not_found: 404,
  conflict: 409,
  not_connected: 409,
  already_running: 409,
  meta_rejected: 502,
};

export const INTERNAL_MESSAGE =
  'Something went wrong on the server. Try again; if it keeps happening, the server log ' +
  'has the details under this request id.';

/** Maps anything thrown by a route to its status and the contract's error shape. */
export function toErrorAnswer(error: unknown): ErrorAnswer {
  if (error instanceof HttpProblem) {
    return answer(error.status, error.code, error.message, error.field, error.headers);
  }
  // Before AppError, which it extends: its rule problems name the field more precisely.
  if (error instanceof AudienceError) return fromAudienceError(error);
  if (error instanceof AppError) {
    return answer(APP_STATUS[error.code], error.code, error.message, error.field ?? null);
  }
  if (error instanceof GraphApiError) return fromGraphError(error);
  if (error instanceof ZodError) {
    const issue = describeZodIssue(error.issues[0]!, 'field');
    return answer(400, 'invalid_input', issue.message, issue.field);
  }
  if (error instanceof HTTPException) return fromHttpException(error);
  return { ...answer(500, 'internal', INTERNAL_MESSAGE, null), unexpected: true };
}

function fromAudienceError(error: AudienceError): ErrorAnswer {
  switch (error.reason) {
    case 'invalid_rule': {
      const path = error.problems[0]?.path;
      // parse-rule writes `all[1].value`; the API names fields with dots: `rule.all.1.value`.
      const dotted = path?.replace(/\[(\d+)\]/g, '.$1').replace(/^\./, '');
      const field = !dotted || dotted === 'rule' ? 'rule' : `rule.${dotted}`;
      return answer(400, 'invalid_input', error.message, field);
    }
    case 'invalid_input':
      return answer(400, 'invalid_input', error.message, error.field ?? null);
    case 'name_taken':
      return answer(409, 'conflict', error.message, 'name');
    case 'not_found':
      return answer(404, 'not_found', error.message, null);
  }
}

// Meta's refusal is the user's to act on; the message is already written for them.
function fromGraphError(error: GraphApiError): ErrorAnswer {
  if (error.action === 'reconnect') return answer(409, 'not_connected', error.userMessage, null);
  return answer(502, 'meta_rejected', error.userMessage, null);
}

function fromHttpException(error: HTTPException): ErrorAnswer {
  const status = error.status as ContentfulStatusCode;
  if (status === 413) {
    const message = 'The request body is too large. Send fewer records per request.';
    return answer(413, 'invalid_input', message, null);
  }
  if (status === 415) {
    const message = 'Send the body as JSON with the header Content-Type: application/json.';
    return answer(415, 'invalid_input', message, null);
  }
  if (status >= 500) {
    return { ...answer(500, 'internal', INTERNAL_MESSAGE, null), unexpected: true };
  }
  const message = error.message || 'The request cannot be read. Check its body and headers.';
  return answer(status, 'invalid_input', message, null);
}

function answer(
  status: ContentfulStatusCode,
  code: ApiErrorCode,
  message: string,
  field: string | null,
  headers: Record<string, string> = {},
): ErrorAnswer {
  return { status, body: { error: { code, message, field } }, headers, unexpected: false };
}
