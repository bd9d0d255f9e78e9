import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { compileAudienceUnion, compileRule } from './compile.ts';
import { AudienceError } from './errors.ts';
import { maskEmail, maskPhone } from './masking.ts';
import { assertAudienceRule } from './parse-rule.ts';
import type { AudienceRule } from './rules.ts';

/** A rule to evaluate, or the id of a saved (not deleted) audience whose rule to use. */
export type AudienceTarget = AudienceRule | number;

/** A member as a person may see it in a preview: names, and masked identifiers only. */
export interface MemberPreview {
  id: number;
  customer_key: string;
  first_name: string | null;
  last_name: string | null;
  masked_email: string | null;
  masked_phone: string | null;
}

export const DEFAULT_PREVIEW_LIMIT = 10;
export const MAX_PREVIEW_LIMIT = 100;

// Counting many audiences in one table scan; past this many, another scan reads easier SQL.
const COUNTS_PER_SCAN = 50;

export async function countAudienceMembers(db: Db, target: AudienceTarget): Promise<number> {
  const rule = await resolveRule(db, target);
  return countWhere(db, [rule]);
}

/** The first members by id, e.g. `{ id: 7, first_name: 'Jo', masked_email: 'j***@x.com' }`. */
export async function previewAudienceMembers(
  db: Db,
  target: AudienceTarget,
  options: { limit?: number } = {},
): Promise<MemberPreview[]> {
  const limit = options.limit ?? DEFAULT_PREVIEW_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PREVIEW_LIMIT) {
    throw new AudienceError(
      'invalid_input',
      `The preview limit must be a whole number from 1 to ${MAX_PREVIEW_LIMIT}.`,
    );
  }
  const rule = await resolveRule(db, target);

  const rows = await db
    .selectFrom('customers')
    .select(['id', 'customer_key', 'first_name', 'last_name', 'email', 'phone'])
    .where(compileRule(rule))
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map(({ email, phone, ...names }) => ({
    ...names,
    masked_email: maskEmail(email),
    masked_phone: maskPhone(phone),
  }));
}

/**
 * The Export Audience counter: customers in any of the audiences, each counted once.
 * An unknown or deleted audience id is an error, not a silent zero.
 */
export async function countUnion(db: Db, audienceIds: readonly number[]): Promise<number> {
  const rules = await loadAudienceRules(db, audienceIds);
  return countWhere(db, rules);
}

/** The rules of saved audiences, in the order of the ids; throws not_found for a missing one. */
export async function loadAudienceRules(
  db: Db,
  audienceIds: readonly number[],
): Promise<AudienceRule[]> {
  const ids = [...new Set(audienceIds)];
  if (ids.length === 0) return [];

  const rows = await db
    .selectFrom('audiences')
    .select(['id', 'rule'])
    .where('id', 'in', ids)
    .where('deleted_at', 'is', null)
    .execute();
  const rules = new Map(rows.map((row) => [row.id, row.rule as AudienceRule]));
  const missing = ids.filter((id) => !rules.has(id));
  if (missing.length > 0) {
    throw new AudienceError(
      'not_found',
      `No audience with id ${missing.join(', ')}: it does not exist or was deleted.`,
    );
  }
  return ids.map((id) => rules.get(id)!);
}

/** Member counts of several rules, in order, reading the customers table once per 50 rules. */
export async function countEachRule(db: Db, rules: readonly AudienceRule[]): Promise<number[]> {
  const counts: number[] = [];
  for (let from = 0; from < rules.length; from += COUNTS_PER_SCAN) {
    const chunk = rules.slice(from, from + COUNTS_PER_SCAN);
    const columns = chunk.map((rule, index) =>
      sql<number>`count(*) filter (where ${compileRule(rule)})`.as(`n${index}`),
    );
    const row = await db.selectFrom('customers').select(columns).executeTakeFirstOrThrow();
    const values = row as Record<string, number>;
    counts.push(...chunk.map((_, index) => Number(values[`n${index}`])));
  }
  return counts;
}

async function countWhere(db: Db, rules: readonly AudienceRule[]): Promise<number> {
  if (rules.length === 0) return 0;
  const row = await db
    .selectFrom('customers')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where(compileAudienceUnion(rules))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

async function resolveRule(db: Db, target: AudienceTarget): Promise<AudienceRule> {
  if (typeof target === 'number') {
    const [rule] = await loadAudienceRules(db, [target]);
    return rule!;
  }
  // Callers may hand over parsed JSON typed as a rule; it is checked before it becomes SQL.
  return assertAudienceRule(target);
}
