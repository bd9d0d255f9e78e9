import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { connectDestination, setDestinationStatus } from '../destinations/service.ts';
import type { CreateSyncInput } from '../syncs/inputs.ts';
import { createSync, pauseSync, resumeSync, updateSync } from '../syncs/service.ts';
import { loadSyncViews } from '../syncs/view.ts';
import { makeAudience, openSyncSetup, putCustomers, type SyncSetup } from '../testing/sync-setup.ts';
import { ManualClock } from './clock.ts';
import { enqueueDueRuns, type Trigger } from './scheduler.ts';
import type { TriggerResult } from './trigger.ts';

describe('the scheduler', () => {
  let setup: SyncSetup;
  let audienceId: number;
  let seq = 0;

  before(async () => {
    setup = await openSyncSetup();
    await putCustomers(setup.ctx, [{ key: 'one', email: 'one@example.com' }]);
    audienceId = await makeAudience(setup.ctx, 'Everyone', { all: [] });
  });
  after(async () => {
    await setup.close();
  });

  /** A trigger that records what the scheduler asked for and answers as told. */
  const recorder = (answer: TriggerResult['status'] = 'queued') => {
    const calls: Array<{ syncId: number; trigger: string }> = [];
    const trigger: Trigger = async (_ctx, syncId, reason) => {
      calls.push({ syncId, trigger: reason });
      return { status: answer };
    };
    return { calls, trigger };
  };
  const newSync = (clock: ManualClock, schedule: CreateSyncInput['schedule'], destinationId = setup.destinationId) => {
    seq += 1;
    const input: CreateSyncInput = {
      name: `Scheduled ${seq}`,
      audienceIds: [audienceId],
      destinationId,
      metaAudience: { mode: 'create', name: `Scheduled audience ${seq}` },
      mapping: [{ source: 'email', destination: 'EMAIL' }],
      schedule,
    };
    return createSync(setup.ctx, input, { now: clock.now() });
  };
  /** Ticks at the clock's time and says whether this sync was queued. */
  const tick = async (clock: ManualClock, syncId: number, trigger = recorder().trigger) => {
    const queued = await enqueueDueRuns(setup.ctx, { clock, trigger });
    return queued.includes(syncId);
  };
  const nextRunOf = async (clock: ManualClock, syncId: number) => {
    const [view] = await loadSyncViews(setup.ctx, syncId, clock.now());
    return view!.nextRunAt?.toISOString() ?? null;
  };

  test('an interval sync is queued when its next run time comes, not a moment before, and once', async () => {
    const clock = new ManualClock('2030-01-01T10:00:00Z');
    const sync = await newSync(clock, { type: 'interval', every: 1, unit: 'hours' });
    const { calls, trigger } = recorder();

    clock.set('2030-01-01T10:59:59Z');
    const early = await tick(clock, sync.id, trigger);
    clock.set('2030-01-01T11:00:00Z');
    const onTime = await tick(clock, sync.id, trigger);
    clock.set('2030-01-01T11:00:30Z');
    const again = await tick(clock, sync.id, trigger);

    assert.deepEqual([early, onTime, again], [false, true, false]);
    assert.deepEqual(calls.filter((call) => call.syncId === sync.id), [{ syncId: sync.id, trigger: 'schedule' }]);
    assert.equal(await nextRunOf(clock, sync.id), '2030-01-01T12:00:00.000Z');
  });

  test('a start time in a time zone places the runs at that wall time, across the spring jump', async () => {
    const clock = new ManualClock('2030-03-29T12:00:00Z');
    const sync = await newSync(clock, { type: 'interval', every: 1, unit: 'days', startAt: '2030-03-30T09:00', timeZone: 'Europe/Paris' });

    assert.equal(await nextRunOf(clock, sync.id), '2030-03-30T08:00:00.000Z');
    clock.set('2030-03-30T07:59:59Z');
    assert.equal(await tick(clock, sync.id), false);
    clock.set('2030-03-30T08:00:00Z');
    assert.equal(await tick(clock, sync.id), true);
    // Summer time from March 31: 09:00 in Paris is 07:00 UTC.
    assert.equal(await nextRunOf(clock, sync.id), '2030-03-31T07:00:00.000Z');
    clock.set('2030-03-31T07:00:00Z');
    assert.equal(await tick(clock, sync.id), true);
  });

  test('runs missed while no scheduler ran are coalesced into one', async () => {
    const clock = new ManualClock('2030-02-01T00:00:00Z');
    const sync = await newSync(clock, { type: 'interval', every: 30, unit: 'minutes' });
    const { calls, trigger } = recorder();

    clock.advance({ hours: 5, minutes: 10 });
    await tick(clock, sync.id, trigger);
    await tick(clock, sync.id, trigger);

    assert.equal(calls.filter((call) => call.syncId === sync.id).length, 1);
    assert.equal(await nextRunOf(clock, sync.id), '2030-02-01T05:30:00.000Z');
  });

  test('pausing stops scheduled runs at once; resuming starts again at the next slot, replaying none', async () => {
    const clock = new ManualClock('2030-04-01T00:00:00Z');
    const sync = await newSync(clock, { type: 'interval', every: 1, unit: 'hours' });

    clock.advance({ minutes: 30 });
    const paused = await pauseSync(setup.ctx, sync.id);
    clock.advance({ hours: 3 });
    const whilePaused = await tick(clock, sync.id);
    const resumed = await resumeSync(setup.ctx, sync.id, { now: clock.now() });
    const rightAfter = await tick(clock, sync.id);

    assert.equal(paused.paused, true);
    assert.equal(paused.nextRunAt, null);
    assert.deepEqual([whilePaused, rightAfter, resumed.paused], [false, false, false]);
    assert.equal(await nextRunOf(clock, sync.id), '2030-04-01T04:00:00.000Z');
    clock.set('2030-04-01T04:00:00Z');
    assert.equal(await tick(clock, sync.id), true);
  });

  test('editing the schedule takes effect at once, and a form resending the same schedule moves nothing', async () => {
    const clock = new ManualClock('2030-05-01T00:00:00Z');
    const sync = await newSync(clock, { type: 'interval', every: 1, unit: 'days' });

    clock.advance({ minutes: 10 });
    await updateSync(setup.ctx, sync.id, { schedule: { type: 'interval', every: 1, unit: 'days' } }, { now: clock.now() });
    assert.equal(await nextRunOf(clock, sync.id), '2030-05-02T00:00:00.000Z');

    await updateSync(setup.ctx, sync.id, { schedule: { type: 'interval', every: 2, unit: 'hours' } }, { now: clock.now() });
    assert.equal(await nextRunOf(clock, sync.id), '2030-05-01T02:10:00.000Z');
    clock.set('2030-05-01T02:10:00Z');
    assert.equal(await tick(clock, sync.id), true);

    await updateSync(setup.ctx, sync.id, { schedule: { type: 'manual' } }, { now: clock.now() });
    clock.advance({ days: 3 });
    assert.equal(await nextRunOf(clock, sync.id), null);
    assert.equal(await tick(clock, sync.id), false);
  });

  test('the first form of an interval, every N minutes, is still taken and shown', async () => {
    const clock = new ManualClock('2030-06-01T00:00:00Z');
    const sync = await newSync(clock, { type: 'interval', everyMinutes: 45 });

    assert.deepEqual(sync.schedule, { type: 'interval', every: 45, unit: 'minutes', startAt: null, timeZone: 'UTC', everyMinutes: 45 });
    clock.set('2030-06-01T00:45:00Z');
    assert.equal(await tick(clock, sync.id), true);
  });

  test('two schedulers ticking at the same moment queue one run', async () => {
    const clock = new ManualClock('2030-07-01T00:00:00Z');
    const sync = await newSync(clock, { type: 'interval', every: 15, unit: 'minutes' });
    const { calls, trigger } = recorder();

    clock.advance({ minutes: 15 });
    await Promise.all([enqueueDueRuns(setup.ctx, { clock, trigger }), enqueueDueRuns(setup.ctx, { clock, trigger })]);

    assert.equal(calls.filter((call) => call.syncId === sync.id).length, 1);
  });

  test('a sync still running keeps its slot, and is queued as soon as the run is done', async () => {
    const clock = new ManualClock('2030-08-01T00:00:00Z');
    const sync = await newSync(clock, { type: 'interval', every: 1, unit: 'hours' });

    clock.advance({ hours: 1, seconds: 5 });
    const busy = await tick(clock, sync.id, recorder('already_running').trigger);
    clock.advance({ seconds: 15 });
    const done = await tick(clock, sync.id);

    assert.deepEqual([busy, done], [false, true]);
    assert.equal(await nextRunOf(clock, sync.id), '2030-08-01T02:00:00.000Z');
  });

  test('a Disconnected sync lets its slot pass instead of failing a run', async () => {
    const clock = new ManualClock('2030-09-01T00:00:00Z');
    const other = await connectDestination(setup.ctx, {
      name: `Second Meta ${seq}`,
      adAccountId: setup.emulator.adAccountId,
      accessToken: setup.emulator.accessToken,
      graphBaseUrl: setup.emulator.url,
    });
    const sync = await newSync(clock, { type: 'interval', every: 1, unit: 'hours' }, other.id);
    await setDestinationStatus(setup.ctx, other.id, 'disconnected', 'token_expired', 'The token expired.');

    clock.advance({ hours: 1 });
    const skipped = await tick(clock, sync.id);

    assert.equal(skipped, false);
    assert.equal(await nextRunOf(clock, sync.id), '2030-09-01T02:00:00.000Z');
  });
});
