import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { runCommand } from '../../testing/cli.ts';
import { registerCustomersCommand } from './customers.ts';

const malformed = fileURLToPath(new URL('../../customers/fixtures/malformed.csv', import.meta.url));

// Each command opens the embedded database in a folder of this file's own, as the real CLI would.
let dataDir: string;

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sourcesible-customers-cli-'));
});
after(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** Runs `sourcesible --data-dir <tmp> customers <args>` in process; returns its standard output. */
function customers(...args: string[]): Promise<string> {
  return runCommand(registerCustomersCommand, ['--data-dir', dataDir, 'customers', ...args]);
}

describe('sourcesible customers', () => {
  test('import --json reports counts and the rejected lines of a file', async () => {
    const report = JSON.parse(await customers('import', malformed, '--json'));

    assert.equal(report.source, 'malformed.csv');
    assert.deepEqual([report.rowsRead, report.inserted, report.rejected], [9, 4, 5]);
    const lines = report.rejects.map((reject: { line: number }) => reject.line);
    assert.deepEqual(lines, [3, 4, 5, 6, 11]);
  });

  test('import prints a readable summary with the first rejects', async () => {
    const text = await customers('import', malformed);

    assert.match(text, /Imported malformed\.csv as import \d+ \(key external_id, dates YYYY-MM-DD/);
    assert.match(text, /unchanged\s+4\n\s+rejected\s+5/);
    assert.match(text, /line 4\s+Wrong number of fields: 3 where the header has 5/);
  });

  test('--map and --ignore choose where columns go', async () => {
    const file = join(dataDir, 'people.csv');
    await writeFile(file, 'User_Id,Sex,Job_Title,Phone 2\np-1,Female,Editor,+1 555 0100\n');

    const maps = ['--map', 'Phone 2=phone', '--map', 'Sex=attributes.sex'];
    await customers('import', file, ...maps, '--ignore', 'Job_Title');

    const customer = JSON.parse(await customers('show', 'p-1', '--json'));
    assert.equal(customer.phone, '+1 555 0100');
    assert.equal(customer.gender, null);
    assert.deepEqual(customer.attributes, { sex: 'Female' });
  });

  test('bad options are refused with the allowed values', async () => {
    const refused = (args: string[], message: RegExp) =>
      assert.rejects(customers('import', ...args), message);

    await refused([malformed, '--key', 'name'], /--key must be one of external_id, email/);
    await refused([malformed, '--date-format', 'DD/MM'], /--date-format must be one of auto/);
    await refused([malformed, '--map', 'Email'], /--map takes "Header=field"/);
    await refused([join(dataDir, 'missing.csv')], /Cannot read .*missing\.csv: ENOENT/);
  });

  test('count, list, show and imports show read back what was imported', async () => {
    const count = JSON.parse(await customers('count', '--json'));
    const page = JSON.parse(await customers('list', '--limit', '2', '--json'));
    const shown = await customers('show', 'c-7');
    const details = JSON.parse(await customers('imports', 'show', '1', '--json'));

    assert.deepEqual(count, { count: 5 });
    assert.equal(page.customers.length, 2);
    assert.equal(page.nextAfter, page.customers[1].id);
    assert.match(shown, /attributes\.company\s+Multi\nline Ltd/);
    assert.equal(details.status, 'completed');
    assert.deepEqual(details.rejects[0], {
      line: 3,
      reason: 'Malformed quoting: characters follow a closing quote in column 2',
    });
    await assert.rejects(customers('show', 'nobody'), /No customer has the id or key "nobody"/);
  });
});
