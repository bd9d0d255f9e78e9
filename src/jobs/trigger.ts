import type { Context } from '../app.ts';
import { LEASE_MS } from '../engine/run-record.ts';
import { loadSync } from '../syncs/service.ts';
import { SyncRunJob } from './job-types.ts';
import { openJobQueue } from './queue.ts';

export type TriggerResult = { status: 'queued' } | { status: 'already_running' };

/**
 * Queues a run of the sync for whichever worker is free. A sync whose run waits
 * in the queue or is running (on any worker, any machine) answers
 * already_running, never a second run.
 *
 * Three guards, in order: a run with a live lease in the runs table; a job of
 * the sync waiting, retrying, or taken by a worker so recently that its run may
 * not be open yet; and the queue's own refusal of a second waiting job with the
 * sync's key, which settles two triggers racing each other. A job taken longer
 * ago than a lease without a live run belongs to a dead worker and is ignored.
 */
export async function triggerSyncRun(
  ctx: Context,
  syncId: number,
  trigger: string,
): Promise<TriggerResult> {
  await loadSync(ctx, syncId);
  const queue = await openJobQueue(ctx.db, ctx.log);
  const key = SyncRunJob.key!({ syncId, trigger, attempt: 0 });
  if ((await hasLiveRun(ctx, syncId)) || (await queue.hasPendingJob(SyncRunJob, key, LEASE_MS))) {
    return { status: 'already_running' };
  }

  const jobId = await queue.send(SyncRunJob, { syncId, trigger });
  if (!jobId) return { status: 'already_running' };
  ctx.log.info({ syncId, trigger, jobId }, 'run queued');
  return { status: 'queued' };
}

async function hasLiveRun(ctx: Context, syncId: number): Promise<boolean> {
  const row = await ctx.db
    .selectFrom('runs')
    .select('id')
    .where('sync_id', '=', syncId)
    .where('status', '=', 'running')
    .where('lease_expires_at', '>', new Date())
    .executeTakeFirst();
  return row !== undefined;
}
