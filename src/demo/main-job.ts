import { createReadStream, existsSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { openApp, type App } from '../app.ts';
import { compileRule } from '../audiences/compile.ts';
import { createAudience } from '../audiences/repository.ts';
import type { AudienceRule } from '../audiences/rules.ts';
import { importCustomers } from '../customers/import.ts';
import { upsertCustomerRecords } from '../customers/records.ts';
import { startMetaEmulator, type MetaEmulator } from '../destinations/meta/emulator/index.ts';
import { connectDestination } from '../destinations/service.ts';
import { runSync } from '../engine/run-sync.ts';
import type { Logger } from '../log.ts';
import { makeRowBuilder, type MappingRow } from '../normalize/row.ts';
import { createSync } from '../syncs/service.ts';
import type { RunView } from '../syncs/view.ts';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const DEFAULT_SAMPLE_FILE = resolve(REPO_ROOT, '../shared/data/customers-10000.csv');

const AUDIENCE_RULE: AudienceRule = { all: [{ field: 'registered_at', op: 'after', value: '2021-01-01' }] };
const MAPPING: MappingRow[] = [
  { source: 'email', destination: 'EMAIL' },
  { source: 'phone', destination: 'PHONE' },
  { source: 'first_name', destination: 'FN' },
  { source: 'last_name', destination: 'LN' },
  { source: 'city', destination: 'CT' },
  { source: 'country', destination: 'COUNTRY' },
  { source: 'external_id', destination: 'EXTERN_ID' },
];

export interface MainJobOptions {
  file: string;
  dataDir: string;
  say: (line: string) => void;
  log: Logger;
}

export interface MainJobResult {
  firstRun: RunView;
  secondRun: RunView;
  metaRows: number;
  expectedRows: number;
  exact: boolean;
}

/**
 * The main job end to end on the embedded default: import real customers, define
 * an audience, connect Meta (the built-in emulator), create and run a sync,
 * change some customers, run again, then check Meta holds exactly the right rows.
 */
export async function runMainJob(options: MainJobOptions): Promise<MainJobResult> {
  const { say } = options;
  if (!existsSync(options.file)) throw new Error(`The sample file ${options.file} does not exist; pass --file <csv>.`);
  rmSync(options.dataDir, { recursive: true, force: true });
  say(`Data folder ${options.dataDir} (the demo's own, reset at every demo run)`);

  const app = await openApp({ dataDir: options.dataDir, env: { ...process.env, DATABASE_URL: undefined }, log: options.log });
  const emulator = await startMetaEmulator();
  try {
    return await mainJob(app, emulator, options);
  } finally {
    await emulator.close();
    await app.close();
  }
}

async function mainJob(app: App, emulator: MetaEmulator, { file, say }: MainJobOptions): Promise<MainJobResult> {
  say(`\n1. Import customers from ${file}`);
  const started = Date.now();
  const imported = await importCustomers(app.db, { input: createReadStream(file), source: file.split('/').pop()!, key: 'external_id' });
  say(`   ${n(imported.rowsRead)} rows: ${n(imported.inserted)} inserted, ${n(imported.updated)} updated, ${n(imported.unchanged)} unchanged, ${n(imported.rejected)} rejected (${seconds(started)})`);

  const audience = await createAudience(app.db, { name: 'Subscribed since 2021', rule: AUDIENCE_RULE });
  say(`\n2. Audience "${audience.name}" (registered_at after 2021-01-01): ${n(await countMembers(app, AUDIENCE_RULE))} customers`);

  say(`\n3. Meta: the built-in Graph API emulator at ${emulator.url} (ad account ${emulator.adAccountId})`);
  const destination = await connectDestination(app, {
    name: 'Meta Ads (emulator)',
    adAccountId: emulator.adAccountId,
    accessToken: emulator.accessToken,
    graphBaseUrl: emulator.url,
  });
  say(`   Destination "${destination.name}": ${destination.status}`);

  const sync = await createSync(app, {
    name: 'Subscribers to Meta',
    description: 'Demo: subscribers since 2021',
    audienceIds: [audience.id],
    destinationId: destination.id,
    metaAudience: { mode: 'create', name: 'Sourcesible demo: subscribers since 2021' },
    mapping: MAPPING,
    hashPii: true,
    defaultCountry: 'US',
  });
  say(`\n4. Sync "${sync.name}" → new Facebook audience "${sync.metaAudience.name}"`);
  say(`   mapping ${MAPPING.map((m) => `${m.source}→${m.destination}`).join(', ')}; PII hashing Yes; default country US`);

  emulator.control.clearRequests();
  const firstRun = await runSync(app, sync.id, { trigger: 'demo' });
  say('\n5. First run');
  say(describe(firstRun));
  say(describeRequests(emulator));

  say('\n6. Customers change in the CRM');
  say(`   ${await changeCustomers(app)}`);

  emulator.control.clearRequests();
  const secondRun = await runSync(app, sync.id, { trigger: 'demo' });
  say('\n7. Second run: only the difference is sent');
  say(describe(secondRun));
  say(describeRequests(emulator));

  const metaAudienceId = (await app.db.selectFrom('syncs').select('meta_audience_id').where('id', '=', sync.id).executeTakeFirstOrThrow()).meta_audience_id!;
  const check = await compareWithMeta(app, emulator, metaAudienceId);
  say(`\n8. Check: the Meta audience holds ${n(check.metaRows)} rows; the audience's members give ${n(check.expectedRows)} rows`);
  say(check.exact
    ? '   ✓ exactly the SHA-256 rows of the normalized identifiers of the audience members'
    : `   ✗ they differ: ${n(check.missing)} missing from Meta, ${n(check.extra)} in Meta that should not be`);
  return { firstRun, secondRun, ...check };
}

/**
 * Makes the changes a day of CRM edits would: new emails for some members, some
 * members leave the audience (an older subscription date), and new customers join.
 */
async function changeCustomers(app: App): Promise<string> {
  const members = await sql<{ external_id: string }>`
    select external_id from customers where ${compileRule(AUDIENCE_RULE, 'customers')} order by id limit 150`.execute(app.db);
  const ids = members.rows.map((row) => row.external_id);
  const newEmails = ids.slice(0, 100).map((id) => ({ external_id: id, email: `new.${id.toLowerCase()}@example.org` }));
  const leavers = ids.slice(100, 150).map((id) => ({ external_id: id, registered_at: '2020-06-01' }));
  const joiners = Array.from({ length: 25 }, (_, i) => ({
    external_id: `DEMO-NEW-${i + 1}`,
    email: `joiner${i + 1}@example.org`,
    first_name: 'Joiner',
    last_name: `Number ${i + 1}`,
    phone: `+1 415 555 ${String(1000 + i).padStart(4, '0')}`,
    country: 'United States of America',
    registered_at: '2022-03-01',
  }));
  const result = await upsertCustomerRecords(app.db, [...newEmails, ...leavers, ...joiners], { key: 'external_id' });
  return `${newEmails.length} members got a new email, ${leavers.length} left the audience, ${joiners.length} new customers joined (${result.inserted} inserted, ${result.updated} updated)`;
}

async function countMembers(app: App, rule: AudienceRule): Promise<number> {
  const result = await sql<{ n: number }>`select count(*)::int as n from customers where ${compileRule(rule, 'customers')}`.execute(app.db);
  return result.rows[0]!.n;
}

/** Builds every member's row afresh and compares the set with what the emulator stores. */
async function compareWithMeta(app: App, emulator: MetaEmulator, metaAudienceId: string) {
  const builder = makeRowBuilder({ mapping: MAPPING, hashPii: true, defaultCountry: 'us' });
  const customers = await sql<Record<string, unknown>>`select * from customers where ${compileRule(AUDIENCE_RULE, 'customers')}`.execute(app.db);
  const expected = new Set<string>();
  for (const customer of customers.rows) {
    const built = builder.build(customer);
    if (!built.skipReason) expected.add(canonical(Object.fromEntries(builder.schema.map((key, i) => [key, built.cells[i]!]))));
  }
  const stored = new Set(emulator.control.rows(metaAudienceId).map((row) => canonical(row as Record<string, string>)));
  const missing = [...expected].filter((row) => !stored.has(row)).length;
  const extra = [...stored].filter((row) => !expected.has(row)).length;
  return { metaRows: stored.size, expectedRows: expected.size, exact: missing === 0 && extra === 0, missing, extra };
}

function canonical(row: Record<string, string>): string {
  return Object.keys(row).filter((key) => row[key] !== '').sort().map((key) => `${key}=${row[key]}`).join('|');
}

function describe(run: RunView): string {
  const issues = Object.entries(run.fieldIssues).sort((a, b) => b[1] - a[1]).slice(0, 6);
  const lines = [
    `   status ${run.status}${run.errorMessage ? ` (${run.errorMessage})` : ''} in ${((run.finishedAt!.getTime() - run.startedAt.getTime()) / 1000).toFixed(1)} s`,
    `   audience size ${n(run.audienceSize ?? 0)}: added ${n(run.added)}, removed ${n(run.removed)}, changed ${n(run.changed)}, unchanged ${n(run.unchanged)}, skipped ${n(run.skipped)}`,
    `   Meta received ${n(run.metaReceived)} rows, ${n(run.metaInvalidEntries)} invalid`,
  ];
  if (issues.length > 0) lines.push(`   fields dropped or flagged: ${issues.map(([key, count]) => `${key} ${n(count)}`).join(', ')}`);
  return lines.join('\n');
}

function describeRequests(emulator: MetaEmulator): string {
  const byPath = new Map<string, { requests: number; rows: number }>();
  for (const request of emulator.control.requests()) {
    const operation = `${request.method} ${request.path.replace(/^\/v\d+\.\d+/, '').replace(/\d{6,}/g, '{id}')}`;
    const entry = byPath.get(operation) ?? { requests: 0, rows: 0 };
    entry.requests += 1;
    const payload = (request.body as { payload?: { data?: unknown[] } } | undefined)?.payload;
    entry.rows += Array.isArray(payload?.data) ? payload.data.length : 0;
    byPath.set(operation, entry);
  }
  const lines = [...byPath].map(([op, e]) => `     ${op}: ${e.requests} request${e.requests === 1 ? '' : 's'}${e.rows ? `, ${n(e.rows)} rows` : ''}`);
  return ['   sent to Meta:', ...lines].join('\n');
}

function n(value: number): string {
  return value.toLocaleString('en-US');
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

/** The demo's own folder beside the data folder, so resetting it never touches real data. */
export function defaultDemoDataDir(dataDir: string): string {
  return join(dirname(dataDir), `${basename(dataDir)}-demo`);
}
