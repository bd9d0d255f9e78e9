import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { decoyHash, hashPassword, verifyPassword } from './passwords.ts';

export const ADMIN_USERNAME = 'admin';

export interface User {
  id: number;
  username: string;
}

export interface AdminAccount {
  user: User;
  /** Set only when this call created the account with a generated password: show it once. */
  generatedPassword: string | null;
  /** True when SOURCESIBLE_ADMIN_PASSWORD replaced a different stored password. */
  passwordReset: boolean;
}

/**
 * Makes sure the admin account exists. On first start its password is the given
 * one (SOURCESIBLE_ADMIN_PASSWORD) or a generated one returned for printing once;
 * later, a given password that no longer matches replaces the stored one, which
 * is how an operator resets a forgotten password.
 */
export async function ensureAdminUser(db: Db, password?: string): Promise<AdminAccount> {
  const existing = await findUser(db, ADMIN_USERNAME);
  if (existing) {
    if (password === undefined || (await verifyPassword(password, existing.password_hash))) {
      return { user: toUser(existing), generatedPassword: null, passwordReset: false };
    }
    await setPassword(db, existing.id, password);
    return { user: toUser(existing), generatedPassword: null, passwordReset: true };
  }

  const chosen = password ?? makePassword();
  const row = await db
    .insertInto('users')
    .values({ username: ADMIN_USERNAME, password_hash: await hashPassword(chosen) })
    // Two processes starting at once on one PostgreSQL: the second keeps the first's admin.
    .onConflict((conflict) => conflict.expression(sql`lower(username)`).doNothing())
    .returning(['id', 'username'])
    .executeTakeFirst();
  if (!row) return ensureAdminUser(db, password);
  const generatedPassword = password === undefined ? chosen : null;
  return { user: row, generatedPassword, passwordReset: false };
}

/** The user when the password is right; undefined otherwise, in the same time either way. */
export async function checkLogin(
  db: Db,
  username: string,
  password: string,
): Promise<User | undefined> {
  const row = await findUser(db, username);
  const matches = await verifyPassword(password, row?.password_hash ?? (await decoyHash()));
  return row && matches ? toUser(row) : undefined;
}

export async function setPassword(db: Db, userId: number, password: string): Promise<void> {
  await db
    .updateTable('users')
    .set({ password_hash: await hashPassword(password), updated_at: new Date() })
    .where('id', '=', userId)
    .execute();
}

export async function findUser(db: Db, username: string) {
  return db
    .selectFrom('users')
    .selectAll()
    .where(sql<boolean>`lower(username) = lower(${username})`)
    .executeTakeFirst();
}

/** 20 characters from an alphabet without look-alikes (no 0/O, 1/l/I): ~115 bits. */
function makePassword(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(40);
  let password = '';
  for (const byte of bytes) {
    // 224 is the largest multiple of 56 below 256: no value is more likely than another.
    if (byte < 224) password += alphabet[byte % alphabet.length];
    if (password.length === 20) break;
  }
  return password.length === 20 ? password : makePassword();
}

function toUser(row: { id: number; username: string }): User {
  return { id: row.id, username: row.username };
}
