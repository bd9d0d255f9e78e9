import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Customer } from '../db/schema.ts';

/** One page of customers in id order; `nextAfter` is the next page's `after`, null on the last. */
export interface CustomerPage {
  customers: Customer[];
  nextAfter: number | null;
}

export interface PageOptions {
  /** Page size, 1 to 1,000; default 50. */
  limit?: number;
  /** The last id of the previous page. */
  after?: number;
}

export async function listCustomers(db: Db, options: PageOptions = {}): Promise<CustomerPage> {
  return searchCustomers(db, { ...options, query: '' });
}

/**
 * Customers whose key, external id, email, phone or name contains the query,
 * ignoring case. An empty query matches everyone. Scans the table: fine for
 * operator look-ups, not meant for audience building.
 */
export async function searchCustomers(
  db: Db,
  options: PageOptions & { query: string },
): Promise<CustomerPage> {
  const limit = Math.min(Math.max(Math.trunc(options.limit ?? 50), 1), 1000);
  const pattern = `%${options.query.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

  let query = db.selectFrom('customers').selectAll().orderBy('id').limit(limit + 1);
  if (options.after !== undefined) query = query.where('id', '>', options.after);
  if (options.query.trim() !== '') {
    query = query.where((eb) =>
      eb.or([
        eb('customer_key', 'ilike', pattern),
        eb('external_id', 'ilike', pattern),
        eb('email', 'ilike', pattern),
        eb('phone', 'ilike', pattern),
        eb(sql<string>`concat_ws(' ', first_name, last_name)`, 'ilike', pattern),
      ]),
    );
  }

  const rows = await query.execute();
  const customers = rows.slice(0, limit);
  const nextAfter = rows.length > limit ? customers[customers.length - 1]!.id : null;
  return { customers, nextAfter };
}

/**
 * A customer by id (a number) or by key (a string: matched as stored, then
 * trimmed and lowercased the way email keys are stored).
 */
export async function getCustomer(db: Db, idOrKey: number | string): Promise<Customer | undefined> {
  if (typeof idOrKey === 'number') {
    return db.selectFrom('customers').selectAll().where('id', '=', idOrKey).executeTakeFirst();
  }

  const candidates = [...new Set([idOrKey, idOrKey.trim(), idOrKey.trim().toLowerCase()])];
  const rows = await db
    .selectFrom('customers')
    .selectAll()
    .where('customer_key', 'in', candidates)
    .execute();
  return candidates.map((key) => rows.find((row) => row.customer_key === key)).find(Boolean);
}

export async function countCustomers(db: Db): Promise<number> {
  const row = await db
    .selectFrom('customers')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/**
 * Deletes customers for good (a leaver, an erasure request). The next run of each
 * sync removes them from Meta with the rows they were sent as: member state
 * outlives the customer for exactly that.
 */
export async function deleteCustomers(db: Db, ids: readonly number[]): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await db.deleteFrom('customers').where('id', 'in', [...ids]).executeTakeFirst();
  return Number(result.numDeletedRows);
}
