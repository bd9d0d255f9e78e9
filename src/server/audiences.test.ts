import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { putCustomers } from '../testing/sync-setup.ts';
import { bodyOf, openServerTest, type ServerTest } from './testing.ts';

describe('REST API: audiences', () => {
  let t: ServerTest;
  const norway = { all: [{ field: 'country', op: 'equals', value: 'Norway' }] };

  before(async () => {
    t = await openServerTest();
    await putCustomers(t.ctx, [
      { key: 'c1', email: 'ann.lee@example.com', phone: '+47 412 34 567', first_name: 'Ann', country: 'Norway' },
      { key: 'c2', email: 'bo@example.com', first_name: 'Bo', country: 'Norway' },
      { key: 'c3', email: 'cy@example.com', first_name: 'Cy', country: 'Chile' },
      { key: 'c4', email: 'di@example.com', first_name: 'Di', country: 'Peru' },
    ]);
  });
  after(async () => {
    await t.close();
  });

  test('create, read, update and list an audience with its member count', async () => {
    const created = await t.call('POST', '/api/audiences', { name: 'Norway', description: 'Nordic', rule: norway });
    const audience = await bodyOf(created);

    assert.equal(created.status, 201);
    assert.equal(audience.memberCount, 2);
    assert.deepEqual(audience.rule, norway);

    const renamed = await t.json('PATCH', `/api/audiences/${audience.id}`, {
      name: 'Norway or Chile',
      rule: { any: [norway, { field: 'country', op: 'equals', value: 'Chile' }] },
    });
    const fetched = await t.json('GET', `/api/audiences/${audience.id}`);
    const listed = await t.json('GET', '/api/audiences');

    assert.equal(renamed.name, 'Norway or Chile');
    assert.equal(renamed.description, 'Nordic');
    assert.equal(fetched.memberCount, 3);
    assert.deepEqual(
      listed.map((item: { name: string; memberCount: number }) => [item.name, item.memberCount]),
      [['Norway or Chile', 3]],
    );
  });

  test('an invalid rule answers 400 naming the condition at fault', async () => {
    const response = await t.call('POST', '/api/audiences', {
      name: 'Broken',
      rule: { all: [norway, { field: 'country', op: 'resembles', value: 'x' }] },
    });
    const body = await bodyOf(response);

    assert.equal(response.status, 400);
    assert.equal(body.error.code, 'invalid_input');
    assert.equal(body.error.field, 'rule.all.1.op');
    assert.match(body.error.message, /unknown op "resembles"/);
  });

  test('a name that is too long answers 400 naming the name field', async () => {
    const response = await t.call('POST', '/api/audiences', { name: 'x'.repeat(101), rule: norway });

    assert.equal(response.status, 400);
    assert.equal((await bodyOf(response)).error.field, 'name');
  });

  test('a second audience with the same name answers 409 conflict on the name', async () => {
    await t.call('POST', '/api/audiences', { name: 'Twice', rule: norway });

    const response = await t.call('POST', '/api/audiences', { name: 'twice', rule: norway });
    const body = await bodyOf(response);

    assert.equal(response.status, 409);
    assert.deepEqual([body.error.code, body.error.field], ['conflict', 'name']);
  });

  test('count takes a rule, or audience ids whose union it counts once per customer', async () => {
    const chile = await t.json('POST', '/api/audiences', {
      name: 'Chile',
      rule: { all: [{ field: 'country', op: 'equals', value: 'Chile' }] },
    });
    const nordic = await t.json('POST', '/api/audiences', { name: 'Nordic', rule: norway });

    const byRule = await t.json('POST', '/api/audiences/count', { rule: norway });
    const union = await t.json('POST', '/api/audiences/count', { audienceIds: [chile.id, nordic.id, nordic.id] });
    const missing = await t.call('POST', '/api/audiences/count', { audienceIds: [999999] });

    assert.deepEqual(byRule, { count: 2 });
    assert.deepEqual(union, { count: 3 });
    assert.equal(missing.status, 404);
  });

  test('count refuses a body with neither a rule nor audience ids', async () => {
    const response = await t.call('POST', '/api/audiences/count', {});

    assert.equal(response.status, 400);
    assert.equal((await bodyOf(response)).error.code, 'invalid_input');
  });

  test('preview counts a rule and shows its first members with masked identifiers', async () => {
    const preview = await t.json('POST', '/api/audiences/preview', { rule: norway, limit: 1 });

    assert.equal(preview.count, 2);
    assert.deepEqual(preview.members, [
      {
        id: preview.members[0].id,
        key: 'c1',
        firstName: 'Ann',
        lastName: null,
        maskedEmail: 'a***@example.com',
        maskedPhone: '***4567',
      },
    ]);
  });

  test('delete removes the audience from lists and reads; a second delete is 404', async () => {
    const audience = await t.json('POST', '/api/audiences', { name: 'Short-lived', rule: norway });

    const deleted = await t.call('DELETE', `/api/audiences/${audience.id}`);
    const read = await t.call('GET', `/api/audiences/${audience.id}`);
    const again = await t.call('DELETE', `/api/audiences/${audience.id}`);

    assert.equal(deleted.status, 204);
    assert.equal(read.status, 404);
    assert.equal(again.status, 404);
  });

  test('a JSON body over 1 MB answers 413 before it is read whole', async () => {
    const huge = { name: 'Huge', description: 'x'.repeat(1_100_000), rule: norway };

    const response = await t.call('POST', '/api/audiences', huge);

    assert.equal(response.status, 413);
    assert.equal((await bodyOf(response)).error.code, 'invalid_input');
  });

  test('a path id that is not a number answers 400 naming the id', async () => {
    const response = await t.call('GET', '/api/audiences/abc');

    assert.equal(response.status, 400);
    assert.equal((await bodyOf(response)).error.field, 'id');
  });
});
