import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Command } from 'commander';
import { insertTestCustomers } from '../../audiences/test-customers.ts';
import { openDatabase } from '../../db/database.ts';
import { embeddedDatabaseDir } from '../../app.ts';
import { UserError } from '../output.ts';
import { registerAudiencesCommand } from './audiences.ts';

// The commands run in process against an embedded database folder of their own.
let dataDir: string;

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sourcesible-audiences-cli-'));
  const database = await openDatabase({ dataDir: embeddedDatabaseDir(dataDir) });
  try {
    await insertTestCustomers(database.db);
  } finally {
    await database.close();
  }
});

after(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** Runs `sourcesible --data-dir <tmp> <args>` and returns what it printed to stdout. */
async function cli(...args: string[]): Promise<string> {
  const program = new Command('sourcesible')
    .exitOverride()
    .option('--json')
    .option('--data-dir <dir>')
    .option('--database-url <url>');
  registerAudiencesCommand(program);

  // The test runner reports through stdout in binary chunks while the command awaits; those
  // pass through, and only the command's text is kept.
  const chunks: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = ((chunk: unknown, ...rest: unknown[]) =>
    typeof chunk === 'string'
      ? chunks.push(chunk) > 0
      : Reflect.apply(write, process.stdout, [chunk, ...rest])) as typeof process.stdout.write;
  try {
    await program.parseAsync(['--data-dir', dataDir, ...args], { from: 'user' });
  } finally {
    process.stdout.write = write;
  }
  return chunks.join('');
}

async function cliError(...args: string[]): Promise<UserError> {
  const error = await cli(...args).then(() => undefined, (caught: unknown) => caught);
  assert.ok(error instanceof UserError, `expected a UserError, got ${String(error)}`);
  return error;
}

const korea = '{"all": [{"field": "country", "op": "equals", "value": "korea"}]}';

test('audiences create saves the audience and prints its member count', async () => {
  const out = await cli('audiences', 'create', '--name=Korea', '--rule', korea, '--description=A');

  assert.match(out, /^Created audience \d+ "Korea": 2 customers\.\n$/);
});

test('audiences create reads --rule-file, and --json prints the record', async () => {
  const file = join(dataDir, 'rule.json');
  await writeFile(file, '{"field": "attributes.score", "op": "greater_than", "value": 5}');

  const printed = await cli('--json', 'audiences', 'create', '--name=Scored', '--rule-file', file);

  const out = JSON.parse(printed);
  assert.equal(out.audience.name, 'Scored');
  assert.deepEqual(out.audience.rule, { field: 'attributes.score', op: 'greater_than', value: 5 });
  assert.equal(out.member_count, 3);
});

test('audiences create explains an invalid rule line by line, and bad JSON', async () => {
  const rule = '{"all": [{"field": "nation", "op": "in", "value": []}]}';

  const invalid = await cliError('audiences', 'create', '--name', 'Bad', '--rule', rule);
  assert.match(invalid.message, /^The audience rule is invalid:\n {2}all\[0\]\.field: unknown/);
  assert.match(invalid.message, /\n {2}all\[0\]\.value: the list is empty/);

  const json = await cliError('audiences', 'create', '--name', 'Bad', '--rule', "{'all': []}");
  assert.match(json.message, /^The rule in --rule is not valid JSON/);
  assert.match((await cliError('audiences', 'create', '--name', 'Bad')).message, /needs a rule/);
});

test('audiences create refuses a duplicate name in another case', async () => {
  const error = await cliError('audiences', 'create', '--name', 'KOREA', '--rule', korea);
  assert.match(error.message, /already exists/);
});

test('audiences list shows each audience with its count and rule', async () => {
  const out = await cli('audiences', 'list');

  assert.match(out, /^ID\s+NAME\s+MEMBERS\s+RULE\n/);
  assert.match(out, /\n\d+\s+Korea\s+2\s+country equals "korea"\n/);
  assert.match(out, /\n\d+\s+Scored\s+3\s+attributes\.score greater than 5\n/);
});

test('audiences show prints the count and a preview with masked emails and phones', async () => {
  const out = await cli('audiences', 'show', 'korea');

  assert.match(out, /Members: 2 customers/);
  assert.match(out, /c1\s+Jo Kim\s+j\*\*\*@example\.com\s+\*\*\*4623/);
  assert.ok(!out.includes('jo.kim@') && !out.includes('846-790'));
  const json = JSON.parse(await cli('--json', 'audiences', 'show', 'Korea', '--limit', '1'));
  assert.equal(json.preview.length, 1);
  assert.equal(json.preview[0].masked_email, 'j***@example.com');
});

test('audiences count takes a rule, or several audiences counted as a union', async () => {
  const rule = '{"field": "country", "op": "is_set"}';
  assert.equal(await cli('audiences', 'count', '--rule', rule), '4 customers\n');
  assert.equal(await cli('audiences', 'count', 'Korea', 'scored'), '3 customers\n');

  assert.match((await cliError('audiences', 'count')).message, /Give either audiences/);
  const missing = await cliError('audiences', 'count', 'Nobody');
  assert.match(missing.message, /No audience with id or name "Nobody"/);
});

test('audiences update changes the rule and reports the new count', async () => {
  const rule = '{"field": "country", "op": "equals", "value": "japan"}';

  const out = await cli('audiences', 'update', 'Scored', '--rule', rule);

  assert.match(out, /^Updated audience \d+ "Scored": 1 customer\.\n$/);
  assert.match((await cliError('audiences', 'update', 'Scored')).message, /Nothing to change/);
});

test('audiences delete removes the audience from lists and lookups', async () => {
  assert.match(await cli('audiences', 'delete', 'scored'), /^Deleted audience \d+ "Scored"\.\n$/);

  assert.doesNotMatch(await cli('audiences', 'list'), /Scored/);
  assert.match((await cliError('audiences', 'show', 'Scored')).message, /No audience/);
});
