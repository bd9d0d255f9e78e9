import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { Database, Db } from '../db/database.ts';
import { openTestDatabase } from '../testing/database.ts';
import { upsertCustomerRecords } from './records.ts';
import { getCustomer } from './repository.ts';

let database: Database;
let db: Db;

before(async () => {
  database = await openTestDatabase();
  db = database.db;
});
after(() => database.close());
beforeEach(async () => {
  await sql`truncate customers`.execute(db);
});

describe('upsertCustomerRecords', () => {
  test('inserts, then reports the same records unchanged without a new version', async () => {
    const records = [
      { external_id: 'c-1', registered_at: '2021-07-26', attributes: { plan: 'gold' } },
      { external_id: 'c-2', first_name: 'Bo', 'attributes.seats': 5 },
    ];
    const first = await upsertCustomerRecords(db, records, { key: 'external_id' });
    const version = (await getCustomer(db, 'c-1'))?.version;

    const second = await upsertCustomerRecords(db, records, { key: 'external_id' });

    const none = { duplicates: 0, rejected: [] };
    assert.deepEqual(first, { inserted: 2, updated: 0, unchanged: 0, ...none });
    assert.deepEqual(second, { inserted: 0, updated: 0, unchanged: 2, ...none });
    const stored = await getCustomer(db, 'c-1');
    assert.equal(stored?.version, version);
    assert.equal(stored?.registered_at?.toISOString(), '2021-07-26T00:00:00.000Z');
    assert.deepEqual((await getCustomer(db, 'c-2'))?.attributes, { seats: '5' });
  });

  test('a record changes only the fields it has; null clears a field or an attribute', async () => {
    const attributes = { plan: 'gold', tier: '1' };
    await upsertCustomerRecords(
      db,
      [{ external_id: 'c-1', email: 'a@example.com', city: 'Oslo', attributes }],
      { key: 'external_id' },
    );

    const result = await upsertCustomerRecords(
      db,
      [{ external_id: 'c-1', city: null, attributes: { plan: null, seats: '3' } }],
      { key: 'external_id' },
    );

    const customer = await getCustomer(db, 'c-1');
    assert.equal(result.updated, 1);
    assert.equal(customer?.email, 'a@example.com');
    assert.equal(customer?.city, null);
    assert.deepEqual(customer?.attributes, { tier: '1', seats: '3' });
  });

  test('a null attribute on a new profile is not stored', async () => {
    const records = [{ email: 'n@example.com', attributes: { plan: null, tier: '2' } }];
    await upsertCustomerRecords(db, records, { key: 'email' });
    assert.deepEqual((await getCustomer(db, 'n@example.com'))?.attributes, { tier: '2' });
  });

  test('rejects bad records by index with a reason and writes the good ones', async () => {
    const result = await upsertCustomerRecords(
      db,
      [
        { external_id: 'ok-1' },
        { email: 'no-key@example.com' },
        { external_id: 'c-3', emial: 'typo@example.com' },
        { external_id: 'c-4', registered_at: '26/08/2020' },
        { external_id: 'c-5', first_name: { nested: true } },
        { external_id: 'c-6', attributes: { 'Bad Name': 'x' } },
        'not an object' as unknown as Record<string, unknown>,
      ],
      { key: 'external_id' },
    );

    assert.equal(result.inserted, 1);
    assert.deepEqual(result.rejected, [
      { index: 1, reason: 'Field external_id (the key) is missing or empty' },
      {
        index: 2,
        reason: 'Unknown field "emial": use a customer field or put the value under attributes',
      },
      {
        index: 3,
        reason: 'Field registered_at is not an ISO 8601 date (YYYY-MM-DD, optionally with a time)',
      },
      { index: 4, reason: 'Field first_name must be a string, a number, a boolean or null' },
      { index: 5, reason: 'Attribute name "Bad Name" must be lowercase letters, digits and _' },
      { index: 6, reason: 'Record is not a JSON object' },
    ]);
  });

  test('records sharing a key are merged in order, the later value winning', async () => {
    const result = await upsertCustomerRecords(
      db,
      [
        { email: 'A@example.com', city: 'Oslo', attributes: { plan: 'gold' } },
        { email: 'a@example.com ', country: 'Norway', city: 'Bergen' },
      ],
      { key: 'email' },
    );

    const customer = await getCustomer(db, 'a@example.com');
    assert.deepEqual([result.inserted, result.duplicates], [1, 1]);
    const { email, city, country } = customer!;
    assert.deepEqual([email, city, country], ['a@example.com ', 'Bergen', 'Norway']);
    assert.deepEqual(customer?.attributes, { plan: 'gold' });
  });

  test('records carrying different fields are written with their own columns only', async () => {
    await upsertCustomerRecords(
      db,
      [
        { external_id: 'a', city: 'Oslo', country: 'Norway' },
        { external_id: 'b', city: 'Rome', country: 'Italy' },
      ],
      { key: 'external_id' },
    );

    const result = await upsertCustomerRecords(
      db,
      [{ external_id: 'a', city: 'Bergen' }, { external_id: 'b', country: 'Italia' }],
      { key: 'external_id' },
    );

    assert.equal(result.updated, 2);
    const [a, b] = [await getCustomer(db, 'a'), await getCustomer(db, 'b')];
    assert.deepEqual([a?.city, a?.country], ['Bergen', 'Norway']);
    assert.deepEqual([b?.city, b?.country], ['Rome', 'Italia']);
  });
});
