import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Database, Db } from '../db/database.ts';
import { openTestDatabase } from '../testing/database.ts';
import { AudienceError } from './errors.ts';
import { countEachRule } from './members.ts';
import {
  countAudienceMembers,
  countUnion,
  createAudience,
  deleteAudience,
  previewAudienceMembers,
} from './repository.ts';
import type { AudienceRule } from './rules.ts';
import { insertTestCustomers } from './test-customers.ts';

let database: Database;
let db: Db;

const korea: AudienceRule = { field: 'country', op: 'equals', value: 'korea' };
const scored: AudienceRule = { field: 'attributes.score', op: 'greater_than', value: 5 };

before(async () => {
  database = await openTestDatabase();
  db = database.db;
  await insertTestCustomers(db);
});

after(async () => {
  await database?.close();
});

async function rejection(work: Promise<unknown>): Promise<AudienceError> {
  const error = await work.then(() => undefined, (caught: unknown) => caught);
  assert.ok(error instanceof AudienceError, `expected an AudienceError, got ${String(error)}`);
  return error;
}

test('countAudienceMembers counts a rule or a saved audience by id', async () => {
  const audience = await createAudience(db, { name: 'Count Korea', rule: korea });

  assert.equal(await countAudienceMembers(db, korea), 2);
  assert.equal(await countAudienceMembers(db, audience.id), 2);
  assert.equal(await countAudienceMembers(db, { all: [] }), 5);
});

test('countAudienceMembers checks a rule handed to it before it becomes SQL', async () => {
  const unchecked = { field: 'nation', op: 'is_set' } as unknown as AudienceRule;

  const error = await rejection(countAudienceMembers(db, unchecked));
  assert.equal(error.reason, 'invalid_rule');
});

test('countUnion counts a customer in two audiences once', async () => {
  const a = await createAudience(db, { name: 'Union Korea', rule: korea });
  const b = await createAudience(db, { name: 'Union Scored', rule: scored });

  assert.equal(await countAudienceMembers(db, a.id), 2);
  assert.equal(await countAudienceMembers(db, b.id), 3);
  assert.equal(await countUnion(db, [a.id, b.id]), 3);
  assert.equal(await countUnion(db, [a.id, a.id]), 2);
  assert.equal(await countUnion(db, []), 0);
});

test('countUnion refuses a deleted or unknown audience rather than counting it empty', async () => {
  const gone = await createAudience(db, { name: 'Union Gone', rule: korea });
  await deleteAudience(db, gone.id);

  const error = await rejection(countUnion(db, [gone.id, 987_654]));
  assert.equal(error.reason, 'not_found');
  assert.match(error.message, new RegExp(`No audience with id ${gone.id}, 987654`));
  assert.equal((await rejection(countAudienceMembers(db, gone.id))).reason, 'not_found');
});

test('previewAudienceMembers shows names and masked identifiers only, in id order', async () => {
  const preview = await previewAudienceMembers(db, korea);

  assert.deepEqual(preview.map(({ id: _id, ...member }) => member), [
    {
      customer_key: 'c1', first_name: 'Jo', last_name: 'Kim',
      masked_email: 'j***@example.com', masked_phone: '***4623',
    },
    {
      customer_key: 'c2', first_name: 'Ana', last_name: 'Lima',
      masked_email: 'A***@Example.org', masked_phone: '***5678',
    },
  ]);
  const text = JSON.stringify(await previewAudienceMembers(db, { all: [] }, { limit: 100 }));
  for (const secret of ['jo.kim', '846-790', '4715', 'ANA@', 'chloe@', 'dan@', '91234']) {
    assert.ok(!text.includes(secret), `the preview leaks ${secret}`);
  }
});

test('previewAudienceMembers honours its limit and refuses one outside 1 to 100', async () => {
  assert.equal((await previewAudienceMembers(db, { all: [] }, { limit: 3 })).length, 3);
  for (const limit of [0, 101, 2.5]) {
    const error = await rejection(previewAudienceMembers(db, korea, { limit }));
    assert.equal(error.reason, 'invalid_input');
  }
});

test('countEachRule counts many rules in order, across more than one scan', async () => {
  const rules = Array.from({ length: 120 }, (_, index) => (index % 2 === 0 ? korea : scored));

  const counts = await countEachRule(db, rules);
  assert.equal(counts.length, 120);
  assert.deepEqual(counts.slice(48, 53), [2, 3, 2, 3, 2]);
  assert.equal(counts[119], 3);
});
