import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import type { Context } from '../app.ts';
import { createAudience } from '../audiences/repository.ts';
import { readEnvConfig } from '../config.ts';
import { openDatabase, type Database } from '../db/database.ts';
import { startMetaEmulator, type MetaEmulator } from '../destinations/meta/emulator/index.ts';
import { connectDestination } from '../destinations/service.ts';
import { silentLogger } from '../log.ts';
import { SecretBox } from '../secrets/secret-box.ts';
import { createSync } from '../syncs/service.ts';
import { startSlowProxy, type SlowProxy } from './slow-proxy.ts';
import { triggerSyncRun } from './trigger.ts';

const DATABASE_URL = process.env.TEST_DATABASE_URL;
const SKIP = DATABASE_URL ? false : 'multi-process tests need PostgreSQL: set TEST_DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/test';
const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SYNCS = 20;
const BIG = 400;
const PAGE_SIZE = 25;

const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** A `sourcesible worker` child process and what its log said. */
interface WorkerProcess {
  child: ChildProcess;
  exited: Promise<number | null>;
  runs: Array<{ syncId: number; runId: number }>;
}

describe('workers in several processes on one PostgreSQL', { skip: SKIP }, () => {
  const schema = `mw_${randomBytes(5).toString('hex')}`;
  const key = randomBytes(32);
  const dataDir = mkdtempSync(join(tmpdir(), 'sourcesible-workers-'));
  const workers: WorkerProcess[] = [];
  let database: Database;
  let ctx: Context;
  let emulator: MetaEmulator;
  let proxy: SlowProxy;
  let syncIds: number[] = [];
  /** Group → member keys; group i belongs to sync i. */
  const members = new Map<number, Set<string>>();

  before(async () => {
    await admin(`create schema ${schema}`);
    database = await openDatabase({ url: DATABASE_URL!, schema });
    ctx = { db: database.db, log: silentLogger, secrets: new SecretBox(key), config: readEnvConfig({ SOURCESIBLE_DATA_DIR: dataDir }) };
    emulator = await startMetaEmulator();
    proxy = await startSlowProxy(emulator.url, { delayMs: 60 });
    const destination = await connectDestination(ctx, {
      name: 'Meta (emulator)',
      adAccountId: emulator.adAccountId,
      accessToken: emulator.accessToken,
      graphBaseUrl: proxy.url,
    });

    for (let group = 0; group < SYNCS; group += 1) {
      await putMembers(group, Array.from({ length: group === 0 ? BIG : 20 + group * 3 }, (_, i) => `g${group}-${i}`));
      const audience = await createAudience(ctx.db, { name: `Group ${group}`, rule: { all: [{ field: 'attributes.group', op: 'equals', value: `g${group}` }] } });
      const sync = await createSync(ctx, {
        name: `Sync ${group}`,
        audienceIds: [audience.id],
        destinationId: destination.id,
        metaAudience: { mode: 'create', name: `Group ${group} on Meta` },
        mapping: [{ source: 'email', destination: 'EMAIL' }],
      });
      syncIds.push(sync.id);
    }
  });

  after(async () => {
    for (const worker of workers) worker.child.kill('SIGKILL');
    await Promise.all(workers.map((worker) => worker.exited));
    await proxy?.close();
    await emulator?.close();
    await database?.close();
    await admin(`drop schema if exists ${schema} cascade`);
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Sets the customers of a group: these keys, each with an email made from its key. */
  async function putMembers(group: number, keys: string[]) {
    const current = members.get(group) ?? new Set<string>();
    const leaving = [...current].filter((k) => !keys.includes(k));
    if (leaving.length > 0) {
      await ctx.db.updateTable('customers').set({ attributes: JSON.stringify({ group: 'none' }) }).where('customer_key', 'in', leaving).execute();
    }
    const rows = keys.map((k) => ({ customer_key: k, email: `${k}@example.com`, attributes: JSON.stringify({ group: `g${group}` }) }));
    for (let i = 0; i < rows.length; i += 500) {
      await ctx.db
        .insertInto('customers')
        .values(rows.slice(i, i + 500))
        .onConflict((oc) => oc.column('customer_key').doUpdateSet((eb) => ({ attributes: eb.ref('excluded.attributes'), version: eb.fn('nextval', [eb.val('customer_version_seq')]) })))
        .execute();
    }
    members.set(group, new Set(keys));
  }

  function startWorker(): WorkerProcess {
    const url = new URL(DATABASE_URL!);
    url.searchParams.set('options', `-c search_path=${schema}`);
    const child = spawn(process.execPath, ['src/cli/main.ts', 'worker', '--concurrency', '2', '--log-level', 'info'], {
      cwd: REPO,
      env: {
        ...process.env,
        DATABASE_URL: url.toString(),
        SOURCESIBLE_SECRET_KEY: key.toString('hex'),
        SOURCESIBLE_DATA_DIR: dataDir,
        SOURCESIBLE_QUEUE_POLL_SECONDS: '0.5',
        SOURCESIBLE_SCHEDULER_INTERVAL_SECONDS: '2',
        SOURCESIBLE_RUN_PAGE_SIZE: String(PAGE_SIZE),
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const worker: WorkerProcess = {
      child,
      exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
      runs: [],
    };
    createInterface({ input: child.stderr! }).on('line', (line) => {
      try {
        const entry = JSON.parse(line) as { msg?: string; syncId?: number; runId?: number };
        if (entry.msg === 'run started') worker.runs.push({ syncId: entry.syncId!, runId: entry.runId! });
      } catch {
        // Not a log line (a warning printed by Node, say): not ours to read.
      }
    });
    workers.push(worker);
    return worker;
  }

  const runsOf = (syncId: number) => ctx.db.selectFrom('runs').selectAll().where('sync_id', '=', syncId).orderBy('id').execute();

  const lastRunIds = async () => Promise.all(syncIds.map(async (id) => (await runsOf(id)).at(-1)?.id ?? 0));

  /** Waits until every sync has run since `after` (its last run ids then) and nothing runs. */
  async function waitUntilAllSucceeded(after: number[], timeoutMs: number) {
    const behind = async () => {
      const latest = await Promise.all(syncIds.map(async (id) => (await runsOf(id)).at(-1)));
      return latest
        .map((run, i) => ({ syncId: syncIds[i], run: run ? `${run.id} ${run.trigger} ${run.status}` : 'none', done: run !== undefined && run.id > after[i]! && run.status === 'succeeded' }))
        .filter((entry) => !entry.done);
    };
    try {
      await waitFor(async () => (await behind()).length === 0, timeoutMs, 'every sync to end with a new succeeded run');
    } catch (error) {
      throw new Error(`${(error as Error).message}; still behind: ${JSON.stringify(await behind())}`);
    }
  }

  async function stopWorkers(signal: NodeJS.Signals) {
    for (const worker of workers) worker.child.kill(signal);
    return Promise.all(workers.map((worker) => worker.exited));
  }

  async function assertNoOverlapAndExactMembership() {
    for (const [group, syncId] of syncIds.entries()) {
      const runs = await runsOf(syncId);
      for (let i = 1; i < runs.length; i += 1) {
        assert.ok(runs[i - 1]!.finished_at! <= runs[i]!.started_at, `runs ${runs[i - 1]!.id} and ${runs[i]!.id} of sync ${syncId} overlap`);
      }
      const metaId = (await ctx.db.selectFrom('syncs').select('meta_audience_id').where('id', '=', syncId).executeTakeFirstOrThrow()).meta_audience_id!;
      const inMeta = emulator.control.rows(metaId).map((row: Record<string, string>) => row.EMAIL).sort();
      const expected = [...members.get(group)!].map((k) => sha(`${k}@example.com`)).sort();
      assert.deepEqual(inMeta, expected, `Meta audience of sync ${syncId} (group ${group})`);
    }
  }

  test('three workers share twenty syncs; triggers twice answer already_running; a worker killed mid-run loses nothing', { timeout: 240_000 }, async () => {
    const started = [startWorker(), startWorker(), startWorker()];
    const before = await lastRunIds();

    const answers = await Promise.all(syncIds.map((id) => Promise.all([triggerSyncRun(ctx, id, 'manual'), triggerSyncRun(ctx, id, 'manual')])));
    for (const pair of answers) assert.deepEqual(pair.map((a) => a.status).sort(), ['already_running', 'queued']);

    const big = syncIds[0]!;
    const victim = await waitFor(async () => {
      const running = (await runsOf(big)).find((run) => run.status === 'running' && run.added >= PAGE_SIZE);
      return running ? started.find((worker) => worker.runs.some((r) => r.runId === running.id)) ?? null : null;
    }, 60_000, 'the big sync to be running on a worker');
    const killedRunId = victim.runs.find((r) => r.syncId === big)!.runId;
    victim.child.kill('SIGKILL');
    await victim.exited;

    // The lease (60 s) must run out before another worker takes the run over.
    await waitUntilAllSucceeded(before, 180_000);
    const killed = (await runsOf(big)).find((run) => run.id === killedRunId)!;
    assert.equal(killed.status, 'interrupted');
    assert.ok(killed.added < BIG, `the killed run had sent ${killed.added} of ${BIG}`);
    assert.ok((await runsOf(big)).some((run) => run.trigger === 'takeover' && run.status === 'succeeded'), 'a takeover run finished the work');
    const busy = started.filter((worker) => worker.runs.length > 0);
    assert.ok(busy.length >= 2, `${busy.length} worker(s) ran syncs`);
    const all = await ctx.db.selectFrom('runs').selectAll().where('finished_at', 'is not', null).execute();
    const parallel = all.some((a) => all.some((b) => a.sync_id !== b.sync_id && a.started_at < b.finished_at! && b.started_at < a.finished_at!));
    assert.ok(parallel, 'runs of different syncs proceeded in parallel');

    // Membership changes everywhere, then the next run of every sync.
    for (const [group] of syncIds.entries()) {
      const keys = [...members.get(group)!];
      await putMembers(group, [...keys.slice(3), `g${group}-new-a`, `g${group}-new-b`]);
    }
    const beforeNext = await lastRunIds();
    for (const id of syncIds) assert.equal((await triggerSyncRun(ctx, id, 'manual')).status, 'queued');
    await waitUntilAllSucceeded(beforeNext, 60_000);

    await assertNoOverlapAndExactMembership();
    const codes = await stopWorkers('SIGTERM');
    assert.deepEqual(codes.filter((code) => code !== null), [0, 0], 'idle workers stop cleanly on SIGTERM');
  });

  test('SIGTERM lets the run finish its batch in flight and record where it stands; the next worker resumes it', { timeout: 120_000 }, async () => {
    const big = syncIds[0]!;
    const before = (await runsOf(big)).length;
    const added = Array.from({ length: 300 }, (_, i) => `g0-late-${i}`);
    await putMembers(0, [...members.get(0)!, ...added]);

    const first = startWorker();
    assert.equal((await triggerSyncRun(ctx, big, 'manual')).status, 'queued');
    await waitFor(async () => (await runsOf(big)).some((run) => run.status === 'running' && run.added >= PAGE_SIZE), 60_000, 'the run to be under way');
    first.child.kill('SIGTERM');
    const code = await first.exited;

    const stopped = (await runsOf(big))[before]!;
    assert.equal(code, 0);
    assert.equal(stopped.status, 'interrupted');
    assert.ok(stopped.added >= PAGE_SIZE && stopped.added < added.length, `stopped after ${stopped.added} of ${added.length}`);

    startWorker();
    await waitFor(async () => (await runsOf(big)).at(-1)?.status === 'succeeded' && (await runsOf(big)).length > before + 1, 60_000, 'the resumed run');
    const [, resumed] = (await runsOf(big)).slice(before);
    assert.equal(resumed!.trigger, 'resume');
    assert.equal(stopped.added + resumed!.added, added.length, 'every new member sent once');
    await assertNoOverlapAndExactMembership();
  });
});

async function waitFor<T>(probe: () => Promise<T | null | false>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await delay(50);
  }
}

async function admin(statement: string): Promise<void> {
  if (!DATABASE_URL) return;
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
