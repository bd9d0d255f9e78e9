import type { GraphRequest } from './request.ts';
import { isPlainObject } from './request.ts';

/** One call as the emulator received it, for contract tests that assert exact request bodies. */
export interface LoggedRequest {
  /** After `method=DELETE` overrides. */
  method: string;
  httpMethod: string;
  /** Version included, query excluded: `/v25.0/123/users`. */
  path: string;
  query: Record<string, string>;
  contentType: string;
  /** As parsed from the wire (JSON, or form fields as strings), minus secrets; null when empty. */
  body: unknown;
  /** The answer's HTTP status; 0 while the call is being handled. */
  status: number;
}

/** Secrets are dropped so that a dump of the log can be pasted anywhere. */
const SECRET_PARAMS = ['access_token', 'client_secret'];

export class RequestLog {
  readonly #capacity: number;
  #entries: LoggedRequest[] = [];

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  record(request: GraphRequest): LoggedRequest {
    const entry: LoggedRequest = {
      method: request.method,
      httpMethod: request.httpMethod,
      path: request.path,
      query: withoutSecrets(request.query) as Record<string, string>,
      contentType: request.contentType,
      body: withoutSecrets(request.body) ?? null,
      status: 0,
    };
    if (this.#capacity <= 0) return entry;
    this.#entries.push(entry);
    if (this.#entries.length > this.#capacity) this.#entries.shift();
    return entry;
  }

  /** The last `limit` calls, oldest first. */
  list(limit?: number): LoggedRequest[] {
    if (limit === undefined) return [...this.#entries];
    return limit <= 0 ? [] : this.#entries.slice(-limit);
  }

  clear(): void {
    this.#entries = [];
  }
}

function withoutSecrets(value: unknown): unknown {
  if (!isPlainObject(value)) return value;
  const copy = { ...value };
  for (const name of SECRET_PARAMS) delete copy[name];
  return copy;
}
