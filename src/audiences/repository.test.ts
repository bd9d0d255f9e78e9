import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { Database, Db } from '../db/database.ts';
import { openTestDatabase } from '../testing/database.ts';
import { AudienceError } from './errors.ts';
import {
  createAudience,
  deleteAudience,
  findAudience,
  getAudience,
  listAudiences,
  resolveAudience,
  updateAudience,
} from './repository.ts';
import { insertTestCustomers } from './test-customers.ts';

let database: Database;
let db: Db;

const korea = { field: 'country', op: 'equals', value: 'korea' };
const japan = { field: 'country', op: 'equals', value: 'japan' };

before(async () => {
  database = await openTestDatabase();
  db = database.db;
  await insertTestCustomers(db);
});

after(async () => {
  await database?.close();
});

beforeEach(async () => {
  await db.deleteFrom('sync_audiences').execute();
  await db.deleteFrom('syncs').execute();
  await db.deleteFrom('audiences').execute();
});

async function rejection(work: Promise<unknown>): Promise<AudienceError> {
  const error = await work.then(() => undefined, (caught: unknown) => caught);
  assert.ok(error instanceof AudienceError, `expected an AudienceError, got ${String(error)}`);
  return error;
}

describe('createAudience', () => {
  test('saves the name trimmed, the description and the checked rule', async () => {
    const input = { name: '  Korea ', description: 'APAC push', rule: korea };
    const audience = await createAudience(db, input);

    assert.equal(audience.name, 'Korea');
    assert.equal(audience.description, 'APAC push');
    assert.deepEqual(audience.rule, korea);
    assert.equal(audience.deleted_at, null);
    assert.deepEqual(await getAudience(db, audience.id), audience);
  });

  test('refuses a name already used, whatever its case', async () => {
    await createAudience(db, { name: 'Korea', rule: korea });

    const error = await rejection(createAudience(db, { name: 'KOREA', rule: japan }));
    assert.equal(error.reason, 'name_taken');
    assert.match(error.message, /An audience named "KOREA" already exists \(names ignore case\)/);
  });

  test('two racing creates of one name leave one audience and a name_taken error', async () => {
    const results = await Promise.allSettled([
      createAudience(db, { name: 'Race', rule: korea }),
      createAudience(db, { name: 'RACE', rule: japan }),
    ]);

    const failures = results.filter((result) => result.status === 'rejected');
    assert.equal(failures.length, 1);
    const reason = (failures[0] as PromiseRejectedResult).reason as unknown;
    assert.ok(reason instanceof AudienceError && reason.reason === 'name_taken', String(reason));
    assert.equal((await listAudiences(db)).length, 1);
  });

  test('refuses an empty, too long or multi-line name', async () => {
    for (const name of ['', '   ', 'x'.repeat(101), 'two\nlines']) {
      const error = await rejection(createAudience(db, { name, rule: korea }));
      assert.equal(error.reason, 'invalid_input');
    }

    const longest = await createAudience(db, { name: 'x'.repeat(100), rule: korea });
    assert.equal(longest.name.length, 100);
  });

  test('refuses an invalid rule with every problem and its path', async () => {
    const rule = { all: [{ field: 'country', op: 'in', value: [] }] };

    const error = await rejection(createAudience(db, { name: 'Bad', rule }));
    assert.equal(error.reason, 'invalid_rule');
    const message = 'the list is empty: give at least one value';
    assert.deepEqual(error.problems, [{ path: 'all[0].value', message }]);
    assert.equal((await listAudiences(db)).length, 0);
  });
});

describe('updateAudience', () => {
  test('changes only the given parts and moves updated_at', async () => {
    const created = await createAudience(db, { name: 'Korea', description: 'first', rule: korea });

    const updated = await updateAudience(db, created.id, { rule: japan });
    assert.equal(updated.name, 'Korea');
    assert.equal(updated.description, 'first');
    assert.deepEqual(updated.rule, japan);
    assert.ok(updated.updated_at.getTime() >= created.updated_at.getTime());
  });

  test('may keep its own name in another case but not take another audience\'s', async () => {
    const korean = await createAudience(db, { name: 'Korea', rule: korea });
    await createAudience(db, { name: 'Japan', rule: japan });

    assert.equal((await updateAudience(db, korean.id, { name: 'KOREA' })).name, 'KOREA');
    const error = await rejection(updateAudience(db, korean.id, { name: 'japan' }));
    assert.equal(error.reason, 'name_taken');
  });

  test('refuses a deleted or unknown audience and an invalid rule', async () => {
    const audience = await createAudience(db, { name: 'Korea', rule: korea });
    await deleteAudience(db, audience.id);

    const codeOf = async (work: Promise<unknown>) => (await rejection(work)).reason;
    assert.equal(await codeOf(updateAudience(db, audience.id, { name: 'Again' })), 'not_found');
    assert.equal(await codeOf(updateAudience(db, 999_999, { name: 'Again' })), 'not_found');
    const live = await createAudience(db, { name: 'Live', rule: korea });
    assert.equal(await codeOf(updateAudience(db, live.id, { rule: { any: [] } })), 'invalid_rule');
  });
});

describe('deleteAudience', () => {
  test('soft-deletes: the row keeps deleted_at; lists, lookups and names forget it', async () => {
    const audience = await createAudience(db, { name: 'Korea', rule: korea });

    const { audience: deleted, syncIds } = await deleteAudience(db, audience.id);
    assert.ok(deleted.deleted_at instanceof Date);
    assert.deepEqual(syncIds, []);
    assert.equal(await getAudience(db, audience.id), undefined);
    assert.equal((await getAudience(db, audience.id, { includeDeleted: true }))?.name, 'Korea');
    assert.deepEqual(await listAudiences(db), []);
    assert.equal(await findAudience(db, 'korea'), undefined);
    assert.notEqual((await createAudience(db, { name: 'Korea', rule: japan })).id, audience.id);
  });

  test('names the live syncs that used the audience, since they now show Invalid', async () => {
    const audience = await createAudience(db, { name: 'Korea', rule: korea });
    const syncId = await insertSyncUsing(audience.id);

    const { syncIds } = await deleteAudience(db, audience.id);
    assert.deepEqual(syncIds, [syncId]);
    assert.equal((await rejection(deleteAudience(db, audience.id))).reason, 'not_found');
  });
});

describe('lookups and lists', () => {
  test('findAudience takes an id or a name in any case; resolveAudience names a miss', async () => {
    const audience = await createAudience(db, { name: 'Korea Students', rule: korea });

    assert.equal((await findAudience(db, String(audience.id)))?.id, audience.id);
    assert.equal((await findAudience(db, ' korea students '))?.id, audience.id);
    const error = await rejection(resolveAudience(db, 'Nobody'));
    assert.equal(error.reason, 'not_found');
    assert.match(error.message, /No audience with id or name "Nobody"/);
  });

  test('listAudiences sorts by name and carries live member counts', async () => {
    await createAudience(db, { name: 'everyone', rule: { all: [] } });
    await createAudience(db, { name: 'Korea', rule: korea });
    await createAudience(db, { name: 'Japan', rule: japan });

    const listed = await listAudiences(db);
    const counts = listed.map((audience) => [audience.name, audience.member_count]);
    assert.deepEqual(counts, [['everyone', 5], ['Japan', 1], ['Korea', 2]]);

    const newcomer = { customer_key: 'c6', country: 'KOREA', attributes: '{}' };
    await db.insertInto('customers').values(newcomer).execute();
    assert.equal((await listAudiences(db)).find((a) => a.name === 'Korea')?.member_count, 3);
    await db.deleteFrom('customers').where('customer_key', '=', 'c6').execute();
  });
});

async function insertSyncUsing(audienceId: number): Promise<number> {
  const destination = await db
    .insertInto('destinations')
    .values({
      name: `Meta ${audienceId}`, type: 'meta_custom_audiences', ad_account_id: '1',
      graph_base_url: 'http://127.0.0.1:1', api_version: 'v25.0', access_token_enc: 'sealed',
      status: 'connected',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const sync = await db
    .insertInto('syncs')
    .values({
      name: `Sync ${audienceId}`, destination_id: destination.id, meta_audience_mode: 'create',
      mapping: '[]', schedule_type: 'manual', schedule_interval_minutes: null,
      meta_audience_name: null, meta_audience_id: null, default_country: null, invalid_reason: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const link = { sync_id: sync.id, audience_id: audienceId, position: 0 };
  await db.insertInto('sync_audiences').values(link).execute();
  return sync.id;
}
