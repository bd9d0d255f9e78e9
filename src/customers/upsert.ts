import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/database.ts';
import type { CustomerField } from './fields.ts';

/**
 * One profile to write: its key and the values it carries. A field left out is
 * left alone; a field set to null is cleared. In attributes, null removes the
 * attribute; attributes not named are kept.
 */
export interface CustomerInput {
  key: string;
  fields: Partial<Record<CustomerField, string | null>>;
  attributes?: Record<string, string | null>;
}

export interface UpsertCounts {
  inserted: number;
  updated: number;
  /** Profiles whose stored values already equalled the input: no write, no new version. */
  unchanged: number;
  /** Inputs folded into a later input with the same key (the later one wins field by field). */
  duplicates: number;
}

/** Keeps one statement far below PostgreSQL's 65,535 bind parameters (18 columns at most). */
export const MAX_ROWS_PER_STATEMENT = 1000;

const MERGED_ATTRIBUTES = sql`jsonb_strip_nulls(customers.attributes || excluded.attributes)`;

/**
 * Inserts new profiles and updates changed ones, one statement per shape of
 * input, and bumps `version` only where a value really changed. Run it inside a
 * transaction when the caller records anything alongside.
 */
export async function upsertCustomers(
  db: Db,
  inputs: readonly CustomerInput[],
): Promise<UpsertCounts> {
  const merged = mergeDuplicates(inputs);
  const duplicates = inputs.length - merged.length;
  const counts: UpsertCounts = { inserted: 0, updated: 0, unchanged: 0, duplicates };

  for (const group of groupByShape(merged)) {
    for (let start = 0; start < group.length; start += MAX_ROWS_PER_STATEMENT) {
      const chunk = group.slice(start, start + MAX_ROWS_PER_STATEMENT);
      const written = await upsertChunk(db, chunk);
      const inserted = written.filter((row) => row.inserted).length;
      counts.inserted += inserted;
      counts.updated += written.length - inserted;
      counts.unchanged += chunk.length - written.length;
    }
  }
  return counts;
}

// PostgreSQL refuses to update one row twice in a statement, so inputs that share
// a key become one, applied in file order. Sorting by key keeps two concurrent
// imports taking row locks in the same order.
function mergeDuplicates(inputs: readonly CustomerInput[]): CustomerInput[] {
  const byKey = new Map<string, CustomerInput>();
  for (const input of inputs) {
    const earlier = byKey.get(input.key);
    if (!earlier) {
      byKey.set(input.key, input);
      continue;
    }
    const fields = { ...earlier.fields, ...input.fields };
    const attributes =
      earlier.attributes || input.attributes
        ? { ...earlier.attributes, ...input.attributes }
        : undefined;
    byKey.set(input.key, { key: input.key, fields, attributes });
  }
  return [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

// A statement sets only the columns its inputs carry, so inputs carrying
// different fields go in different statements.
function groupByShape(inputs: CustomerInput[]): CustomerInput[][] {
  const groups = new Map<string, CustomerInput[]>();
  for (const input of inputs) {
    const shape = `${Object.keys(input.fields).sort().join(',')}|${input.attributes ? 'a' : ''}`;
    const group = groups.get(shape);
    if (group) group.push(input);
    else groups.set(shape, [input]);
  }
  return [...groups.values()];
}

async function upsertChunk(db: Db, chunk: CustomerInput[]): Promise<Array<{ inserted: boolean }>> {
  const first = chunk[0]!;
  const columns = Object.keys(first.fields).sort() as CustomerField[];
  const withAttributes = first.attributes !== undefined;

  const values = chunk.map((input) => {
    const row: Record<string, string | null> = { customer_key: input.key };
    for (const column of columns) row[column] = input.fields[column] ?? null;
    if (withAttributes) row.attributes = JSON.stringify(input.attributes);
    return row;
  });

  const stored: RawBuilder<unknown>[] = columns.map((column) => sql.ref(`customers.${column}`));
  const incoming: RawBuilder<unknown>[] = columns.map((column) => sql.ref(`excluded.${column}`));
  const changes: Record<string, RawBuilder<unknown>> = Object.fromEntries(
    columns.map((column) => [column, sql.ref(`excluded.${column}`)]),
  );
  if (withAttributes) {
    stored.push(sql.ref('customers.attributes'));
    incoming.push(MERGED_ATTRIBUTES);
    changes.attributes = MERGED_ATTRIBUTES;
  }

  const written = await db
    .insertInto('customers')
    .values(values as never)
    .onConflict((conflict) => {
      const target = conflict.column('customer_key');
      if (stored.length === 0) return target.doNothing();
      return target
        .doUpdateSet({
          ...changes,
          version: sql`nextval('customer_version_seq')`,
          updated_at: sql`now()`,
        } as never)
        .where(sql<boolean>`(${sql.join(stored)}) is distinct from (${sql.join(incoming)})`);
    })
    // xmax is 0 on a row version this statement inserted, and set on one it updated.
    .returning(['customer_key', sql<boolean>`(xmax = 0)`.as('inserted')])
    .execute();

  if (withAttributes) await dropRemovedAttributesOfNewRows(db, chunk, written);
  return written;
}

// An insert cannot strip nulls itself: the update path needs them in `excluded`
// to remove attributes, so new rows that received a null are cleaned afterwards.
async function dropRemovedAttributesOfNewRows(
  db: Db,
  chunk: CustomerInput[],
  written: Array<{ customer_key: string; inserted: boolean }>,
): Promise<void> {
  const withNull = new Set(
    chunk
      .filter((input) => Object.values(input.attributes ?? {}).some((value) => value === null))
      .map((input) => input.key),
  );
  const keys = written
    .filter((row) => row.inserted && withNull.has(row.customer_key))
    .map((row) => row.customer_key);
  if (keys.length === 0) return;

  await db
    .updateTable('customers')
    .set({ attributes: sql`jsonb_strip_nulls(attributes)` as never })
    .where('customer_key', 'in', keys)
    .execute();
}
