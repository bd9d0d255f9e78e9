import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { openTestDatabase } from '../testing/database.ts';

test('migrations create every table and int8 ids come back as numbers', async () => {
  const database = await openTestDatabase();
  try {
    const { db } = database;
    const inserted = await db
      .insertInto('customers')
      .values({ customer_key: 'c-1', email: 'a@example.com', attributes: '{}' })
      .returning(['id', 'version'])
      .executeTakeFirstOrThrow();
    assert.equal(typeof inserted.id, 'number');
    assert.equal(typeof inserted.version, 'number');
    const tables = await sql<{ n: number }>`select count(*)::int as n from information_schema.tables
      where table_name in ('customers','imports','audiences','destinations','syncs','sync_members','runs')
      and table_schema = current_schema()`.execute(db);
    assert.equal(tables.rows[0]?.n, 7);
  } finally {
    await database.close();
  }
});

test('concurrent transactions on one database never interleave their statements', async () => {
  const database = await openTestDatabase();
  try {
    const { db } = database;
    const writes = Array.from({ length: 5 }, (_, i) =>
      db.transaction().execute(async (trx) => {
        await trx.insertInto('customers').values({ customer_key: `k${i}`, attributes: '{}' }).execute();
        if (i % 2 === 0) throw new Error('roll this one back');
      }).catch(() => undefined),
    );
    await Promise.all(writes);
    const rows = await db.selectFrom('customers').select('customer_key').orderBy('customer_key').execute();
    assert.deepEqual(rows.map((row) => row.customer_key), ['k1', 'k3']);
  } finally {
    await database.close();
  }
});

test('a second opening of one embedded data folder is refused until the first closes', async () => {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { openDatabase } = await import('./database.ts');
  const dataDir = join(mkdtempSync(join(tmpdir(), 'sourcesible-lock-')), 'pgdata');
  const first = await openDatabase({ dataDir });

  await assert.rejects(openDatabase({ dataDir }), /is using the embedded database/);
  await first.close();
  const second = await openDatabase({ dataDir });
  await second.close();
});
