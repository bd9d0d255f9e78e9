import assert from 'node:assert/strict';
import { createReadStream, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { after, before, beforeEach, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { Database, Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { openTestDatabase } from '../testing/database.ts';
import { importCustomers, type ImportCustomersOptions, type ImportProgress } from './import.ts';
import { getImport } from './imports-repository.ts';
import { getCustomer } from './repository.ts';

const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url);
const csv = (...lines: string[]) => Readable.from([Buffer.from(lines.join('\n'))]);

let database: Database;
let db: Db;

before(async () => {
  database = await openTestDatabase();
  db = database.db;
});
after(() => database.close());
beforeEach(async () => {
  await sql`truncate customers, imports, import_rejects`.execute(db);
});

function run(input: Readable, options: Partial<ImportCustomersOptions> = {}) {
  return importCustomers(db, { input, source: 'test.csv', key: 'external_id', ...options });
}

async function registeredAt(key: string): Promise<string | undefined> {
  return (await getCustomer(db, key))?.registered_at?.toISOString();
}

async function versions(): Promise<Map<string, number>> {
  const rows = await db.selectFrom('customers').select(['customer_key', 'version']).execute();
  return new Map(rows.map((row) => [row.customer_key, row.version]));
}

describe('importCustomers: rejects', () => {
  test('rejects malformed lines by physical line number while the good rows land', async () => {
    const report = await run(createReadStream(fixture('malformed.csv')));

    assert.deepEqual(report.rejects, [
      { line: 3, reason: 'Malformed quoting: characters follow a closing quote in column 2' },
      { line: 4, reason: 'Wrong number of fields: 3 where the header has 5' },
      { line: 5, reason: 'Empty key: column "Customer Id" (external_id) is empty' },
      {
        line: 6,
        reason: 'Unreadable date: column "Subscription Date" (registered_at) is not a YYYY-MM-DD date',
      },
      { line: 11, reason: 'Malformed quoting: a quoted value is never closed' },
    ]);
    assert.deepEqual(
      { rowsRead: report.rowsRead, inserted: report.inserted, rejected: report.rejected },
      { rowsRead: 9, inserted: 4, rejected: 5 },
    );
    const keys = await db.selectFrom('customers').select('customer_key').orderBy('customer_key');
    const landed = (await keys.execute()).map((row) => row.customer_key);
    assert.deepEqual(landed, ['c-1', 'c-6', 'c-7', 'c-9']);
    assert.equal((await getCustomer(db, 'c-7'))?.attributes.company, 'Multi\nline Ltd');
  });

  test('stores rejects and counts with the import, and no reason quotes a value', async () => {
    const report = await run(createReadStream(fixture('malformed.csv')));
    const details = await getImport(db, report.importId);

    assert.equal(details?.status, 'completed');
    assert.deepEqual(details?.rejects, report.rejects);
    const { rowsRead, inserted, updated, unchanged, rejected } = details!;
    assert.deepEqual([rowsRead, inserted, updated, unchanged, rejected], [9, 4, 0, 0, 5]);
    const [, ...rows] = readFileSync(fixture('malformed.csv'), 'utf8').split('\n');
    const values = rows.flatMap((row) => row.split(/[,"]/)).map((cell) => cell.trim());
    for (const { reason } of details!.rejects) {
      for (const value of values.filter((cell) => cell.length > 2)) {
        assert.ok(!reason.includes(value), `${reason} quotes ${value}`);
      }
    }
  });

  test('a date the format cannot read is rejected; an empty one is stored as null', async () => {
    const report = await run(
      csv('Customer Id,Signup Date', 'a,31-12-2020', 'b,12-31-2020', 'c,'),
      { dateFormat: 'DD-MM-YYYY' },
    );

    assert.deepEqual(report.rejects.map((reject) => reject.line), [3]);
    assert.equal(await registeredAt('a'), '2020-12-31T00:00:00.000Z');
    assert.equal(await registeredAt('c'), undefined);
  });

  test('an empty file is refused before any import is recorded', async () => {
    await assert.rejects(run(csv('')), /The file is empty/);
    assert.equal((await db.selectFrom('imports').select('id').execute()).length, 0);
  });

  test('a header without rows completes with zero counts', async () => {
    const report = await run(csv('Customer Id,Email'));
    assert.deepEqual([report.rowsRead, report.inserted, report.rejected], [0, 0, 0]);
    assert.equal((await getImport(db, report.importId))?.status, 'completed');
  });
});

describe('importCustomers: dates', () => {
  test('auto reads day-first dates when a day above 12 shows it', async () => {
    const report = await run(csv('Customer Id,Subscription Date', 'a,01-02-2020', 'b,26-08-2020'));
    assert.equal(report.dateFormat, 'DD-MM-YYYY');
    assert.equal(await registeredAt('a'), '2020-02-01T00:00:00.000Z');
  });

  test('auto follows a hint in the header', async () => {
    const report = await run(csv('Customer Id,Signup Date (MM-DD-YYYY)', 'a,01-02-2020'));
    assert.equal(report.dateFormat, 'MM-DD-YYYY');
    assert.equal(await registeredAt('a'), '2020-01-02T00:00:00.000Z');
  });

  test('ambiguous dates fail the import with a fix, and the failure is recorded', async () => {
    const ambiguous = csv('Customer Id,Subscription Date', 'a,01-02-2020', 'b,03-04-2020');

    await assert.rejects(run(ambiguous), (error) => {
      assert.ok(error instanceof AppError);
      assert.match(error.message, /date format of column "Subscription Date".*--date-format/);
      return true;
    });
    const [row] = await db.selectFrom('imports').selectAll().execute();
    assert.equal(row?.status, 'failed');
    assert.match(row?.error ?? '', /Cannot tell the date format/);
    assert.equal((await db.selectFrom('customers').select('id').execute()).length, 0);
  });
});

describe('importCustomers: mapping', () => {
  const people = () =>
    csv(
      'User_Id,First_Name,Sex,Email,Job_Title,Phone 2',
      'p-1,Sara,Female,tsharp@example.net,Editor,+1 555 0100',
    );

  test('keeps unknown columns as attributes under snake-case names', async () => {
    await run(people());
    const customer = await getCustomer(db, 'p-1');
    assert.equal(customer?.gender, 'Female');
    assert.equal(customer?.phone, null);
    assert.deepEqual(customer?.attributes, { job_title: 'Editor', phone_2: '+1 555 0100' });
  });

  test('a per-column override and an ignored column change where values go', async () => {
    const mapping = { 'Phone 2': 'phone', Job_Title: null, Sex: 'attributes.sex' };
    const report = await run(people(), { mapping });

    const customer = await getCustomer(db, 'p-1');
    assert.equal(customer?.phone, '+1 555 0100');
    assert.equal(customer?.gender, null);
    assert.deepEqual(customer?.attributes, { sex: 'Female' });
    assert.equal((await getImport(db, report.importId))?.mapping.Job_Title, undefined);
  });

  test('a mapping to an unknown field fails before reading rows', async () => {
    const mapping = { Email: 'e_mail' };
    await assert.rejects(run(people(), { mapping }), /"e_mail" is not a customer field/);
    assert.equal((await db.selectFrom('imports').select('id').execute()).length, 0);
  });

  test('a file with no column for the key is refused with the flag to fix it', async () => {
    await assert.rejects(
      run(people(), { key: 'student_id' }),
      /No column maps to student_id.*--map "Header=student_id"/,
    );
  });

  test('a second file updates only the columns it maps and merges attributes', async () => {
    await run(csv('Customer Id,City,Plan,Tier', 'a,Oslo,gold,1'));
    const report = await run(csv('Customer Id,Plan,Seats', 'a,silver,5'));

    const customer = await getCustomer(db, 'a');
    assert.equal(report.updated, 1);
    assert.equal(customer?.city, 'Oslo');
    assert.deepEqual(customer?.attributes, { plan: 'silver', tier: '1', seats: '5' });
  });

  test('an empty cell clears a mapped field and removes an attribute', async () => {
    await run(csv('Customer Id,City,Plan', 'a,Oslo,gold', 'b,Rome,'));
    await run(csv('Customer Id,City,Plan', 'a,,'));

    assert.equal((await getCustomer(db, 'a'))?.city, null);
    assert.deepEqual((await getCustomer(db, 'a'))?.attributes, {});
    assert.deepEqual((await getCustomer(db, 'b'))?.attributes, {});
  });

  test('values are stored as imported; only the key is trimmed (email: lowercased)', async () => {
    const input = csv('Email,Phone 1,Country', '  Ann@Example.COM ,(422)787-2331x71127, Korea');
    await run(input, { key: 'email' });

    const customer = await getCustomer(db, 'ann@example.com');
    assert.equal(customer?.customer_key, 'ann@example.com');
    assert.equal(customer?.email, '  Ann@Example.COM ');
    assert.equal(customer?.phone, '(422)787-2331x71127');
    assert.equal(customer?.country, ' Korea');
  });
});

describe('importCustomers: upserts', () => {
  const original = readFileSync(fixture('customers-20.csv'), 'utf8');

  test('importing the same file twice changes nothing the second time', async () => {
    await run(Readable.from([original]));
    const before = await versions();

    const report = await run(Readable.from([original]));

    assert.deepEqual([report.inserted, report.updated, report.unchanged], [0, 0, 20]);
    assert.deepEqual(await versions(), before);
  });

  test('changed rows are updated and get a new version; the others keep theirs', async () => {
    await run(Readable.from([original]));
    const before = await versions();
    const lines = original.trimEnd().split('\n');
    lines[3] = lines[3]!.replace('Moniquemouth', 'Moniqueville');
    lines[8] = lines[8]!.replace(/,\d{4}-\d{2}-\d{2},/, ',1999-12-31,');
    lines.push('21,NEW00001,New,Person,Acme,Oslo,Norway,1234,5678,new@example.com,2022-01-01,');

    const report = await run(Readable.from([lines.join('\n')]));

    assert.deepEqual([report.inserted, report.updated, report.unchanged], [1, 2, 18]);
    const after = await versions();
    const bumped = [...before.keys()].filter((key) => after.get(key) !== before.get(key));
    assert.deepEqual(bumped.sort(), [lines[3]!.split(',')[1], lines[8]!.split(',')[1]].sort());
    for (const key of bumped) assert.ok(after.get(key)! > Math.max(...before.values()));
  });

  test('a key repeated within a batch is written once, the later line winning', async () => {
    const report = await run(createReadStream(fixture('duplicates.csv')));

    assert.deepEqual([report.rowsRead, report.inserted, report.duplicates], [5, 3, 2]);
    assert.equal((await getCustomer(db, 'd-1'))?.city, 'Bergen');
    assert.equal((await getImport(db, report.importId))?.duplicates, 2);
  });

  test('a key repeated across batches is inserted, then updated by the later line', async () => {
    const report = await run(createReadStream(fixture('duplicates.csv')), { batchSize: 2 });

    const { inserted, updated, unchanged, duplicates } = report;
    assert.deepEqual([inserted, updated, unchanged, duplicates], [3, 1, 1, 0]);
    assert.equal((await getCustomer(db, 'd-1'))?.city, 'Bergen');
  });

  test('reports progress after every batch, ending at the file size', async () => {
    const seen: number[] = [];
    const onProgress = (progress: ImportProgress) => seen.push(progress.rowsRead);
    await run(Readable.from([original]), { batchSize: 5, onProgress });
    assert.deepEqual(seen, [5, 10, 15, 20]);

    let bytes = 0;
    const input = createReadStream(fixture('customers-20.csv'));
    await run(input, { onProgress: (progress) => (bytes = progress.bytesRead) });
    assert.equal(bytes, Buffer.byteLength(original));
  });
});
