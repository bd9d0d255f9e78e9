import { sql } from 'kysely';
import type { Db } from './database.ts';

/** Tables whose live rows have names unique regardless of case. */
type NamedTable = 'destinations' | 'syncs';

/** Whether a live row of the table already has this name, ignoring case. */
export async function isNameTaken(db: Db, table: NamedTable, name: string): Promise<boolean> {
  const result = await sql<{ id: number }>`
    select id from ${sql.table(table)}
    where lower(name) = lower(${name}) and deleted_at is null
    limit 1`.execute(db);
  return result.rows.length > 0;
}
