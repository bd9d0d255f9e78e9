import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { ATTRIBUTE_PREFIX, isCustomerField } from '../customers/fields.ts';
import type { Db } from '../db/database.ts';
import type { Customer } from '../db/schema.ts';

/** Customers fetched per page; also the most rows one Graph request carries (Meta's limit). */
export const PAGE_SIZE = 10_000;

/** A member whose row Meta refused; tried again at every run until Meta takes it. */
export const SKIP_REJECTED_BY_META = 'rejected_by_meta';

/** The separator of a stored row's cells: never inside a hash, an id or a MADID. */
export const CELL_SEPARATOR = '\t';

export interface DepartedMember {
  customer_id: number;
  sent_row: string | null;
  config_version: number;
}

/** A member to build a row for: the customer columns the mapping reads, id and version. */
export type CandidateMember = Pick<Customer, 'id' | 'version'> & Partial<Customer> & {
  sm_customer_id: number | null;
  sm_sent_row: string | null;
  sm_config_version: number | null;
};

/** The member state a page commits once Meta has acknowledged its rows. */
export interface MemberUpdate {
  customerId: number;
  customerVersion: number;
  sentRow: string | null;
  skipReason: string | null;
}

/**
 * Members last sent for this sync that are no longer in any of its audiences
 * (or whose customer is gone), in customer id order from `after`.
 *
 * Here and in fetchCandidates the `> after` bound is repeated on the joined
 * table: the planner does not carry an inequality across `c.id = sm.customer_id`,
 * so a merge join read (and sorted) the other table from its first row on every
 * page. Near the end of a 1,000,000-member first run on PostgreSQL a page took
 * 4.4 s, sorting 900,000 member rows on disk, instead of 30 ms.
 */
export async function fetchDeparted(
  db: Db,
  syncId: number,
  members: RawBuilder<SqlBool>,
  after: number,
  limit = PAGE_SIZE,
): Promise<DepartedMember[]> {
  const result = await sql<DepartedMember>`
    select sm.customer_id, sm.sent_row, sm.config_version
    from sync_members sm
    where sm.sync_id = ${syncId} and sm.customer_id > ${after}
      and not exists (
        select 1 from customers c where c.id = sm.customer_id and c.id > ${after} and ${members})
    order by sm.customer_id
    limit ${limit}`.execute(db);
  return result.rows;
}

/**
 * The customer columns a row built from this mapping reads: each mapped
 * column, `attributes` for any attribute, and `country`, which phone, state
 * and zip read for the row's country.
 */
export function columnsRead(mapping: ReadonlyArray<{ source: string }>): string[] {
  const columns = new Set(['country']);
  for (const { source } of mapping) {
    columns.add(source.startsWith(ATTRIBUTE_PREFIX) ? 'attributes' : source);
  }
  return [...columns];
}

/**
 * Audience members whose row must be built again: never seen, changed since
 * last sent (the customer's version moved) or sent under an older mapping.
 * With `everyone`, all members, as a full replace needs. Only `columns` are
 * read (see columnsRead): the others would cost transfer and parsing for nothing.
 */
export async function fetchCandidates(
  db: Db,
  options: {
    syncId: number;
    configVersion: number;
    members: RawBuilder<SqlBool>;
    columns: readonly string[];
    after: number;
    limit: number;
    everyone?: boolean;
  },
): Promise<CandidateMember[]> {
  const { syncId, configVersion, members, after } = options;
  const stale = options.everyone
    ? sql`true`
    : sql`(sm.customer_id is null or sm.customer_version <> c.version or sm.config_version <> ${configVersion}
        or sm.skip_reason = ${SKIP_REJECTED_BY_META})`;
  const columns = options.columns.map((column) => {
    if (column !== 'attributes' && !isCustomerField(column)) {
      throw new Error(`${column} is not a customer column`);
    }
    return sql.ref(`c.${column}`);
  });
  const result = await sql<CandidateMember>`
    select c.id, c.version, ${sql.join(columns)}, sm.customer_id as sm_customer_id,
      sm.sent_row as sm_sent_row, sm.config_version as sm_config_version
    from customers c
    left join sync_members sm
      on sm.sync_id = ${syncId} and sm.customer_id = c.id and sm.customer_id > ${after}
    where c.id > ${after} and ${members} and ${stale}
    order by c.id
    limit ${options.limit}`.execute(db);
  return result.rows;
}

/**
 * Of the rows about to be removed, those another member of the sync still holds.
 * Written as `= any(array)` rather than a join with unnest: without statistics
 * (PGlite is never analyzed) the planner put the unnested rows inside a nested
 * loop over every member, 10,000 × 1,000,000 comparisons for a 1% run. Every
 * plan for this form is linear: the hash index per row, or one pass over the
 * sync's members testing each against a hashed array.
 */
export async function rowsStillHeld(db: Db, syncId: number, rows: string[], leavingIds: number[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const result = await sql<{ sent_row: string }>`
    select distinct sm.sent_row
    from sync_members sm
    where sm.sync_id = ${syncId} and sm.sent_row = any(${rows}::text[])
      and not (sm.customer_id = any(${leavingIds}::bigint[]))`.execute(db);
  return new Set(result.rows.map((row) => row.sent_row));
}

/**
 * Records what Meta now holds for these members, in one statement. The arrays
 * are unnested in the select list, which streams the rows: unnest in FROM
 * would first collect a page (about 4 MB) in a tuplestore that spills to disk.
 */
export async function saveMembers(db: Db, syncId: number, configVersion: number, updates: MemberUpdate[]): Promise<void> {
  if (updates.length === 0) return;
  await sql`
    insert into sync_members (sync_id, customer_id, customer_version, config_version, sent_row, skip_reason)
    select ${syncId}, unnest(${updates.map((u) => u.customerId)}::bigint[]),
      unnest(${updates.map((u) => u.customerVersion)}::bigint[]), ${configVersion},
      unnest(${updates.map((u) => u.sentRow)}::text[]),
      unnest(${updates.map((u) => u.skipReason)}::text[])
    on conflict (sync_id, customer_id) do update set
      customer_version = excluded.customer_version, config_version = excluded.config_version,
      sent_row = excluded.sent_row, skip_reason = excluded.skip_reason`.execute(db);
}

/** Member rows a pass writes (added, changed, forgotten) before it refreshes their statistics. */
export const ANALYZE_AFTER_ROWS = 50_000;

/**
 * Refreshes the planner's statistics of sync_members after a pass rewrote many
 * rows. PGlite never runs autovacuum and PostgreSQL's comes up to a minute
 * later, so the next run was planned for the table as it was before: after a
 * 500,000-member first run on PGlite, the next run's departed scan took 1.7 s
 * instead of 0.9 s and its shared-row check 0.42 s instead of 0.06 s. ANALYZE
 * samples 30,000 rows whatever the table's size (0.2 s on PGlite there).
 */
export async function refreshMemberStatistics(db: Db, rowsWritten: number): Promise<void> {
  if (rowsWritten < ANALYZE_AFTER_ROWS) return;
  await sql`analyze sync_members`.execute(db);
}

export async function forgetMembers(db: Db, syncId: number, customerIds: number[]): Promise<void> {
  if (customerIds.length === 0) return;
  await sql`delete from sync_members where sync_id = ${syncId}
    and customer_id = any(${customerIds}::bigint[])`.execute(db);
}

/** Members, and skipped members by reason, as the member state now records them. */
export async function countMembers(db: Db, syncId: number, members: RawBuilder<SqlBool>) {
  const size = await sql<{ n: number }>`select count(*)::int as n from customers c where ${members}`.execute(db);
  const skipped = await sql<{ reason: string; n: number }>`
    select skip_reason as reason, count(*)::int as n from sync_members
    where sync_id = ${syncId} and skip_reason is not null group by skip_reason`.execute(db);
  return {
    audienceSize: size.rows[0]?.n ?? 0,
    skippedByReason: Object.fromEntries(skipped.rows.map((row) => [row.reason, row.n])) as Record<string, number>,
  };
}
