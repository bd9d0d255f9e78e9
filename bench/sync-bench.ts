import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Context } from '../src/app.ts';
import { createAudience } from '../src/audiences/repository.ts';
import { readEnvConfig } from '../src/config.ts';
import { upsertCustomers } from '../src/customers/upsert.ts';
import type { Db } from '../src/db/database.ts';
import { GraphClient } from '../src/destinations/meta/client.ts';
import { startMetaEmulator, type MetaEmulator } from '../src/destinations/meta/emulator/index.ts';
import { connectDestination } from '../src/destinations/service.ts';
import { runSync } from '../src/engine/run-sync.ts';
import { silentLogger } from '../src/log.ts';
import { SecretBox } from '../src/secrets/secret-box.ts';
import { createSync } from '../src/syncs/service.ts';
import type { RunView } from '../src/syncs/view.ts';
import { BENCH_DEFAULT_COUNTRY, BENCH_MAPPING } from './bench-mapping.ts';
import { openLocation, type BenchLocation } from './bench-database.ts';
import {
  makeEmulatorTimingLog,
  makeTimedFetch,
  makeTimingPlugin,
  MemorySampler,
  PhaseClock,
  type MemoryPeak,
  type PhaseTime,
} from './instruments.ts';
import { Population, toCustomerInput } from './population.ts';
import { Random } from './random.ts';
import { readSampleShapes } from './sample-shapes.ts';

export interface SyncBenchOptions {
  location: BenchLocation;
  size: number;
  seed: number;
  /** Share of members whose email changes before the second run. */
  changeShare: number;
  progress: (line: string) => void;
}

export interface LoadFigures {
  seconds: number;
  rowsPerSecond: number;
  /** Largest RSS of the loading process (it also created the database). */
  peakRssMb: number;
}

/** The run's own record of what it did, kept beside the timings. */
const COUNTED = [
  'status', 'audienceSize', 'added', 'removed', 'changed', 'unchanged', 'skipped',
  'metaReceived', 'metaInvalidEntries',
] as const;
type RunCounts = Pick<RunView, (typeof COUNTED)[number]>;

export interface RunFigures {
  seconds: number;
  membersPerSecond: number;
  /** RSS just before the run, after a full GC: the database, the emulator and the code. */
  rssBeforeMb: number;
  peak: MemoryPeak;
  counters: RunCounts;
  phases: Record<string, PhaseTime>;
  /** The run's error message when it did not succeed. */
  error?: string;
}

export interface SyncFigures {
  first: RunFigures;
  change: { members: number; seconds: number };
  second: RunFigures;
  /** Second run's time over the first's. */
  secondToFirst: number;
  /** Members the emulator holds after the second run. */
  emulatorMembers: number;
}

const LOAD_BATCH = 5_000;

/**
 * Step 1, in a process of its own: migrate the database and load the synthetic
 * customers with bulk upserts, as an import does. Timed, but not part of a sync.
 */
export async function loadStep(
  options: Omit<SyncBenchOptions, 'changeShare'>,
): Promise<LoadFigures> {
  const database = await openLocation(options.location);
  try {
    options.progress(`loading ${options.size.toLocaleString('en')} customers`);
    const population = new Population(readSampleShapes(), options.seed);
    const load = await loadCustomers(database.db, population, options.size, options.progress);
    return { ...load, peakRssMb: process.resourceUsage().maxRSS / 1024 };
  } finally {
    await database.close();
  }
}

/**
 * Step 2, in a fresh process on the loaded database: a sync to the in-process
 * emulator (digests only), a first run, the email of a share of the members
 * changed, a second run. Each run is timed end to end, with its memory sampled
 * and its time split by phase.
 */
export async function syncStep(options: SyncBenchOptions): Promise<SyncFigures> {
  const { size, progress } = options;
  const clock = new PhaseClock();
  const database = await openLocation(options.location);
  const db = database.db.withPlugin(makeTimingPlugin(clock));
  let emulator: MetaEmulator | undefined;
  try {
    emulator = await startMetaEmulator({ storage: 'digests', log: makeEmulatorTimingLog(clock) });
    const ctx: Context = {
      db,
      log: silentLogger,
      secrets: new SecretBox(randomBytes(32)),
      config: readEnvConfig({ SOURCESIBLE_DATA_DIR: '/nonexistent-bench-data-dir' }),
    };
    const syncId = await setUpSync(ctx, emulator);
    const client = new GraphClient({
      baseUrl: emulator.url,
      apiVersion: ctx.config.META_API_VERSION,
      accessToken: emulator.accessToken,
      fetch: makeTimedFetch(clock),
    });

    progress('first run');
    const first = await timeRun(ctx, syncId, client, clock, size);
    assertSucceeded(first, 'first');

    const change = await changeEmails(db, Math.round(size * options.changeShare), options.seed);
    progress(`second run after ${change.members.toLocaleString('en')} emails changed`);
    const second = await timeRun(ctx, syncId, client, clock, size);
    assertSucceeded(second, 'second');

    const sync = await db
      .selectFrom('syncs')
      .select('meta_audience_id')
      .where('id', '=', syncId)
      .executeTakeFirstOrThrow();
    const emulatorMembers = emulator.control.inspectAudience(sync.meta_audience_id!).count;
    const secondToFirst = second.seconds / first.seconds;
    return { first, change, second, secondToFirst, emulatorMembers };
  } finally {
    await emulator?.close();
    await database.close();
  }
}

async function setUpSync(ctx: Context, emulator: MetaEmulator): Promise<number> {
  const destination = await connectDestination(ctx, {
    name: 'Meta (emulator)',
    adAccountId: emulator.adAccountId,
    accessToken: emulator.accessToken,
    graphBaseUrl: emulator.url,
  });
  const audience = await createAudience(ctx.db, { name: 'Everyone', rule: { all: [] } });
  const sync = await createSync(ctx, {
    name: 'Benchmark sync',
    audienceIds: [audience.id],
    destinationId: destination.id,
    metaAudience: { mode: 'create', name: 'Benchmark audience' },
    mapping: BENCH_MAPPING,
    defaultCountry: BENCH_DEFAULT_COUNTRY,
  });
  return sync.id;
}

/** Bulk upserts as an import does them (upsertCustomers, 1,000 rows a statement). */
async function loadCustomers(
  db: Db,
  population: Population,
  size: number,
  progress: (line: string) => void,
) {
  const started = performance.now();
  let loaded = 0;
  let reported = 0;
  for (const batch of population.batches(size, LOAD_BATCH)) {
    await upsertCustomers(db, batch.map(toCustomerInput));
    loaded += batch.length;
    if (loaded - reported >= 250_000) {
      reported = loaded;
      progress(`  ${loaded.toLocaleString('en')} loaded`);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  return { seconds, rowsPerSecond: size / seconds };
}

async function timeRun(
  ctx: Context,
  syncId: number,
  client: GraphClient,
  clock: PhaseClock,
  size: number,
): Promise<RunFigures> {
  globalThis.gc?.();
  const rssBeforeMb = process.memoryUsage().rss / 2 ** 20;
  clock.reset();
  const sampler = new MemorySampler();
  sampler.start();
  const started = performance.now();
  const run = await runSync(ctx, syncId, { trigger: 'benchmark', client });
  const seconds = (performance.now() - started) / 1000;
  const peak = sampler.stop();

  return {
    seconds,
    membersPerSecond: size / seconds,
    rssBeforeMb,
    peak,
    counters: Object.fromEntries(COUNTED.map((name) => [name, run[name]])) as RunCounts,
    phases: withRemainder(clock.snapshot(), seconds * 1000),
    ...(run.errorMessage ? { error: run.errorMessage } : {}),
  };
}

/** Adds the time no instrument saw: the engine's own JavaScript. */
function withRemainder(
  phases: Record<string, PhaseTime>,
  totalMs: number,
): Record<string, PhaseTime> {
  // The emulator handler runs inside the HTTP calls; count it once.
  const seen = Object.entries(phases)
    .filter(([phase]) => !phase.startsWith('emulator:'))
    .reduce((sum, [, phase]) => sum + phase.ms, 0);
  const remainder = { ms: Math.max(0, totalMs - seen), count: 1 };
  return { ...phases, 'engine JS (build rows, encode, other)': remainder };
}

function assertSucceeded(figures: RunFigures, which: string): void {
  const { status } = figures.counters;
  if (status !== 'succeeded') {
    throw new Error(`The ${which} run ended ${status}: ${figures.error ?? 'no message'}`);
  }
}

/**
 * A new email for `count` customers drawn with the seed, each through an update
 * that bumps `version` from customer_version_seq as an import would.
 */
async function changeEmails(db: Db, count: number, seed: number) {
  const { min, max } = await db
    .selectFrom('customers')
    .select((eb) => [eb.fn.min<number>('id').as('min'), eb.fn.max<number>('id').as('max')])
    .executeTakeFirstOrThrow();
  const random = new Random(seed ^ 0x5eed);
  const ids = new Set<number>();
  while (ids.size < count) ids.add(min + random.below(max - min + 1));

  const started = performance.now();
  const all = [...ids];
  let changed = 0;
  for (let at = 0; at < all.length; at += 10_000) {
    const chunk = all.slice(at, at + 10_000);
    const result = await sql`
      update customers
      set email = 'new.' || email, version = nextval('customer_version_seq'), updated_at = now()
      where id = any(${chunk}::bigint[])`.execute(db);
    changed += Number(result.numAffectedRows ?? 0);
  }
  return { members: changed, seconds: (performance.now() - started) / 1000 };
}
