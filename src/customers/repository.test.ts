import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Database, Db } from '../db/database.ts';
import { openTestDatabase } from '../testing/database.ts';
import { upsertCustomerRecords } from './records.ts';
import { countCustomers, getCustomer, listCustomers, searchCustomers } from './repository.ts';

let database: Database;
let db: Db;

before(async () => {
  database = await openTestDatabase();
  db = database.db;
  await upsertCustomerRecords(
    db,
    [
      { external_id: 'k-1', email: 'ann.lee@example.com', first_name: 'Ann', last_name: 'Lee' },
      { external_id: 'k-2', email: 'bo@example.com', first_name: 'Bo', phone: '555-0100' },
      { external_id: 'k-3', email: 'cy_100%@example.com', first_name: 'Cy' },
      { external_id: 'k-4', email: 'dee@example.org', first_name: 'Dee', last_name: 'Leeward' },
    ],
    { key: 'external_id' },
  );
});
after(() => database.close());

describe('customer repository', () => {
  test('lists customers page by page in id order', async () => {
    const first = await listCustomers(db, { limit: 3 });
    const second = await listCustomers(db, { limit: 3, after: first.nextAfter! });

    assert.equal(first.customers.length, 3);
    assert.equal(first.nextAfter, first.customers[2]!.id);
    assert.equal(second.customers.length, 1);
    assert.equal(second.nextAfter, null);
    const ids = [...first.customers, ...second.customers].map((customer) => customer.id);
    assert.deepEqual(ids, [...ids].sort((a, b) => a - b));
  });

  test('searches key, email, phone and full name without regard to case', async () => {
    const keys = async (query: string) =>
      (await searchCustomers(db, { query, limit: 10 })).customers.map((c) => c.customer_key).sort();

    assert.deepEqual(await keys('LEE'), ['k-1', 'k-4']);
    assert.deepEqual(await keys('ann lee'), ['k-1']);
    assert.deepEqual(await keys('example.org'), ['k-4']);
    assert.deepEqual(await keys('0100'), ['k-2']);
    assert.deepEqual(await keys('k-3'), ['k-3']);
  });

  test('treats % and _ in a search as plain characters', async () => {
    const result = await searchCustomers(db, { query: '_100%', limit: 10 });
    assert.deepEqual(result.customers.map((c) => c.customer_key), ['k-3']);
    assert.equal((await searchCustomers(db, { query: '%', limit: 10 })).customers.length, 1);
  });

  test('gets a customer by id or by key', async () => {
    const byKey = await getCustomer(db, 'k-2');
    assert.equal(byKey?.first_name, 'Bo');
    assert.equal((await getCustomer(db, byKey!.id))?.customer_key, 'k-2');
    assert.equal(await getCustomer(db, 'k-404'), undefined);
    assert.equal(await getCustomer(db, 999_999), undefined);
  });

  test('counts customers', async () => {
    assert.equal(await countCustomers(db), 4);
  });
});
