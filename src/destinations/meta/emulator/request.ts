import type { IncomingMessage } from 'node:http';
import { GraphError, invalidParameterError } from './errors.ts';

/**
 * One incoming call, read the way Graph reads it (meta-graph-api.md §2): parameters may come
 * in the query, a urlencoded or multipart form, or a JSON body, and merge into `params`.
 */
export interface GraphRequest {
  /** The HTTP method on the wire. */
  httpMethod: string;
  /** After `method=DELETE` (or GET) overrides, which Graph honours on POST. */
  method: string;
  /** The path as sent, version included, query excluded. */
  path: string;
  version: string | null;
  /** Path segments after the version, decoded. */
  segments: string[];
  query: Record<string, string>;
  /** The body as parsed from the wire: a JSON value, form fields as strings, or undefined. */
  body: unknown;
  contentType: string;
  /** Query and body merged, body winning; quoted form scalars unquoted. */
  params: Record<string, unknown>;
  accessToken: string | undefined;
}

const VERSION_PREFIX = /^\/(v\d+\.\d+)(?=\/|$)/;

/** Larger than any legal upload (10,000 rows of long multi-key schemas is about 8 MB). */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

export async function readGraphRequest(incoming: IncomingMessage): Promise<GraphRequest> {
  const url = new URL(incoming.url ?? '/', 'http://emulator.invalid');
  const httpMethod = (incoming.method ?? 'GET').toUpperCase();
  const contentType = String(incoming.headers['content-type'] ?? '');
  const raw = await readBody(incoming);
  const body = await parseBody(raw, contentType);

  const query = Object.fromEntries(url.searchParams);
  const params: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(query)) params[name] = unquote(value);
  if (isFormBody(contentType, raw)) {
    const fields = Object.entries(body as Record<string, string>);
    for (const [name, value] of fields) params[name] = unquote(value);
  } else if (isPlainObject(body)) {
    Object.assign(params, body);
  }

  const versionMatch = VERSION_PREFIX.exec(url.pathname);
  const rest = versionMatch ? url.pathname.slice(versionMatch[0].length) : url.pathname;
  const segments = rest.split('/').filter(Boolean).map(decodeSegment);

  return {
    httpMethod,
    method: effectiveMethod(httpMethod, params.method),
    path: url.pathname,
    version: versionMatch?.[1] ?? null,
    segments,
    query,
    body,
    contentType,
    params,
    accessToken: tokenFrom(params.access_token, incoming.headers.authorization),
  };
}

async function readBody(incoming: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of incoming) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      const message = 'The request body is larger than 64 MB';
      throw new GraphError({ code: 100, status: 413, message });
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function isFormBody(contentType: string, raw: Buffer): boolean {
  return raw.length > 0 && !contentType.includes('json');
}

async function parseBody(raw: Buffer, contentType: string): Promise<unknown> {
  if (raw.length === 0) return undefined;
  const text = raw.toString('utf8');
  if (contentType.includes('json')) return parseJsonText(text, 'request body');
  if (contentType.includes('multipart/form-data')) return parseMultipart(raw, contentType);
  return Object.fromEntries(new URLSearchParams(text));
}

/** The WHATWG Request in Node parses multipart; uploaded files become their text. */
async function parseMultipart(raw: Buffer, contentType: string): Promise<Record<string, string>> {
  const request = new Request('http://emulator.invalid/', {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: raw,
  });
  const fields: Record<string, string> = {};
  try {
    const form = await request.formData();
    for (const [name, value] of form) {
      fields[name] = typeof value === 'string' ? value : await value.text();
    }
  } catch (error) {
    throw invalidParameterError(`The multipart body cannot be read: ${(error as Error).message}`);
  }
  return fields;
}

/**
 * JSON.parse, except that integers too large for a double (int64 session ids) keep their
 * digits as a string instead of being rounded.
 */
export function parseJsonText(text: string, what: string): unknown {
  const keepLargeIntegers = (_key: string, value: unknown, context?: { source?: string }) => {
    const rounded = Number.isInteger(value) && !Number.isSafeInteger(value);
    return rounded && context?.source ? context.source : value;
  };
  try {
    return JSON.parse(text, keepLargeIntegers as (key: string, value: unknown) => unknown);
  } catch (error) {
    throw invalidParameterError(`The ${what} is not valid JSON: ${(error as Error).message}`);
  }
}

/** Meta's curl examples send `-F 'subtype="CUSTOM"'`; a JSON string literal becomes its text. */
function unquote(value: string): string {
  if (value.length < 2 || !value.startsWith('"') || !value.endsWith('"')) return value;
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === 'string' ? parsed : value;
  } catch {
    return value;
  }
}

function effectiveMethod(httpMethod: string, override: unknown): string {
  if (httpMethod !== 'POST' && httpMethod !== 'GET') return httpMethod;
  if (typeof override !== 'string') return httpMethod;
  const wanted = override.toUpperCase();
  return wanted === 'DELETE' || wanted === 'GET' || wanted === 'POST' ? wanted : httpMethod;
}

function tokenFrom(param: unknown, authorization: string | undefined): string | undefined {
  if (typeof param === 'string' && param !== '') return param;
  const match = /^(?:OAuth|Bearer)\s+(\S+)$/i.exec(authorization ?? '');
  return match?.[1];
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
