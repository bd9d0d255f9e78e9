import { setTimeout as delay } from 'node:timers/promises';
import type { Context as HonoContext } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Db } from '../db/database.ts';
import { digestSecret } from './auth/secrets.ts';
import { HttpProblem, toErrorAnswer } from './errors.ts';
import type { ApiEnv } from './openapi.ts';

export interface Outcome {
  status: ContentfulStatusCode;
  body: unknown;
}

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** A first request still unfinished after this long is taken as dead (its process stopped). */
const ABANDONED_AFTER_MS = 5 * 60 * 1000;
const POLL_MS = 100;
const MAX_WAIT_MS = 60_000;

/**
 * Runs a create at most once per Idempotency-Key and user. The key's row is
 * inserted before the work starts, so a concurrent duplicate (another request,
 * another process) finds it, waits for the first to finish and returns its
 * answer. Answers below 500 are kept 24 hours and replayed with the same status
 * and body; a 5xx frees the key so a retry runs again. The same key with another
 * method, path or body is refused with 422.
 */
export async function runIdempotent(
  c: HonoContext<ApiEnv>,
  db: Db,
  input: unknown,
  work: () => Promise<Outcome>,
): Promise<Response> {
  const key = c.req.header('idempotency-key');
  if (!key) return reply(c, await work(), false);

  const userId = c.get('principal').user.id;
  const claim = {
    user_id: userId,
    key,
    method_route: `${c.req.method} ${c.req.path}`,
    request_hash: digestSecret(stableJson(input ?? null)),
  };
  const started = Date.now();

  for (;;) {
    await db
      .deleteFrom('idempotency_keys')
      .where('created_at', '<', new Date(Date.now() - IDEMPOTENCY_TTL_MS))
      .execute();
    const inserted = await db
      .insertInto('idempotency_keys')
      .values(claim)
      .onConflict((conflict) => conflict.columns(['user_id', 'key']).doNothing())
      .returning('key')
      .executeTakeFirst();
    if (inserted) return reply(c, await runClaimed(db, userId, key, work), false);

    const existing = await db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('user_id', '=', userId)
      .where('key', '=', key)
      .executeTakeFirst();
    if (!existing) continue;

    const sameRequest =
      existing.method_route === claim.method_route && existing.request_hash === claim.request_hash;
    if (!sameRequest) {
      throw new HttpProblem(
        422,
        'conflict',
        `Idempotency-Key "${key}" was already used for a different request ` +
          `(${existing.method_route}). Use a new key for a new request.`,
        { field: 'Idempotency-Key' },
      );
    }
    if (existing.response_status !== null) {
      const body = JSON.parse(existing.response_body ?? 'null') as unknown;
      return reply(c, { status: existing.response_status as ContentfulStatusCode, body }, true);
    }

    if (Date.now() - existing.created_at.getTime() > ABANDONED_AFTER_MS) {
      await release(db, userId, key);
      continue;
    }
    if (Date.now() - started > MAX_WAIT_MS) {
      throw new HttpProblem(
        409,
        'conflict',
        `A request with Idempotency-Key "${key}" is still running. Try again in a moment.`,
      );
    }
    await delay(POLL_MS);
  }
}

async function runClaimed(db: Db, userId: number, key: string, work: () => Promise<Outcome>) {
  let outcome: Outcome;
  try {
    outcome = await work();
  } catch (error) {
    const answer = toErrorAnswer(error);
    if (answer.status >= 500) await release(db, userId, key);
    else await record(db, userId, key, { status: answer.status, body: answer.body });
    throw error;
  }

  if (outcome.status >= 500) await release(db, userId, key);
  else await record(db, userId, key, outcome);
  return outcome;
}

async function record(db: Db, userId: number, key: string, outcome: Outcome): Promise<void> {
  await db
    .updateTable('idempotency_keys')
    .set({ response_status: outcome.status, response_body: JSON.stringify(outcome.body) })
    .where('user_id', '=', userId)
    .where('key', '=', key)
    .execute();
}

async function release(db: Db, userId: number, key: string): Promise<void> {
  await db
    .deleteFrom('idempotency_keys')
    .where('user_id', '=', userId)
    .where('key', '=', key)
    .where('response_status', 'is', null)
    .execute();
}

function reply(c: HonoContext<ApiEnv>, outcome: Outcome, replayed: boolean): Response {
  if (replayed) c.header('Idempotent-Replayed', 'true');
  return c.json(outcome.body as object, outcome.status);
}

/** JSON with object keys sorted, so that the same body hashes the same however it is ordered. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value instanceof Date) return JSON.stringify(value);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, inner]) => inner !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, inner]) => `${JSON.stringify(name)}:${stableJson(inner)}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
