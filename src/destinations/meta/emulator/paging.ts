import type { CallContext } from './context.ts';
import { GraphError, invalidParameterError } from './errors.ts';
import { readInteger, readString } from './params.ts';

export const DEFAULT_PAGE_SIZE = 25;
/** Above this Meta answers "Please reduce the amount of data you're asking for" (guide FAQ). */
export const MAX_PAGE_SIZE = 500;

export interface Page {
  data: unknown[];
  paging?: {
    cursors: { before: string; after: string };
    next?: string;
    previous?: string;
  };
}

/**
 * A cursor page over items listed newest first, each with a numeric position that only
 * grows (creation order); `after` and `before` cursors hold that position, base64url-encoded.
 */
export function pageOf<T>(
  ctx: CallContext,
  items: readonly T[],
  positionOf: (item: T) => number,
  render: (item: T) => unknown,
): Page {
  const limit = readLimit(ctx);
  const after = readCursor(ctx, 'after');
  const before = readCursor(ctx, 'before');

  let window: readonly T[] = items;
  if (after !== undefined) window = items.filter((item) => positionOf(item) < after);
  if (before !== undefined) {
    const earlier = items.filter((item) => positionOf(item) > before);
    window = earlier.slice(Math.max(0, earlier.length - limit));
  }
  const page = window.slice(0, limit);
  if (page.length === 0) return { data: [] };

  const first = positionOf(page[0] as T);
  const last = positionOf(page[page.length - 1] as T);
  const cursors = { before: encodeCursor(first), after: encodeCursor(last) };
  const paging: NonNullable<Page['paging']> = { cursors };
  if (items.some((item) => positionOf(item) < last)) {
    paging.next = pageUrl(ctx, 'after', cursors.after);
  }
  if (items.some((item) => positionOf(item) > first)) {
    paging.previous = pageUrl(ctx, 'before', cursors.before);
  }
  return { data: page.map(render), paging };
}

function readLimit(ctx: CallContext): number {
  const limit = readInteger(ctx.params, 'limit') ?? DEFAULT_PAGE_SIZE;
  if (limit < 1) throw invalidParameterError('Param limit must be a positive integer');
  if (limit > MAX_PAGE_SIZE) {
    throw new GraphError({
      code: 1,
      status: 500,
      message: "Please reduce the amount of data you're asking for, then retry your request",
    });
  }
  return limit;
}

function readCursor(ctx: CallContext, name: 'after' | 'before'): number | undefined {
  const cursor = readString(ctx.params, name);
  if (cursor === undefined || cursor === '') return undefined;
  const position = Number(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!Number.isInteger(position)) {
    throw invalidParameterError(`Param ${name} is not a cursor this edge returned`);
  }
  return position;
}

function encodeCursor(position: number): string {
  return Buffer.from(String(position)).toString('base64url');
}

/** Graph's `next`/`previous` links repeat the call with the token, pointing at the emulator. */
function pageUrl(ctx: CallContext, name: 'after' | 'before', cursor: string): string {
  const url = new URL(ctx.request.path, ctx.state.baseUrl);
  for (const [key, value] of Object.entries(ctx.request.query)) {
    if (key !== 'after' && key !== 'before') url.searchParams.set(key, value);
  }
  if (ctx.request.accessToken) url.searchParams.set('access_token', ctx.request.accessToken);
  url.searchParams.set(name, cursor);
  return url.toString();
}
