import type { Context } from '../app.ts';
import { LEASE_MS } from '../engine/run-record.ts';

export interface LeaseWatch {
  /** Aborted when the run this worker holds was closed by someone else (taken over). */
  lost: AbortSignal;
  stop(): void;
}

/**
 * Keeps the lease of the sync's running run alive while this worker runs it.
 * The engine renews the lease after each batch, but one batch can outlast a
 * lease when Meta makes the client wait and retry; without this another
 * worker would take over a run that is still alive.
 *
 * The run is found as the sync's running run once the worker's own run is
 * open: the one-running-run-per-sync index makes it the only one.
 */
export function watchLease(ctx: Context, syncId: number, everyMs = LEASE_MS / 4): LeaseWatch {
  const lost = new AbortController();
  let runId: number | null = null;
  let busy = false;

  const renew = async () => {
    if (busy) return;
    busy = true;
    try {
      if (runId === null) {
        const row = await ctx.db
          .selectFrom('runs')
          .select('id')
          .where('sync_id', '=', syncId)
          .where('status', '=', 'running')
          .executeTakeFirst();
        runId = row?.id ?? null;
        if (runId === null) return;
      }
      const renewed = await ctx.db
        .updateTable('runs')
        .set({ lease_expires_at: new Date(Date.now() + LEASE_MS) })
        .where('id', '=', runId)
        .where('status', '=', 'running')
        .executeTakeFirst();
      if (Number(renewed.numUpdatedRows) === 0) {
        const message = 'run lease lost: another worker closed the run; stopping after the batch in flight';
        ctx.log.warn({ syncId, runId }, message);
        lost.abort();
        clearInterval(timer);
      }
    } catch (error) {
      ctx.log.warn({ syncId, err: error }, 'run lease renewal failed; the engine renews it after a batch');
    } finally {
      busy = false;
    }
  };

  const timer = setInterval(() => void renew(), everyMs);
  timer.unref();
  return { lost: lost.signal, stop: () => clearInterval(timer) };
}
