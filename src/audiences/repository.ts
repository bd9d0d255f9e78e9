import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Audience } from '../db/schema.ts';
import { AudienceError } from './errors.ts';
import { countEachRule } from './members.ts';
import { assertAudienceRule } from './parse-rule.ts';
import { quote, type AudienceRule } from './rules.ts';

export {
  countAudienceMembers,
  countUnion,
  loadAudienceRules,
  previewAudienceMembers,
} from './members.ts';
export type { AudienceTarget, MemberPreview } from './members.ts';

/** A saved audience. Its rule was checked when it was written. */
export type AudienceRecord = Omit<Audience, 'rule'> & { rule: AudienceRule };
export type AudienceWithCount = AudienceRecord & { member_count: number };

/** `rule` is untrusted input (parsed JSON); it is checked here. */
export interface AudienceInput {
  name: string;
  description?: string;
  rule: unknown;
}
export type AudienceUpdate = Partial<AudienceInput>;

export const MAX_NAME_LENGTH = 100;
export const MAX_DESCRIPTION_LENGTH = 500;

const UNIQUE_VIOLATION = '23505';

/** Saves a new audience, e.g. `{ name: 'Korea', rule: { all: [{ field: 'country', ... }] } }`. */
export async function createAudience(db: Db, input: AudienceInput): Promise<AudienceRecord> {
  const name = assertAudienceName(input.name);
  const description = assertDescription(input.description ?? '');
  const rule = assertAudienceRule(input.rule);
  await assertNameFree(db, name);

  const row = await withNameGuard(name, () =>
    db
      .insertInto('audiences')
      .values({ name, description, rule: JSON.stringify(rule) })
      .returningAll()
      .executeTakeFirstOrThrow(),
  );
  return toRecord(row);
}

/** Changes the given parts of a live audience; its syncs apply a new rule on their next run. */
export async function updateAudience(
  db: Db,
  id: number,
  update: AudienceUpdate,
): Promise<AudienceRecord> {
  await requireAudience(db, id);
  const values: { name?: string; description?: string; rule?: string } = {};
  if (update.name !== undefined) values.name = assertAudienceName(update.name);
  if (update.description !== undefined) values.description = assertDescription(update.description);
  if (update.rule !== undefined) values.rule = JSON.stringify(assertAudienceRule(update.rule));
  if (values.name !== undefined) await assertNameFree(db, values.name, id);

  const row = await withNameGuard(values.name ?? '', () =>
    db
      .updateTable('audiences')
      .set({ ...values, updated_at: sql`now()` })
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .returningAll()
      .executeTakeFirst(),
  );
  if (!row) throw notFound(id);
  return toRecord(row);
}

/**
 * Soft-deletes an audience: it leaves lists and counts, its name is free again, and the
 * syncs returned in `syncIds` now reference a deleted audience (their status shows Invalid).
 */
export async function deleteAudience(
  db: Db,
  id: number,
): Promise<{ audience: AudienceRecord; syncIds: number[] }> {
  const row = await db
    .updateTable('audiences')
    .set({ deleted_at: sql`now()` })
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw notFound(id);

  const syncs = await db
    .selectFrom('sync_audiences as sa')
    .innerJoin('syncs as s', 's.id', 'sa.sync_id')
    .select('s.id')
    .where('sa.audience_id', '=', id)
    .where('s.deleted_at', 'is', null)
    .orderBy('s.id')
    .execute();
  return { audience: toRecord(row), syncIds: syncs.map((sync) => sync.id) };
}

export async function getAudience(
  db: Db,
  id: number,
  options: { includeDeleted?: boolean } = {},
): Promise<AudienceRecord | undefined> {
  let query = db.selectFrom('audiences').selectAll().where('id', '=', id);
  if (!options.includeDeleted) query = query.where('deleted_at', 'is', null);
  const row = await query.executeTakeFirst();
  return row && toRecord(row);
}

/** A live audience by id (all digits) or else by name, ignoring case: what a person types. */
export async function findAudience(db: Db, ref: string): Promise<AudienceRecord | undefined> {
  const text = ref.trim();
  if (/^\d{1,15}$/.test(text)) {
    const byId = await getAudience(db, Number(text));
    if (byId) return byId;
  }
  const row = await db
    .selectFrom('audiences')
    .selectAll()
    .where(sql<boolean>`lower(name) = lower(${text})`)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return row && toRecord(row);
}

/** findAudience that throws not_found with the reference in the message. */
export async function resolveAudience(db: Db, ref: string): Promise<AudienceRecord> {
  const audience = await findAudience(db, ref);
  if (audience) return audience;
  throw new AudienceError(
    'not_found',
    `No audience with id or name ${quote(ref)}. Deleted audiences cannot be used.`,
  );
}

/** Live audiences by name, each with its member count as of now. */
export async function listAudiences(db: Db): Promise<AudienceWithCount[]> {
  const rows = await db
    .selectFrom('audiences')
    .selectAll()
    .where('deleted_at', 'is', null)
    .orderBy(sql`lower(name)`)
    .orderBy('id')
    .execute();
  const audiences = rows.map(toRecord);
  const counts = await countEachRule(db, audiences.map((audience) => audience.rule));
  return audiences.map((audience, index) => ({ ...audience, member_count: counts[index] ?? 0 }));
}

export function assertAudienceName(name: unknown): string {
  const text = typeof name === 'string' ? name.trim() : '';
  if (text.length === 0 || text.length > MAX_NAME_LENGTH) {
    const message = `The audience name must be 1 to ${MAX_NAME_LENGTH} characters.`;
    throw new AudienceError('invalid_input', message);
  }
  if (/\p{Cc}/u.test(text)) {
    const message = 'The audience name contains tabs or line breaks: remove them.';
    throw new AudienceError('invalid_input', message);
  }
  return text;
}

function assertDescription(description: unknown): string {
  const text = typeof description === 'string' ? description.trim() : undefined;
  if (text === undefined || text.length > MAX_DESCRIPTION_LENGTH) {
    const limit = MAX_DESCRIPTION_LENGTH;
    const message = `The audience description must be at most ${limit} characters.`;
    throw new AudienceError('invalid_input', message);
  }
  return text;
}

async function requireAudience(db: Db, id: number): Promise<void> {
  if (!(await getAudience(db, id))) throw notFound(id);
}

async function assertNameFree(db: Db, name: string, exceptId?: number): Promise<void> {
  let query = db
    .selectFrom('audiences')
    .select('id')
    .where(sql<boolean>`lower(name) = lower(${name})`)
    .where('deleted_at', 'is', null);
  if (exceptId !== undefined) query = query.where('id', '<>', exceptId);
  if (await query.executeTakeFirst()) throw nameTaken(name);
}

/** Two requests racing for one name both pass assertNameFree; the unique index stops the second. */
async function withNameGuard<T>(name: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if ((error as { code?: unknown }).code === UNIQUE_VIOLATION) throw nameTaken(name);
    throw error;
  }
}

function nameTaken(name: string): AudienceError {
  return new AudienceError(
    'name_taken',
    `An audience named ${quote(name)} already exists (names ignore case). ` +
      'Choose another name or update that audience.',
  );
}

function notFound(id: number): AudienceError {
  const message = `No audience with id ${id}: it does not exist or was deleted.`;
  return new AudienceError('not_found', message);
}

function toRecord(row: Audience): AudienceRecord {
  return { ...row, rule: row.rule as AudienceRule };
}
