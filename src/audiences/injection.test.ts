import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Database } from '../db/database.ts';
import { openTestDatabase } from '../testing/database.ts';
import { compileRule } from './compile.ts';
import { parseAudienceRule } from './parse-rule.ts';
import { RULE_OPS, type AudienceRule } from './rules.ts';
import { insertTestCustomers, keysMatching } from './test-customers.ts';

let database: Database;

const DROP = "'); drop table customers;--";
const HOSTILE_VALUES = [
  DROP,
  "Robert'); DROP TABLE customers; --",
  "x' or '1'='1",
  '"; select pg_sleep(1); --',
  '$1 or true',
  "\\'; --",
];

before(async () => {
  database = await openTestDatabase();
  await insertTestCustomers(database.db);
});

after(async () => {
  await database?.close();
});

/** Skips validation on purpose: compileRule must stay safe even for a rule nobody checked. */
const unchecked = (rule: unknown) => rule as AudienceRule;

const compiled = (rule: AudienceRule) =>
  database.db.selectFrom('customers').select('id').where(compileRule(rule)).compile();

async function customerCount(): Promise<number> {
  const row = await database.db
    .selectFrom('customers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

test('hostile values in equals, in and contains are parameters and match nothing', async () => {
  for (const value of HOSTILE_VALUES) {
    const rules: AudienceRule[] = [
      unchecked({ field: 'country', op: 'equals', value }),
      unchecked({ field: 'country', op: 'not_in', value: [value, 'Korea'] }),
      unchecked({ field: 'attributes.company', op: 'contains', value }),
    ];

    for (const rule of rules) {
      const { sql: text, parameters } = compiled(rule);
      assert.ok(!text.includes(value), `the value ${value} is in the SQL text`);
      const bound = (p: unknown) => p === value || (Array.isArray(p) && p.includes(value));
      assert.ok(parameters.some(bound), `the value ${value} is not a parameter`);
    }
    assert.deepEqual(await keysMatching(database.db, rules[0]!), []);
  }

  assert.equal(await customerCount(), 5);
});

test('a hostile attribute name is bound as a parameter and the table survives', async () => {
  const field = `attributes.x${DROP}`;
  const rule = unchecked({ all: [{ field, op: 'is_set' }, { field, op: 'less_than', value: 1 }] });

  const { sql: text, parameters } = compiled(rule);
  assert.ok(!text.includes('drop table'));
  assert.ok(parameters.includes(`x${DROP}`));
  assert.deepEqual(await keysMatching(database.db, rule), []);
  assert.equal(await customerCount(), 5);
});

test('the parser refuses hostile field names with a message naming the field', () => {
  const fields = [`attributes.x${DROP}`, 'country"; drop table customers; --', 'customers.email'];
  for (const field of [...fields, 'attributes.']) {
    const parsed = parseAudienceRule({ field, op: 'is_set' });
    assert.equal(parsed.ok, false);
    assert.match(parsed.ok ? '' : parsed.problems[0]!.message, /^unknown field/);
  }
});

test('compileRule refuses a column outside the whitelist instead of quoting it into SQL', () => {
  for (const field of ['country"; drop table customers; --', 'customer_key', 'version', 'id']) {
    assert.throws(() => compileRule(unchecked({ field, op: 'is_set' })), /not a customer field/);
  }

  assert.throws(() => compileRule({ all: [] }, 'customers; drop table customers'), /for table/);
});

test('no operator ever places a rule value or attribute key in the SQL text', () => {
  const sentinel = "ZZ'sentinel";
  const values: Record<string, unknown> = {
    in: [sentinel],
    not_in: [sentinel],
    greater_than: 424242,
    less_than: 424242,
    before: '2099-12-31',
    after: '2099-12-31',
  };

  for (const op of RULE_OPS) {
    const value = op.startsWith('is_') ? undefined : (values[op] ?? sentinel);
    const { sql: text } = compiled(unchecked({ field: 'attributes.probe', op, value }));
    for (const piece of ['sentinel', '424242', '2099', 'probe']) {
      assert.ok(!text.includes(piece), `${op} put ${piece} in the SQL text`);
    }
  }
});
