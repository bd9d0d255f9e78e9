import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { openTestDatabase } from '../testing/database.ts';
import { importCustomers } from './import.ts';
import { upsertCustomerRecords } from './records.ts';

test('a bad time zone offset or an over-long key rejects its own line, and the others land', async () => {
  const database = await openTestDatabase();
  try {
    const csv = [
      'external_id,email,registered_at',
      'r1,r1@example.com,2020-01-01',
      'r2,r2@example.com,2020-01-01T10:00+99:99',
      `${'k'.repeat(9000)},long@example.com,2020-01-01`,
      'r4,r4@example.com,2020-01-02',
    ].join('\n');

    const report = await importCustomers(database.db, { input: Readable.from([csv]), source: 'hostile.csv', key: 'external_id' });

    assert.equal(report.inserted, 2);
    assert.deepEqual(report.rejects.map((r) => r.line), [3, 4]);
    assert.match(report.rejects[1]!.reason, /more than 1,000 characters/);
  } finally {
    await database.close();
  }
});

test('a JSON record with an impossible offset is rejected alone', async () => {
  const database = await openTestDatabase();
  try {
    const result = await upsertCustomerRecords(
      database.db,
      [
        { external_id: 'ok1', email: 'ok1@example.com' },
        { external_id: 'bad', registered_at: '2020-01-01T10:00+14:60' },
        { external_id: 'ok2', email: 'x'.repeat(1200) },
      ],
      { key: 'external_id' },
    );

    assert.equal(result.inserted, 1);
    assert.deepEqual(result.rejected.map((r) => r.index), [1, 2]);
  } finally {
    await database.close();
  }
});
