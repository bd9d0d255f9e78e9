import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { Database, Db } from '../db/database.ts';
import { openTestDatabase } from '../testing/database.ts';
import { importCustomers, type ImportReport } from './import.ts';
import { countCustomers, getCustomer } from './repository.ts';

// The project's real-world input, read in place (see ../shared/data/README.md).
const sample = (name: string) => new URL(`../../../shared/data/${name}`, import.meta.url);

let database: Database;
let db: Db;

before(async () => {
  database = await openTestDatabase();
  db = database.db;
});
after(() => database.close());

function importSample(name: string): Promise<ImportReport> {
  const input = createReadStream(sample(name));
  return importCustomers(db, { input, source: name, key: 'external_id' });
}

async function versionFingerprint(): Promise<string> {
  const result = await sql<{ fingerprint: string }>`
    select concat_ws(':', count(*), sum(version), max(version), max(updated_at)) as fingerprint
    from customers`.execute(db);
  return result.rows[0]!.fingerprint;
}

const counts = (report: ImportReport) => [
  report.rowsRead, report.inserted, report.updated, report.unchanged, report.rejected,
  report.duplicates,
];

describe('the sample files', () => {
  test('customers-1000.csv imports every row, reading YYYY-MM-DD dates', async () => {
    const report = await importSample('customers-1000.csv');

    assert.deepEqual(counts(report), [1000, 1000, 0, 0, 0, 0]);
    assert.equal(report.dateFormat, 'YYYY-MM-DD');
    const first = await getCustomer(db, 'dE014d010c7ab0c');
    assert.equal(first?.phone, '846-790-4623x4715');
    assert.equal(first?.registered_at?.toISOString(), '2021-07-26T00:00:00.000Z');
    assert.deepEqual(first?.attributes, {
      index: '1',
      company: 'Stewart-Flynn',
      phone_2: '(422)787-2331x71127',
      website: 'http://www.shea.biz/',
    });
    const quoted = await getCustomer(db, '2B54172c8b65eC3');
    assert.equal(quoted?.attributes.company, 'Terry, Proctor and Lawrence');
  });

  test('customers-10000.csv imports every row, reading DD-MM-YYYY dates', async () => {
    const report = await importSample('customers-10000.csv');

    assert.deepEqual(counts(report), [10000, 10000, 0, 0, 0, 0]);
    assert.equal(report.dateFormat, 'DD-MM-YYYY');
    const first = await getCustomer(db, 'EB54EF1154C3A78');
    assert.equal(first?.registered_at?.toISOString(), '2020-08-26T00:00:00.000Z');
    assert.equal(first?.country, 'Norway');
  });

  test('people-10000.csv imports every row with User_Id as key and Sex as gender', async () => {
    const report = await importSample('people-10000.csv');

    assert.deepEqual(counts(report), [10000, 10000, 0, 0, 0, 0]);
    assert.equal(report.dateFormat, null);
    const first = await getCustomer(db, '5f10e9D33fC5f2b');
    assert.equal(first?.gender, 'Female');
    assert.deepEqual(first?.attributes, { index: '1', job_title: 'Editor commissioning' });
    assert.equal(await countCustomers(db), 21000);
  });

  test('importing each file again reports every row unchanged and bumps no version', async () => {
    const before = await versionFingerprint();

    const reports = [];
    for (const name of ['customers-1000.csv', 'customers-10000.csv', 'people-10000.csv']) {
      reports.push(await importSample(name));
    }

    assert.deepEqual(reports.map(counts), [
      [1000, 0, 0, 1000, 0, 0],
      [10000, 0, 0, 10000, 0, 0],
      [10000, 0, 0, 10000, 0, 0],
    ]);
    assert.equal(await versionFingerprint(), before);
  });
});
