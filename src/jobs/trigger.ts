import type { Context } from '../app.ts';
import { runSync } from '../engine/run-sync.ts';
import { AppError } from '../errors.ts';
import { loadSync } from '../syncs/service.ts';

export type TriggerResult = { status: 'queued' } | { status: 'already_running' };

const inFlight = new Map<number, Promise<unknown>>();

/**
 * Starts a run of the sync without waiting for it. A sync already running (here
 * or, through the runs table, anywhere) answers already_running, never a second run.
 */
export async function triggerSyncRun(ctx: Context, syncId: number, trigger: string): Promise<TriggerResult> {
  await loadSync(ctx, syncId);
  if (inFlight.has(syncId) || (await hasRunningRun(ctx, syncId))) return { status: 'already_running' };

  const run = runSync(ctx, syncId, { trigger })
    .catch((error: unknown) => {
      if (error instanceof AppError && error.code === 'already_running') return;
      ctx.log.error({ syncId, err: error }, 'triggered run failed to start');
    })
    .finally(() => inFlight.delete(syncId));
  inFlight.set(syncId, run);
  return { status: 'queued' };
}

/** Waits for the runs this process started (tests and shutdown). */
export async function settleTriggeredRuns(): Promise<void> {
  await Promise.all(inFlight.values());
}

async function hasRunningRun(ctx: Context, syncId: number): Promise<boolean> {
  const row = await ctx.db
    .selectFrom('runs')
    .select('id')
    .where('sync_id', '=', syncId)
    .where('status', '=', 'running')
    .where('lease_expires_at', '>', new Date())
    .executeTakeFirst();
  return row !== undefined;
}
