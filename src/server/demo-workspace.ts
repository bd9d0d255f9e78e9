import { createReadStream, existsSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Context } from '../app.ts';
import { createAudience } from '../audiences/repository.ts';
import type { AudienceRule } from '../audiences/rules.ts';
import { importCustomers } from '../customers/import.ts';
import { startMetaEmulator, type MetaEmulator } from '../destinations/meta/emulator/index.ts';
import { connectDestination, reconnectDestination } from '../destinations/service.ts';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const DEMO_SAMPLE_FILE = resolve(REPO_ROOT, '../shared/data/customers-10000.csv');
export const DEMO_DESTINATION_NAME = 'Demo Meta (built-in emulator)';

export const DEMO_AUDIENCES: Array<{ name: string; description: string; rule: AudienceRule }> = [
  {
    name: 'Demo: subscribed since 2021',
    description: 'Sample customers whose subscription date is 1 January 2021 or later.',
    rule: { all: [{ field: 'registered_at', op: 'after', value: '2020-12-31' }] },
  },
  {
    name: 'Demo: customers in Norway or Chile',
    description: 'Sample customers whose country is Norway or Chile.',
    rule: { all: [{ field: 'country', op: 'in', value: ['Norway', 'Chile'] }] },
  },
];

export interface DemoWorkspace {
  /** The emulator the demo destination talks to; it lives as long as the server. */
  emulator: MetaEmulator | null;
  /** What happened, one line each, for the server to print. */
  notes: string[];
  close(): Promise<void>;
}

export interface DemoOptions {
  /** Load the workspace when the database is empty (serve's default; --no-demo turns it off). */
  load: boolean;
  sampleFile?: string;
  say?: (line: string) => void;
}

/**
 * The demo workspace a new user walks the wizard through: the sample customers,
 * two audiences and a destination on a Meta emulator started in this process.
 * Loaded only into an empty database. The emulator keeps its state in memory,
 * so on every later start the demo destination is pointed at a fresh emulator,
 * and its syncs that created their Meta audience will create it again there.
 */
export async function prepareDemoWorkspace(
  ctx: Context,
  options: DemoOptions,
): Promise<DemoWorkspace> {
  const say = options.say ?? (() => undefined);
  const existing = await ctx.db
    .selectFrom('destinations')
    .select(['id'])
    .where('name', '=', DEMO_DESTINATION_NAME)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (existing) return repointDemoDestination(ctx, existing.id);
  if (!options.load || !(await isEmpty(ctx))) {
    return { emulator: null, notes: [], close: async () => {} };
  }

  const notes = ['Loaded the demo workspace (the database was empty; serve --no-demo skips it):'];
  const file = options.sampleFile ?? DEMO_SAMPLE_FILE;
  if (existsSync(file)) {
    say(`Loading the demo workspace: importing ${basename(file)}…`);
    const report = await importCustomers(ctx.db, {
      input: createReadStream(file),
      source: `Demo: ${basename(file)}`,
      key: 'external_id',
      log: ctx.log,
    });
    const count = report.inserted.toLocaleString('en-US');
    notes.push(`  ${count} sample customers from ${basename(file)}`);
  } else {
    const warning = `  no sample customers: ${file} does not exist (import your own CSV instead)`;
    ctx.log.warn({ file }, 'demo sample customers not found');
    notes.push(warning);
  }

  for (const audience of DEMO_AUDIENCES) await createAudience(ctx.db, audience);
  notes.push(`  audiences ${DEMO_AUDIENCES.map((audience) => `"${audience.name}"`).join(' and ')}`);

  const emulator = await startMetaEmulator();
  try {
    await connectDestination(ctx, {
      name: DEMO_DESTINATION_NAME,
      adAccountId: emulator.adAccountId,
      accessToken: emulator.accessToken,
      appSecret: emulator.appSecret,
      graphBaseUrl: emulator.url,
    });
  } catch (error) {
    await emulator.close();
    throw error;
  }
  notes.push(`  destination "${DEMO_DESTINATION_NAME}" on the Meta emulator at ${emulator.url}`);
  return { emulator, notes, close: () => emulator.close() };
}

async function repointDemoDestination(ctx: Context, destinationId: number): Promise<DemoWorkspace> {
  const emulator = await startMetaEmulator();
  try {
    await ctx.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('destinations')
        .set({ graph_base_url: emulator.url, updated_at: new Date() })
        .where('id', '=', destinationId)
        .execute();
      // The previous emulator's audiences are gone with it: these syncs start afresh.
      const syncs = trx
        .selectFrom('syncs')
        .select('id')
        .where('destination_id', '=', destinationId)
        .where('meta_audience_mode', '=', 'create');
      await trx.deleteFrom('sync_members').where('sync_id', 'in', syncs).execute();
      await trx
        .updateTable('syncs')
        .set({ meta_audience_id: null, invalid_reason: null, updated_at: sql`now()` })
        .where('destination_id', '=', destinationId)
        .where('meta_audience_mode', '=', 'create')
        .execute();
    });
    await reconnectDestination(ctx, destinationId, {
      accessToken: emulator.accessToken,
      appSecret: emulator.appSecret,
    });
  } catch (error) {
    await emulator.close();
    throw error;
  }
  const note = `Demo destination "${DEMO_DESTINATION_NAME}" now uses a fresh Meta emulator`;
  return { emulator, notes: [`${note} at ${emulator.url}`], close: () => emulator.close() };
}

async function isEmpty(ctx: Context): Promise<boolean> {
  const row = await sql<{ n: number }>`
    select (select count(*) from customers) + (select count(*) from audiences)
      + (select count(*) from destinations) as n`.execute(ctx.db);
  return Number(row.rows[0]?.n ?? 0) === 0;
}
