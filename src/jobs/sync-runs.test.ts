import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { connectDestination } from '../destinations/service.ts';
import { openRun } from '../engine/run-record.ts';
import { getSync, pauseSync } from '../syncs/service.ts';
import { makeAudience, makeSync, openSyncSetup, putCustomers, type SyncSetup } from '../testing/sync-setup.ts';
import { startBackgroundWork } from './background.ts';
import { SyncRunJob } from './job-types.ts';
import { openJobQueue } from './queue.ts';
import { takeOverExpiredRuns } from './scheduler.ts';
import { startSlowProxy, type SlowProxy } from './slow-proxy.ts';
import { runQueuedJobs, testJobsConfig } from './testing.ts';
import { triggerSyncRun } from './trigger.ts';

const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const everyone = { all: [] };

describe('sync runs on the job queue', () => {
  let setup: SyncSetup;
  let proxy: SlowProxy;
  let slowDestinationId: number;
  let seq = 0;

  before(async () => {
    setup = await openSyncSetup();
    proxy = await startSlowProxy(setup.emulator.url, { delayMs: 0 });
    const slow = await connectDestination(setup.ctx, {
      name: 'Meta (slow)',
      adAccountId: setup.emulator.adAccountId,
      accessToken: setup.emulator.accessToken,
      graphBaseUrl: proxy.url,
    });
    slowDestinationId = slow.id;
  });
  after(async () => {
    await proxy.close();
    await setup.close();
  });

  const next = (base: string) => `${base} ${(seq += 1)}`;
  const people = (prefix: string, n: number) =>
    Array.from({ length: n }, (_, i) => ({ key: `${prefix}${i}`, email: `${prefix}${i}@example.com`, attributes: { group: prefix } }));
  const newSync = async (prefix: string, n: number, destinationId = setup.destinationId) => {
    await putCustomers(setup.ctx, people(prefix, n));
    const audienceId = await makeAudience(setup.ctx, next('Audience'), { all: [{ field: 'attributes.group', op: 'equals', value: prefix }] });
    return makeSync(setup, [audienceId], { name: next('Sync'), destinationId, metaAudience: { mode: 'create', name: next('Meta') } });
  };
  const emailsInMeta = async (syncId: number) => {
    const view = await getSync(setup.ctx, syncId);
    return setup.emulator.control.rows(view.metaAudience.id!).map((row: Record<string, string>) => row.EMAIL).sort();
  };
  const hashed = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => sha(`${prefix}${i}@example.com`)).sort();
  const runsOf = (syncId: number) => setup.ctx.db.selectFrom('runs').selectAll().where('sync_id', '=', syncId).orderBy('id').execute();

  test('a second trigger while the first run waits in the queue answers already_running, and one run happens', async () => {
    const sync = await newSync('q', 5);

    const first = await triggerSyncRun(setup.ctx, sync.id, 'manual');
    const second = await triggerSyncRun(setup.ctx, sync.id, 'manual');
    await runQueuedJobs(setup.ctx);

    assert.deepEqual([first.status, second.status], ['queued', 'already_running']);
    assert.deepEqual((await runsOf(sync.id)).map((run) => [run.trigger, run.status]), [['manual', 'succeeded']]);
    assert.deepEqual(await emailsInMeta(sync.id), hashed('q', 5));
  });

  test('a trigger while the sync runs on another worker answers already_running', async () => {
    const sync = await newSync('r', 2);
    const runId = await openRun(setup.ctx.db, sync.id, 'elsewhere');

    const result = await triggerSyncRun(setup.ctx, sync.id, 'manual');

    assert.equal(result.status, 'already_running');
    await setup.ctx.db.updateTable('runs').set({ status: 'failed', finished_at: new Date() }).where('id', '=', runId).execute();
  });

  test('a run whose worker died is taken over once its lease expires, and completes', async () => {
    const sync = await newSync('d', 4);
    const deadRun = await openRun(setup.ctx.db, sync.id, 'manual');
    await setup.ctx.db.updateTable('runs').set({ lease_expires_at: new Date(Date.now() - 1000) }).where('id', '=', deadRun).execute();

    const queue = await openJobQueue(setup.ctx.db, setup.ctx.log);
    const takenOver = await takeOverExpiredRuns(setup.ctx, queue);
    await runQueuedJobs(setup.ctx);

    assert.deepEqual(takenOver, [sync.id]);
    const runs = await runsOf(sync.id);
    assert.deepEqual(runs.map((run) => [run.trigger, run.status]), [['manual', 'interrupted'], ['takeover', 'succeeded']]);
    assert.ok(runs[0]!.finished_at! <= runs[1]!.started_at, 'the dead run is closed before the new one starts');
    assert.deepEqual(await emailsInMeta(sync.id), hashed('d', 4));
  });

  test('a run whose worker died after taking its job, before opening the run, is taken over and its dead job cancelled', async () => {
    const sync = await newSync('j', 3);
    const queue = await openJobQueue(setup.ctx.db, setup.ctx.log);
    const jobId = await queue.send(SyncRunJob, { syncId: sync.id, trigger: 'manual' });
    const jobs = sql.table(`${queue.schema}.job`);
    await sql`update ${jobs} set state = 'active', started_on = now() - interval '2 minutes' where id = ${jobId}`.execute(setup.ctx.db);

    const takenOver = await takeOverExpiredRuns(setup.ctx, queue);
    await runQueuedJobs(setup.ctx);

    assert.deepEqual(takenOver, [sync.id]);
    const dead = await sql<{ state: string }>`select state::text as state from ${jobs} where id = ${jobId}`.execute(setup.ctx.db);
    assert.equal(dead.rows[0]!.state, 'cancelled');
    assert.deepEqual((await runsOf(sync.id)).map((run) => [run.trigger, run.status]), [['takeover', 'succeeded']]);
    assert.deepEqual(await takeOverExpiredRuns(setup.ctx, queue), [], 'taken over once');
  });

  test('stopping the workers mid-run finishes the batch in flight, records where the run stands, and the next worker resumes it', async () => {
    const sync = await newSync('s', 60, slowDestinationId);
    const config = testJobsConfig({ SOURCESIBLE_RUN_PAGE_SIZE: 10 });
    proxy.setDelay(150);
    const work = await startBackgroundWork(setup.ctx, { worker: true, concurrency: 1, scheduler: false, config });
    try {
      assert.equal((await triggerSyncRun(setup.ctx, sync.id, 'manual')).status, 'queued');
      await waitFor(async () => (await runsOf(sync.id)).some((run) => run.status === 'running' && run.added >= 10));
    } finally {
      await work.stop();
      proxy.setDelay(0);
    }

    const [stopped] = await runsOf(sync.id);
    assert.equal(stopped!.status, 'interrupted');
    assert.ok(stopped!.added >= 10 && stopped!.added < 60, `stopped after ${stopped!.added} of 60`);
    const queue = await openJobQueue(setup.ctx.db, setup.ctx.log);
    assert.equal(await queue.hasPendingJob(SyncRunJob, String(sync.id), 0), true, 'a resume job waits in the queue');

    await runQueuedJobs(setup.ctx, { config });

    const runs = await runsOf(sync.id);
    assert.deepEqual(runs.map((run) => [run.trigger, run.status]), [['manual', 'interrupted'], ['resume', 'succeeded']]);
    assert.equal(runs[0]!.added + runs[1]!.added, 60, 'every member sent once');
    assert.deepEqual(await emailsInMeta(sync.id), hashed('s', 60));
  });

  test('a run Meta throttles for longer than the client waits ends Failed, and is queued again after the wait the usage headers announce', async () => {
    const sync = await newSync('t', 2);
    setup.emulator.control.setUsage(100);
    try {
      await triggerSyncRun(setup.ctx, sync.id, 'manual');
      await runQueuedJobs(setup.ctx);
    } finally {
      setup.emulator.control.setUsage(0);
    }

    const [run] = await runsOf(sync.id);
    assert.deepEqual([run!.status, run!.error_action], ['failed', 'retry_later']);
    const queue = await openJobQueue(setup.ctx.db, setup.ctx.log);
    const waiting = await sql<{ data: { trigger: string; attempt: number }; wait_s: number }>`
      select data, extract(epoch from start_after - now())::int as wait_s from ${sql.table(`${queue.schema}.job`)}
      where name = 'sync-run' and singleton_key = ${String(sync.id)} and state = 'created'`.execute(setup.ctx.db);
    assert.deepEqual(waiting.rows.map((row) => row.data), [{ syncId: sync.id, trigger: 'retry', attempt: 1 }]);
    // The emulator announces the rest of its hour, 60 minutes from a fresh start.
    assert.ok(waiting.rows[0]!.wait_s > 55 * 60 && waiting.rows[0]!.wait_s <= 60 * 60, `waits ${waiting.rows[0]!.wait_s} s`);
  });

  test('a scheduled run still queued when its sync is paused does not run', async () => {
    const sync = await newSync('p', 3);
    await setup.ctx.db.updateTable('syncs').set({ schedule_type: 'interval', schedule_every: 1, schedule_unit: 'hours' }).where('id', '=', sync.id).execute();
    assert.equal((await triggerSyncRun(setup.ctx, sync.id, 'schedule')).status, 'queued');

    await pauseSync(setup.ctx, sync.id);
    await runQueuedJobs(setup.ctx);

    assert.deepEqual(await runsOf(sync.id), []);
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('the condition did not come true in time');
    await delay(50);
  }
}
