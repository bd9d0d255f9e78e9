import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { openTestDatabase } from '../testing/database.ts';
import { compileAudienceUnion, compileRule } from './compile.ts';
import { assertAudienceRule } from './parse-rule.ts';
import { insertTestCustomers, keysMatching } from './test-customers.ts';

let database: Database;

/** Parses the rule first, as every real caller does, then lists the keys it selects. */
const match = (rule: unknown) => keysMatching(database.db, assertAudienceRule(rule));

async function expectKeys(rule: unknown, keys: string[]): Promise<void> {
  assert.deepEqual(await match(rule), keys, JSON.stringify(rule));
}

/** One condition; presence operators get no value key at all. */
function cond(field: string, op: string, value?: unknown): Record<string, unknown> {
  return value === undefined ? { field, op } : { field, op, value };
}

before(async () => {
  database = await openTestDatabase();
  await insertTestCustomers(database.db);
});

after(async () => {
  await database?.close();
});

describe('text operators ignore case and surrounding whitespace', () => {
  test('equals matches "korea" against "Korea" and " korea "', async () => {
    await expectKeys(cond('country', 'equals', 'korea'), ['c1', 'c2']);
    await expectKeys(cond('country', 'equals', '  KOREA '), ['c1', 'c2']);
  });

  test('not_equals matches other values but never a missing one', async () => {
    await expectKeys(cond('country', 'not_equals', 'Korea'), ['c3', 'c4']);
  });

  test('in and not_in compare against every listed value the same way', async () => {
    await expectKeys(cond('country', 'in', ['japan', ' FRANCE']), ['c3', 'c4']);
    await expectKeys(cond('country', 'not_in', ['KOREA', 'Spain']), ['c3', 'c4']);
  });

  test('numbers in equals and in compare as their text', async () => {
    await expectKeys(cond('student_level', 'equals', 2), ['c2']);
    await expectKeys(cond('student_level', 'in', [1, '2']), ['c1', 'c2']);
  });

  test('contains finds a piece of text; not_contains skips missing values', async () => {
    await expectKeys(cond('email', 'contains', 'EXAMPLE.'), ['c1', 'c2', 'c4', 'c5']);
    await expectKeys(cond('email', 'not_contains', 'example.com'), ['c2', 'c4']);
  });

  test('contains treats % and _ as plain characters, not wildcards', async () => {
    await expectKeys(cond('email', 'contains', '%'), []);
    await expectKeys(cond('email', 'contains', '_'), []);
  });

  test('starts_with matches the beginning, letters beyond ASCII included', async () => {
    await expectKeys(cond('first_name', 'starts_with', 'CHL'), ['c4']);
    await expectKeys(cond('first_name', 'equals', 'CHLOÉ'), ['c4']);
  });
});

describe('presence', () => {
  test('is_set means present and not blank; is_not_set is exactly the rest', async () => {
    await expectKeys(cond('student_level', 'is_set'), ['c1', 'c2']);
    await expectKeys(cond('student_level', 'is_not_set'), ['c3', 'c4', 'c5']);
  });

  test('is_set and is_not_set work on the registered_at timestamp', async () => {
    await expectKeys(cond('registered_at', 'is_set'), ['c1', 'c2', 'c3', 'c5']);
    await expectKeys(cond('registered_at', 'is_not_set'), ['c4']);
  });
});

describe('attributes', () => {
  test('an attribute is compared like a column, by its exact key', async () => {
    await expectKeys(cond('attributes.company', 'equals', 'acme corp'), ['c1']);
    await expectKeys(cond('attributes.Job Title', 'equals', 'editor'), ['c4']);
    await expectKeys(cond('attributes.job title', 'is_set'), []);
  });

  test('a blank or absent attribute is not set', async () => {
    await expectKeys(cond('attributes.company', 'is_set'), ['c1', 'c2']);
    await expectKeys(cond('attributes.company', 'is_not_set'), ['c3', 'c4', 'c5']);
  });

  test('greater_than and less_than compare numbers; non-numbers never match', async () => {
    await expectKeys(cond('attributes.score', 'greater_than', 5), ['c1', 'c2', 'c4']);
    await expectKeys(cond('attributes.score', 'less_than', 7.5), ['c5']);
    await expectKeys(cond('attributes.score', 'less_than', 0), ['c5']);
  });

  test('dates in text compare as dates; impossible or unreadable dates never match', async () => {
    await expectKeys(cond('attributes.signup', 'after', '2023-05-31'), ['c1', 'c2']);
    await expectKeys(cond('attributes.signup', 'before', '2023-06-01'), []);
    await expectKeys(cond('attributes.signup', 'before', '2023-06-02'), ['c1', 'c2']);
    await expectKeys(cond('attributes.signup', 'greater_than', '2000-01-01'), ['c1', 'c2']);
  });

  test('a datetime in text keeps its zone', async () => {
    await expectKeys(cond('attributes.signup', 'after', '2023-06-01T07:00:00+02:00'), ['c2']);
  });
});

describe('registered_at dates', () => {
  test('before and after a day exclude that whole UTC day', async () => {
    await expectKeys(cond('registered_at', 'before', '2024-01-31'), ['c1', 'c5']);
    await expectKeys(cond('registered_at', 'after', '2024-01-31'), ['c3']);
    await expectKeys(cond('registered_at', 'equals', '2024-01-31'), ['c2']);
  });

  test('not_equals a day matches other days and skips customers without a date', async () => {
    await expectKeys(cond('registered_at', 'not_equals', '2024-01-31'), ['c1', 'c3', 'c5']);
  });

  test('a datetime compares instants strictly and honours the offset in the data', async () => {
    const at = '2024-01-15T10:00:00Z';
    await expectKeys(cond('registered_at', 'greater_than', at), ['c2', 'c3']);
    await expectKeys(cond('registered_at', 'less_than', at), ['c5']);
    await expectKeys(cond('registered_at', 'equals', '2024-01-15T19:00:00+09:00'), ['c1']);
    await expectKeys(cond('registered_at', 'before', '2024-01-01'), []);
  });

  test('the database session time zone does not change what a day means', async () => {
    const rule = assertAudienceRule(cond('registered_at', 'after', '2023-12-31'));
    const keys = await database.db.transaction().execute(async (trx) => {
      await sql`set local time zone 'Pacific/Kiritimati'`.execute(trx);
      const rows = await trx
        .selectFrom('customers')
        .select('customer_key')
        .where(compileRule(rule))
        .orderBy('customer_key')
        .execute();
      return rows.map((row) => row.customer_key);
    });

    assert.deepEqual(keys, ['c1', 'c2', 'c3', 'c5']);
  });
});

describe('groups', () => {
  test('an empty all-group matches every customer', async () => {
    await expectKeys({ all: [] }, ['c1', 'c2', 'c3', 'c4', 'c5']);
  });

  test('all needs every condition, any needs one, and they nest', async () => {
    const rule = {
      all: [
        cond('country', 'in', ['Korea', 'Japan']),
        {
          any: [cond('student_level', 'equals', '2'), cond('attributes.score', 'greater_than', 40)],
        },
      ],
    };
    await expectKeys(rule, ['c1', 'c2']);
  });

  test('groups nested five deep compile and run', async () => {
    const japan = cond('country', 'equals', 'japan');
    await expectKeys({ any: [{ all: [{ any: [{ all: [{ any: [japan] }] }] }] }] }, ['c3']);
  });

  test('an any-group of all-groups matches either branch', async () => {
    const rule = {
      any: [
        { all: [cond('country', 'equals', 'korea'), cond('student_level', 'equals', '1')] },
        { all: [cond('email', 'is_not_set')] },
      ],
    };
    await expectKeys(rule, ['c1', 'c3']);
  });
});

describe('compileAudienceUnion', () => {
  test('matches a customer in any of the rules, and nobody for no rules', async () => {
    const korea = assertAudienceRule(cond('country', 'equals', 'korea'));
    const scored = assertAudienceRule(cond('attributes.score', 'greater_than', 5));
    const select = (where: ReturnType<typeof compileAudienceUnion>) =>
      database.db
        .selectFrom('customers as c')
        .select('c.customer_key')
        .where(where)
        .orderBy('c.customer_key')
        .execute();

    const rows = await select(compileAudienceUnion([korea, scored], 'c'));
    assert.deepEqual(rows.map((row) => row.customer_key), ['c1', 'c2', 'c4']);
    assert.deepEqual(await select(compileAudienceUnion([], 'c')), []);
  });
});
