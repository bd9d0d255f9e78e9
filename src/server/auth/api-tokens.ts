import { AppError } from '../../errors.ts';
import type { Db } from '../../db/database.ts';
import { digestSecret, makeSecret } from './secrets.ts';
import type { User } from './users.ts';

/** Tokens start with this, so a leaked one is easy to spot in a file or a scanner. */
export const TOKEN_PREFIX = 'ssbl_';

export interface ApiTokenView {
  id: number;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export interface NewApiToken {
  id: number;
  name: string;
  /** Shown once; the database keeps its SHA-256 only. */
  token: string;
}

// last_used_at is a hint for people, not an audit trail: one write a minute per token is enough.
const LAST_USED_RESOLUTION_MS = 60_000;

/** Mints a token for scripts: `Authorization: Bearer <token>` on every API call. */
export async function createApiToken(db: Db, userId: number, name: string): Promise<NewApiToken> {
  const token = `${TOKEN_PREFIX}${makeSecret()}`;
  const row = await db
    .insertInto('api_tokens')
    .values({ user_id: userId, name: name.trim(), token_hash: digestSecret(token) })
    .returning(['id', 'name'])
    .executeTakeFirstOrThrow();
  return { id: row.id, name: row.name, token };
}

export async function listApiTokens(db: Db, userId: number): Promise<ApiTokenView[]> {
  const rows = await db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'created_at', 'last_used_at'])
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
  }));
}

/** Revokes one of the user's tokens; the next request that carries it gets 401. */
export async function revokeApiToken(db: Db, userId: number, id: number): Promise<void> {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: new Date() })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) {
    throw new AppError('not_found', `API token ${id} does not exist or is already revoked.`);
  }
}

/** The user a bearer token belongs to, or undefined for an unknown or revoked token. */
export async function findTokenUser(
  db: Db,
  token: string,
  now = new Date(),
): Promise<User | undefined> {
  const row = await db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(['t.id', 't.last_used_at', 'u.id as user_id', 'u.username'])
    .where('t.token_hash', '=', digestSecret(token))
    .where('t.revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row) return undefined;

  const lastUsed = row.last_used_at?.getTime() ?? 0;
  if (now.getTime() - lastUsed > LAST_USED_RESOLUTION_MS) {
    await db
      .updateTable('api_tokens')
      .set({ last_used_at: now })
      .where('id', '=', row.id)
      .execute();
  }
  return { id: row.user_id, username: row.username };
}
