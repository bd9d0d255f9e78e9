import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

export type ImportStatus = 'running' | 'completed' | 'failed';

/** A line of an import that did not become a profile, and why (never the line's content). */
export interface ImportReject {
  line: number;
  reason: string;
}

export interface ImportCounts {
  rowsRead: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

export interface ImportDetails extends ImportCounts {
  id: number;
  source: string;
  keyField: string;
  mapping: Record<string, string>;
  status: ImportStatus;
  /** Lines folded into a later line with the same key: rows read that no other count holds. */
  duplicates: number;
  error: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  /** The first rejects by line number; `rejected` says how many there are in all. */
  rejects: ImportReject[];
}

export async function createImport(
  db: Db,
  values: { source: string; keyField: string; mapping: Record<string, string> },
): Promise<number> {
  const row = await db
    .insertInto('imports')
    .values({
      source: values.source,
      key_field: values.keyField,
      mapping: JSON.stringify(values.mapping),
      status: 'running',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Adds one batch's counts and rejects; run it in the batch's transaction so both land together. */
export async function recordImportBatch(
  db: Db,
  importId: number,
  counts: ImportCounts,
  rejects: readonly ImportReject[],
): Promise<void> {
  if (rejects.length > 0) {
    await db
      .insertInto('import_rejects')
      .values(rejects.map((reject) => ({ import_id: importId, ...reject })))
      .execute();
  }

  await db
    .updateTable('imports')
    .set({
      rows_read: sql`rows_read + ${counts.rowsRead}`,
      inserted: sql`inserted + ${counts.inserted}`,
      updated: sql`updated + ${counts.updated}`,
      unchanged: sql`unchanged + ${counts.unchanged}`,
      rejected: sql`rejected + ${counts.rejected}`,
    })
    .where('id', '=', importId)
    .execute();
}

export async function finishImport(db: Db, importId: number, error?: string): Promise<void> {
  await db
    .updateTable('imports')
    .set({
      status: error === undefined ? 'completed' : 'failed',
      error: error ?? null,
      finished_at: sql`now()`,
    })
    .where('id', '=', importId)
    .execute();
}

/** An import with its first `rejectLimit` rejects (default 1,000); undefined when there is none. */
export async function getImport(
  db: Db,
  id: number,
  options: { rejectLimit?: number } = {},
): Promise<ImportDetails | undefined> {
  const row = await db.selectFrom('imports').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;

  const rejects = await db
    .selectFrom('import_rejects')
    .select(['line', 'reason'])
    .where('import_id', '=', id)
    .orderBy('line')
    .limit(options.rejectLimit ?? 1000)
    .execute();
  const accounted = row.inserted + row.updated + row.unchanged + row.rejected;
  return {
    id: row.id,
    source: row.source,
    keyField: row.key_field,
    mapping: row.mapping,
    status: row.status,
    rowsRead: row.rows_read,
    inserted: row.inserted,
    updated: row.updated,
    unchanged: row.unchanged,
    rejected: row.rejected,
    duplicates: row.rows_read - accounted,
    error: row.error,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    rejects,
  };
}

export interface ImportSummary extends ImportCounts {
  id: number;
  source: string;
  status: ImportStatus;
  startedAt: Date;
  finishedAt: Date | null;
}

/** The latest imports first. */
export async function listImports(db: Db, limit = 20): Promise<ImportSummary[]> {
  const rows = await db.selectFrom('imports').selectAll().orderBy('id', 'desc').limit(limit).execute();
  return rows.map((row) => ({
    id: row.id,
    source: row.source,
    status: row.status,
    rowsRead: row.rows_read,
    inserted: row.inserted,
    updated: row.updated,
    unchanged: row.unchanged,
    rejected: row.rejected,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  }));
}
