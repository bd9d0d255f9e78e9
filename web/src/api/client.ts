/**
 * The one way the app talks to the server: JSON in and out, the session cookie
 * plus the CSRF header on writes, and every failure turned into an ApiError
 * carrying the API's code, message and field.
 */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly status: number;
  readonly code: string;
  readonly field: string | null;

  constructor(status: number, code: string, message: string, field: string | null = null) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }

  /**
   * True when the server may or may not have done the work: the answer never
   * arrived, the server failed, or (409 without a field) the first request with
   * the same Idempotency-Key is still being worked on.
   */
  get outcomeUnknown(): boolean {
    if (this.code === 'network' || this.status >= 500) return true;
    return this.status === 409 && this.code === 'conflict' && this.field === null;
  }
}

let csrfToken: string | null = null;
let onUnauthorized: (() => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when a request answers 401: the session ended, so the app shows the login page. */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  onUnauthorized = handler;
}

export interface RequestOptions {
  idempotencyKey?: string;
  signal?: AbortSignal;
}

const WRITE_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

export async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const isForm = body instanceof FormData;
  if (body !== undefined && !isForm) headers['content-type'] = 'application/json';
  if (WRITE_METHODS.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : isForm ? body : JSON.stringify(body),
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(
      0,
      'network',
      'Sourcesible did not answer. Check that the server is running and your connection works, then try again.',
    );
  }

  if (response.status === 401 && !path.startsWith('/api/auth/login')) onUnauthorized?.();
  if (response.status === 204) return undefined as T;

  const text = await response.text();
  const data = text ? parseJson(text) : undefined;
  if (response.ok) return data as T;
  throw toApiError(response.status, data);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function toApiError(status: number, data: unknown): ApiError {
  const body = data as { error?: { code?: string; message?: string; field?: string | null } };
  const error = body?.error;
  if (error?.message) {
    return new ApiError(status, error.code ?? 'error', error.message, error.field ?? null);
  }
  const fallback =
    status >= 500
      ? 'Something went wrong on the server. Try again; if it keeps failing, check the server log.'
      : `The server refused the request (HTTP ${status}).`;
  return new ApiError(status, status >= 500 ? 'internal' : 'error', fallback);
}

export const api = {
  get: <T>(path: string, options?: RequestOptions) => request<T>('GET', path, undefined, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    request<T>('POST', path, body ?? {}, options),
  patch: <T>(path: string, body: unknown, options?: RequestOptions) =>
    request<T>('PATCH', path, body, options),
  del: (path: string, options?: RequestOptions) => request<void>('DELETE', path, undefined, options),
};

/** A fresh random key for an Idempotency-Key header. */
export function newIdempotencyKey(): string {
  // randomUUID exists only in secure contexts; a self-hosted app may be served over plain HTTP.
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
