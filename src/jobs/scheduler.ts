import { sql } from 'kysely';
import type { Context } from '../app.ts';
import type { Clock } from './clock.ts';
import { LEASE_MS } from '../engine/run-record.ts';
import { DestinationCheckJob, SyncRunJob } from './job-types.ts';
import type { JobQueue } from './queue.ts';
import { scheduleOfSync, scheduleStateOfSync } from './schedule-columns.ts';
import { nextRunAt } from './schedule.ts';
import { triggerSyncRun, type TriggerResult } from './trigger.ts';

export type Trigger = (ctx: Context, syncId: number, trigger: string) => Promise<TriggerResult>;

export interface SchedulerOptions {
  clock: Clock;
  /** How a run is asked for; tests record the calls instead. Default triggerSyncRun. */
  trigger?: Trigger;
}

/**
 * Queues a run for every interval sync whose next run time (nextRunAt, the one
 * the sync list shows) has come. The slot is claimed with a compare-and-set
 * first, so that however many schedulers tick at once, a slot is one run. A
 * sync still running keeps its slot unclaimed and runs once it is done; a sync
 * that cannot run (Disconnected, Invalid) lets the slot pass. Returns the ids queued.
 */
export async function enqueueDueRuns(ctx: Context, options: SchedulerOptions): Promise<number[]> {
  const now = options.clock.now();
  const trigger = options.trigger ?? triggerSyncRun;
  const syncs = await ctx.db
    .selectFrom('syncs as s')
    .innerJoin('destinations as d', 'd.id', 's.destination_id')
    .selectAll('s')
    .select(['d.status as destination_status', 'd.deleted_at as destination_deleted_at'])
    .where('s.schedule_type', '=', 'interval')
    .where('s.paused_at', 'is', null)
    .where('s.deleted_at', 'is', null)
    .orderBy('s.id')
    .execute();

  const queued: number[] = [];
  for (const sync of syncs) {
    const slot = nextRunAt(scheduleOfSync(sync), scheduleStateOfSync(sync), now);
    if (!slot || slot > now) continue;
    if (!(await claimSlot(ctx, sync.id, sync.schedule_last_slot_at, slot))) continue;

    const log = ctx.log.child({ syncId: sync.id });
    const blocked = sync.destination_status !== 'connected' || sync.destination_deleted_at;
    if (blocked || sync.invalid_reason) {
      log.info({ slot }, 'scheduled run skipped: the sync is Disconnected or Invalid');
      continue;
    }
    const result = await trigger(ctx, sync.id, 'schedule').catch((error: unknown) => {
      log.error({ err: error }, 'scheduled run could not be queued');
      return null;
    });
    if (result?.status === 'queued') {
      queued.push(sync.id);
      continue;
    }
    // Running, or not queued at all: give the slot back, the next tick asks again.
    await claimSlot(ctx, sync.id, slot, sync.schedule_last_slot_at);
  }
  return queued;
}

/**
 * Asks for a run of every sync whose work a dead worker holds: a running run
 * whose lease expired, or a sync-run job taken longer ago than a lease with no
 * live run (the worker died before opening it). The dead job is cancelled, so
 * it is not retried hours later, and the new run closes the dead run and
 * resumes from its committed state. Leases are real time: no test clock here.
 */
export async function takeOverExpiredRuns(
  ctx: Context,
  queue: JobQueue,
  trigger: Trigger = triggerSyncRun,
): Promise<number[]> {
  const now = new Date();
  const running = await ctx.db
    .selectFrom('runs')
    .select(['sync_id', 'lease_expires_at'])
    .where('status', '=', 'running')
    .execute();
  const live = new Set(running.filter((run) => run.lease_expires_at! > now).map((run) => run.sync_id));
  const expired = running.filter((run) => !live.has(run.sync_id)).map((run) => run.sync_id);
  const deadJobs = (await queue.staleActiveKeys(SyncRunJob, LEASE_MS)).map(Number);
  const stale = [...new Set([...expired, ...deadJobs])].filter((syncId) => !live.has(syncId));

  const queued: number[] = [];
  for (const syncId of stale) {
    await queue.cancelStaleActive(SyncRunJob, String(syncId), LEASE_MS);
    const result = await trigger(ctx, syncId, 'takeover').catch((error: unknown) => {
      ctx.log.warn({ syncId, err: error }, 'could not queue the takeover of a dead run');
      return null;
    });
    if (result?.status === 'queued') {
      ctx.log.warn({ syncId }, 'a run lost its worker; queued its takeover');
      queued.push(syncId);
    }
  }
  return queued;
}

/** Queues the periodic check of every destination that is due, once across processes. */
export async function enqueueDueChecks(
  ctx: Context,
  queue: JobQueue,
  options: { clock: Clock; intervalMinutes: number },
): Promise<number[]> {
  const now = options.clock.now();
  const due = await ctx.db
    .selectFrom('destinations')
    .select(['id', 'next_check_at'])
    .where('deleted_at', 'is', null)
    .where((eb) => eb.or([eb('next_check_at', 'is', null), eb('next_check_at', '<=', now)]))
    .execute();

  const queued: number[] = [];
  for (const destination of due) {
    const next = new Date(now.getTime() + options.intervalMinutes * 60_000);
    const claimed = await ctx.db
      .updateTable('destinations')
      .set({ next_check_at: next })
      .where('id', '=', destination.id)
      .where(sql<boolean>`next_check_at is not distinct from ${destination.next_check_at}`)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) === 0) continue;
    await queue.send(DestinationCheckJob, { destinationId: destination.id });
    queued.push(destination.id);
  }
  return queued;
}

async function claimSlot(
  ctx: Context,
  syncId: number,
  from: Date | null,
  to: Date | null,
): Promise<boolean> {
  const result = await ctx.db
    .updateTable('syncs')
    .set({ schedule_last_slot_at: to })
    .where('id', '=', syncId)
    .where(sql<boolean>`schedule_last_slot_at is not distinct from ${from}`)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
