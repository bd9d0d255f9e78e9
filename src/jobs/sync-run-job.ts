import type { Context } from '../app.ts';
import type { Sync } from '../db/schema.ts';
import type { GraphClient } from '../destinations/meta/client.ts';
import { graphClientFor, loadDestination } from '../destinations/service.ts';
import { runSync } from '../engine/run-sync.ts';
import { AppError } from '../errors.ts';
import { loadSync } from '../syncs/service.ts';
import type { RunView } from '../syncs/view.ts';
import type { JobsConfig } from './config.ts';
import type { Notifier } from './events.ts';
import { SyncRunJob, type SyncRunPayload } from './job-types.ts';
import { watchLease } from './lease-watch.ts';
import { metrics } from './metrics.ts';
import type { JobContext } from './queue.ts';
import { publishStatusChanges } from './status-watch.ts';

/** How long a run that found its sync already running waits before it looks again. */
const DEFER_SECONDS = 30;
/** Runs in a row retried after Meta's throttle; then the schedule takes over. */
const MAX_THROTTLE_RETRIES = 3;
const MIN_THROTTLE_WAIT_MS = 60_000;
const MAX_THROTTLE_WAIT_MS = 60 * 60_000;

export interface SyncRunDeps {
  notifier: Notifier;
  config: Pick<JobsConfig, 'SOURCESIBLE_RUN_PAGE_SIZE' | 'SOURCESIBLE_TOKEN_WARNING_DAYS'>;
}

/**
 * The sync-run job: one run of the sync, and what follows from how it ended.
 *
 * - Stopped by SIGTERM or the job's timeout: the run finished its batch in flight
 *   and recorded where it stands; a fresh job lets the next free worker resume it.
 * - Failed because Meta throttles for longer than the client waits: queued again
 *   after the wait Meta's usage headers announce, a few times at most.
 * - Failed otherwise: recorded with the reason; the next scheduled run tries again.
 * - Its sync already running (a live lease elsewhere): looked at again shortly,
 *   which is also how a dead worker's run is taken over once its lease expires.
 */
export async function handleSyncRun(
  ctx: Context,
  deps: SyncRunDeps,
  payload: SyncRunPayload,
  job: JobContext,
): Promise<void> {
  const { syncId, trigger } = payload;
  const log = ctx.log.child({ syncId, jobId: job.id });
  const sync = await loadSync(ctx, syncId).catch((error: unknown) => {
    if (isNotFound(error)) return null;
    throw error;
  });
  if (!sync) {
    log.info('sync deleted; its queued run is dropped');
    return;
  }
  if (trigger === 'schedule' && (sync.paused_at || sync.schedule_type !== 'interval')) {
    log.info('schedule paused or removed since this run was queued; skipped');
    return;
  }

  const client = await clientFor({ ...ctx, log }, sync);
  const lease = watchLease(ctx, syncId);
  let run: RunView;
  try {
    const signal = AbortSignal.any([job.signal, lease.lost]);
    const pageSize = deps.config.SOURCESIBLE_RUN_PAGE_SIZE;
    run = await runSync(ctx, syncId, { trigger, signal, client: client ?? undefined, pageSize });
  } catch (error) {
    if (error instanceof AppError && error.code === 'already_running') {
      await deps.notifier.queue.send(SyncRunJob, payload, { startAfterSeconds: DEFER_SECONDS });
      log.info({ deferSeconds: DEFER_SECONDS }, 'sync running elsewhere; looking again shortly');
      return;
    }
    if (isNotFound(error)) return;
    throw error;
  } finally {
    lease.stop();
  }

  countRun(run);
  const how = { client, stopped: job.signal.aborted, lost: lease.lost.aborted };
  await followUp(ctx, deps, payload, run, how);
  await publishStatusChanges(ctx, deps.notifier, { config: deps.config });
}

async function followUp(
  ctx: Context,
  deps: SyncRunDeps,
  payload: SyncRunPayload,
  run: RunView,
  how: { client: GraphClient | null; stopped: boolean; lost: boolean },
): Promise<void> {
  const { queue } = deps.notifier;
  const log = ctx.log.child({ syncId: payload.syncId, runId: run.id });
  if (run.status === 'interrupted' && how.stopped && !how.lost) {
    await queue.send(SyncRunJob, { syncId: payload.syncId, trigger: 'resume' });
    log.info('run stopped after its batch in flight; queued for the next worker to resume');
    return;
  }

  const attempt = payload.attempt;
  const throttled = run.status === 'failed' && run.errorAction === 'retry_later';
  if (throttled && attempt < MAX_THROTTLE_RETRIES) {
    const announced = how.client?.usage?.regainAccessMs ?? 0;
    const waitMs = Math.min(MAX_THROTTLE_WAIT_MS, Math.max(MIN_THROTTLE_WAIT_MS, announced));
    const retry = { syncId: payload.syncId, trigger: 'retry', attempt: attempt + 1 };
    await queue.send(SyncRunJob, retry, { startAfterSeconds: waitMs / 1000 });
    log.info({ waitMs, attempt: attempt + 1 }, 'Meta throttles the account; run queued again after its wait');
  }
}

/**
 * The destination's client, built here so that its usage headers can be read
 * after the run; its request lines carry the sync and job ids (the run id is
 * the engine's to add: it opens the run).
 */
async function clientFor(ctx: Context, sync: Sync): Promise<GraphClient | null> {
  try {
    return graphClientFor(ctx, await loadDestination(ctx, sync.destination_id));
  } catch {
    // The run itself reports a deleted or unreadable destination, with the reason.
    return null;
  }
}

function countRun(run: RunView): void {
  metrics.runs.inc({ outcome: run.status });
  metrics.members.inc({ change: 'added' }, run.added);
  metrics.members.inc({ change: 'removed' }, run.removed);
  metrics.members.inc({ change: 'changed' }, run.changed);
  metrics.members.inc({ change: 'skipped' }, run.skipped);
}

function isNotFound(error: unknown): boolean {
  return error instanceof AppError && error.code === 'not_found';
}
