import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Customer } from '../db/schema.ts';

/** Customers fetched per page; also the most rows one Graph request carries (Meta's limit). */
export const PAGE_SIZE = 10_000;

/** The separator of a stored row's cells: never inside a hash, an id or a MADID. */
export const CELL_SEPARATOR = '\t';

export interface DepartedMember {
  customer_id: number;
  sent_row: string | null;
  config_version: number;
}

export type CandidateMember = Customer & {
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
      and not exists (select 1 from customers c where c.id = sm.customer_id and ${members})
    order by sm.customer_id
    limit ${limit}`.execute(db);
  return result.rows;
}

/**
 * Audience members whose row must be built again: never seen, changed since
 * last sent (the customer's version moved) or sent under an older mapping.
 * With `everyone`, all members, as a full replace needs.
 */
export async function fetchCandidates(
  db: Db,
  options: {
    syncId: number;
    configVersion: number;
    members: RawBuilder<SqlBool>;
    after: number;
    limit: number;
    everyone?: boolean;
  },
): Promise<CandidateMember[]> {
  const { syncId, configVersion, members, after } = options;
  const stale = options.everyone
    ? sql`true`
    : sql`(sm.customer_id is null or sm.customer_version <> c.version or sm.config_version <> ${configVersion})`;
  const result = await sql<CandidateMember>`
    select c.*, sm.customer_id as sm_customer_id, sm.sent_row as sm_sent_row,
      sm.config_version as sm_config_version
    from customers c
    left join sync_members sm on sm.sync_id = ${syncId} and sm.customer_id = c.id
    where c.id > ${after} and ${members} and ${stale}
    order by c.id
    limit ${options.limit}`.execute(db);
  return result.rows;
}

/** Of the rows about to be removed, those another member of the sync still holds. */
export async function rowsStillHeld(db: Db, syncId: number, rows: string[], leavingIds: number[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const result = await sql<{ sent_row: string }>`
    select distinct sm.sent_row
    from unnest(${rows}::text[]) as r(sent_row)
    join sync_members sm on sm.sent_row = r.sent_row and sm.sync_id = ${syncId}
    where not (sm.customer_id = any(${leavingIds}::bigint[]))`.execute(db);
  return new Set(result.rows.map((row) => row.sent_row));
}

/** Records what Meta now holds for these members, in one statement. */
export async function saveMembers(db: Db, syncId: number, configVersion: number, updates: MemberUpdate[]): Promise<void> {
  if (updates.length === 0) return;
  await sql`
    insert into sync_members (sync_id, customer_id, customer_version, config_version, sent_row, skip_reason)
    select ${syncId}, u.customer_id, u.customer_version, ${configVersion}, u.sent_row, u.skip_reason
    from unnest(${updates.map((u) => u.customerId)}::bigint[], ${updates.map((u) => u.customerVersion)}::bigint[],
      ${updates.map((u) => u.sentRow)}::text[], ${updates.map((u) => u.skipReason)}::text[])
      as u(customer_id, customer_version, sent_row, skip_reason)
    on conflict (sync_id, customer_id) do update set
      customer_version = excluded.customer_version, config_version = excluded.config_version,
      sent_row = excluded.sent_row, skip_reason = excluded.skip_reason`.execute(db);
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
