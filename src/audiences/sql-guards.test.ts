import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { openTestDatabase } from '../testing/database.ts';
import { guardedNumber, guardedTimestamp, type SqlPart } from './sql-guards.ts';

let database: Database;

before(async () => {
  database = await openTestDatabase();
});

after(async () => {
  await database?.close();
});

/** Runs a guard over one text value and returns what it read, or null. */
async function read<T>(guard: (value: SqlPart) => SqlPart, text: string): Promise<T | null> {
  const value = guard(sql`cast(${text} as text)`);
  const result = await sql<{ v: T | null }>`select ${value} as v`.execute(database.db);
  return result.rows[0]!.v;
}

const number = async (text: string) => {
  const value = await read<string | number>(guardedNumber, text);
  return value === null ? null : Number(value);
};

const stamp = async (text: string) => {
  const value = await read<Date>(guardedTimestamp, text);
  return value?.toISOString() ?? null;
};

test('guardedNumber reads plain decimal numbers, signs, fractions and exponents', async () => {
  assert.equal(await number(' 42 '), 42);
  assert.equal(await number('-7.50'), -7.5);
  assert.equal(await number('.5'), 0.5);
  assert.equal(await number('1e3'), 1000);
});

test('guardedNumber yields null, never an error, for text that is not a number', async () => {
  const hostile = ['', '  ', 'n/a', '1,000', 'NaN', 'Infinity', '1e9999', '12abc', '١٢٣'];
  for (const text of [...hostile, "1'; drop", '9'.repeat(101)]) {
    assert.equal(await number(text), null, `for ${JSON.stringify(text)}`);
  }
});

test('guardedTimestamp reads dates as UTC midnight, datetimes with or without a zone', async () => {
  assert.equal(await stamp('2024-02-29'), '2024-02-29T00:00:00.000Z');
  assert.equal(await stamp('2024-01-31 09:30'), '2024-01-31T09:30:00.000Z');
  assert.equal(await stamp('2024-01-31T09:30:00+0900'), '2024-01-31T00:30:00.000Z');
  assert.equal(await stamp('2024-01-31T09:30:00.123-14:59'), '2024-02-01T00:29:00.123Z');
});

test('guardedTimestamp yields null, never an error, for impossible or foreign dates', async () => {
  const impossible = ['2023-02-29', '2024-04-31', '2024-13-01', '2024-00-10', '0000-01-01'];
  const badTimes = ['2024-01-31T24:00:00Z', '2024-01-31T10:00+16:00'];
  const foreign = ['31-01-2024', '2024/01/31', 'yesterday', 'infinity', 'epoch', ''];
  for (const text of [...impossible, ...badTimes, ...foreign, "2024-01-01'; --"]) {
    assert.equal(await stamp(text), null, `for ${JSON.stringify(text)}`);
  }
});
