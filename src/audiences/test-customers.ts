import type { Db } from '../db/database.ts';
import { compileRule } from './compile.ts';
import type { AudienceRule } from './rules.ts';

/**
 * Five customers for the audience tests, messy the way imported data is: stray spaces,
 * mixed case, blank strings beside NULLs, attributes that are not numbers or not dates.
 *
 *   key name          country    level registered_at          score  signup
 *   c1  Jo Kim        Korea      1     2024-01-15 10:00Z      42     2023-06-01
 *   c2  Ana Lima      " korea "  2     2024-01-31 23:59:59Z   " 7.5" 2023-06-01T08:00+02:00
 *   c3  Ben Stone     Japan      ""    2024-02-01 00:00Z      n/a    2021-02-30 (no such day)
 *   c4  Chloé Dupont  France     -     -                      1e3    "yesterday"
 *   c5  Dan           -          -     2023-12-31 23:00-05:00 -3     2024-13-01 (no such month)
 */
export async function insertTestCustomers(db: Db): Promise<void> {
  await db
    .insertInto('customers')
    .values([
      {
        customer_key: 'c1', first_name: 'Jo', last_name: 'Kim', email: 'jo.kim@example.com',
        phone: '846-790-4623x4715', country: 'Korea', city: 'Seoul', student_level: '1',
        registered_at: '2024-01-15T10:00:00Z',
        attributes: JSON.stringify({ company: 'Acme Corp', score: '42', signup: '2023-06-01' }),
      },
      {
        customer_key: 'c2', first_name: 'Ana', last_name: 'Lima', email: 'ANA@Example.org',
        phone: '+55 11 91234-5678', country: ' korea ', student_level: '2',
        registered_at: '2024-01-31T23:59:59Z',
        attributes: JSON.stringify({
          company: 'Globex', score: ' 7.5 ', signup: '2023-06-01T08:00:00+02:00',
        }),
      },
      {
        customer_key: 'c3', first_name: 'Ben', last_name: 'Stone', email: null, phone: null,
        country: 'Japan', student_level: '', registered_at: '2024-02-01T00:00:00Z',
        attributes: JSON.stringify({ company: '  ', score: 'n/a', signup: '2021-02-30' }),
      },
      {
        customer_key: 'c4', first_name: 'Chloé', last_name: 'Dupont', email: 'chloe@example.fr',
        phone: '-5361', country: 'France', student_level: null, registered_at: null,
        attributes: JSON.stringify({ score: '1e3', signup: 'yesterday', 'Job Title': 'Editor' }),
      },
      {
        customer_key: 'c5', first_name: 'Dan', last_name: null, email: 'dan@example.com',
        country: null, registered_at: '2023-12-31T23:00:00-05:00',
        attributes: JSON.stringify({ score: '-3', signup: '2024-13-01' }),
      },
    ])
    .execute();
}

/** The customer keys a rule selects, sorted: what most audience tests compare. */
export async function keysMatching(db: Db, rule: AudienceRule): Promise<string[]> {
  const rows = await db
    .selectFrom('customers')
    .select('customer_key')
    .where(compileRule(rule))
    .orderBy('customer_key')
    .execute();
  return rows.map((row) => row.customer_key);
}
