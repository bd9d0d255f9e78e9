import { createHash } from 'node:crypto';
import type { MetaEmulator } from './index.ts';

/** Helpers for the emulator's own tests: plain fetch, no Graph client. */
export const sha = (text: string): string =>
  createHash('sha256').update(text, 'utf8').digest('hex');

export interface GraphAnswer {
  status: number;
  headers: Headers;
  // Tests read arbitrary Graph JSON; a loose type keeps their assertions short.
  body: any;
}

export interface CallOptions {
  /** Default: the seeded token; null sends none. */
  token?: string | null;
  /** How to send params on POST/DELETE. Default json; GET always uses the query. */
  encoding?: 'json' | 'query' | 'form' | 'multipart';
  version?: string;
}

/** Calls `${meta.url}/v25.0${path}` with params encoded as asked. */
export async function call(
  meta: MetaEmulator,
  method: string,
  path: string,
  params: Record<string, unknown> = {},
  options: CallOptions = {},
): Promise<GraphAnswer> {
  const token = options.token === undefined ? meta.accessToken : options.token;
  const all = token === null ? params : { ...params, access_token: token };
  const encoding = method === 'GET' ? 'query' : (options.encoding ?? 'json');
  const url = new URL(`${meta.url}/${options.version ?? 'v25.0'}${path}`);
  const init: RequestInit = { method };

  if (encoding === 'query') {
    for (const [name, value] of Object.entries(all)) url.searchParams.set(name, asText(value));
  } else if (encoding === 'json') {
    init.headers = { 'content-type': 'application/json' };
    init.body = JSON.stringify(all);
  } else if (encoding === 'form') {
    const fields = Object.entries(all).map(([name, value]): [string, string] => [
      name,
      asText(value),
    ]);
    init.body = new URLSearchParams(fields);
  } else {
    const form = new FormData();
    for (const [name, value] of Object.entries(all)) form.set(name, asText(value));
    init.body = form;
  }

  const response = await fetch(url, init);
  const text = await response.text();
  const body = response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
  return { status: response.status, headers: response.headers, body };
}

function asText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export async function createTestAudience(
  meta: MetaEmulator,
  name = 'Test audience',
  extra: Record<string, unknown> = {},
): Promise<string> {
  const answer = await call(meta, 'POST', `/${meta.adAccountId}/customaudiences`, {
    name,
    subtype: 'CUSTOM',
    customer_file_source: 'USER_PROVIDED_ONLY',
    ...extra,
  });
  if (answer.status !== 200) throw new Error(`create failed: ${JSON.stringify(answer.body)}`);
  return answer.body.id as string;
}

/** `[EMAIL, PHONE]` rows for person n, hashed as a sync would send them. */
export function personRow(n: number): [string, string] {
  return [sha(`person${n}@example.com`), sha(`1555000${String(n).padStart(4, '0')}`)];
}
