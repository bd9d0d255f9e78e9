import type { Context } from '../app.ts';
import { AppError } from '../errors.ts';
import { toRunView, type RunView } from './view.ts';

export async function listRuns(ctx: Context, syncId: number, limit = 20): Promise<RunView[]> {
  const runs = await ctx.db.selectFrom('runs').selectAll().where('sync_id', '=', syncId).orderBy('id', 'desc').limit(limit).execute();
  return runs.map(toRunView);
}

export interface RunBatchView {
  seq: number;
  operation: string;
  rows: number;
  sessionId: string;
  numReceived: number | null;
  numInvalidEntries: number | null;
  invalidEntrySamples: unknown;
  sentAt: Date;
}

/** One run with each batch Meta acknowledged. */
export async function getRun(ctx: Context, runId: number): Promise<RunView & { batches: RunBatchView[] }> {
  const run = await ctx.db.selectFrom('runs').selectAll().where('id', '=', runId).executeTakeFirst();
  if (!run) throw new AppError('not_found', `Run ${runId} does not exist.`);
  const batches = await ctx.db.selectFrom('run_batches').selectAll().where('run_id', '=', runId).orderBy('seq').execute();
  return {
    ...toRunView(run),
    batches: batches.map((b) => ({
      seq: b.seq,
      operation: b.operation,
      rows: b.rows,
      sessionId: b.session_id,
      numReceived: b.num_received,
      numInvalidEntries: b.num_invalid_entries,
      invalidEntrySamples: b.invalid_entry_samples,
      sentAt: b.sent_at,
    })),
  };
}
