import type { Db } from '../../db/database.ts';
import { digestSecret, makeSecret } from './secrets.ts';
import type { User } from './users.ts';

/** How long a login lasts; the cookie carries the same Max-Age. */
export const SESSION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export interface NewSession {
  /** Goes into the cookie and nowhere else; the database keeps its digest. */
  id: string;
  csrfToken: string;
  expiresAt: Date;
}

export interface SessionRecord {
  idHash: string;
  user: User;
  csrfToken: string;
  expiresAt: Date;
}

export async function createSession(db: Db, userId: number, now = new Date()): Promise<NewSession> {
  const session = {
    id: makeSecret(),
    csrfToken: makeSecret(),
    expiresAt: new Date(now.getTime() + SESSION_TTL_MS),
  };
  await db
    .insertInto('sessions')
    .values({
      id_hash: digestSecret(session.id),
      user_id: userId,
      csrf_token: session.csrfToken,
      expires_at: session.expiresAt,
    })
    .execute();
  // Expired sessions would otherwise pile up; a login is rare enough to pay for the sweep.
  await db.deleteFrom('sessions').where('expires_at', '<', now).execute();
  return session;
}

/** The live session a cookie names, or undefined when it is unknown or expired. */
export async function findSession(
  db: Db,
  id: string,
  now = new Date(),
): Promise<SessionRecord | undefined> {
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['s.id_hash', 's.csrf_token', 's.expires_at', 'u.id as user_id', 'u.username'])
    .where('s.id_hash', '=', digestSecret(id))
    .where('s.expires_at', '>', now)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    idHash: row.id_hash,
    user: { id: row.user_id, username: row.username },
    csrfToken: row.csrf_token,
    expiresAt: row.expires_at,
  };
}

export async function deleteSession(db: Db, idHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}
