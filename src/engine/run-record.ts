import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { RunStatus } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import type { RunCounters } from './counters.ts';

/** How long a run's claim lasts without a heartbeat before another worker may take over. */
export const LEASE_MS = 60_000;

/**
 * Opens a run for the sync. At most one run per sync is running, enforced by a
 * unique index, so this holds across processes and machines. A running run whose
 * lease ran out (its worker died) is closed as interrupted and a new one starts:
 * it resumes from the member state the dead run committed.
 */
export async function openRun(db: Db, syncId: number, trigger: string, owner = randomUUID()): Promise<number> {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    await db
      .updateTable('runs')
      .set({ status: 'interrupted', finished_at: new Date(), error_message: 'Its worker stopped answering; the next run resumed the work.' })
      .where('sync_id', '=', syncId)
      .where('status', '=', 'running')
      .where('lease_expires_at', '<', new Date())
      .execute();
    const inserted = await sql<{ id: number }>`
      insert into runs (sync_id, trigger, status, lease_owner, lease_expires_at)
      values (${syncId}, ${trigger}, 'running', ${owner}, ${new Date(Date.now() + LEASE_MS)})
      on conflict (sync_id) where status = 'running' do nothing
      returning id`.execute(db);
    const id = inserted.rows[0]?.id;
    if (id !== undefined) return id;
  }
  throw new AppError('already_running', `Sync ${syncId} is already running. Wait for that run to finish.`);
}

/**
 * Extends the lease and publishes the live counters of a run in progress. Returns
 * false when the run is no longer this worker's (another took it over): it must stop.
 */
export async function heartbeat(db: Db, runId: number, counters: RunCounters): Promise<boolean> {
  const result = await db
    .updateTable('runs')
    .set({ lease_expires_at: new Date(Date.now() + LEASE_MS), ...counters.columns() })
    .where('id', '=', runId)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function closeRun(
  db: Db,
  runId: number,
  status: Exclude<RunStatus, 'running'>,
  counters: RunCounters,
  extra: { audienceSize?: number; skippedByReason?: Record<string, number>; metaAudienceId?: string | null; errorAction?: string; errorMessage?: string } = {},
): Promise<void> {
  await db
    .updateTable('runs')
    .set({
      status,
      finished_at: new Date(),
      lease_expires_at: null,
      ...counters.columns(),
      ...(extra.audienceSize !== undefined && { audience_size: extra.audienceSize }),
      ...(extra.skippedByReason && {
        skipped_by_reason: JSON.stringify(extra.skippedByReason),
        skipped: Object.values(extra.skippedByReason).reduce((sum, n) => sum + n, 0),
      }),
      ...(extra.metaAudienceId !== undefined && { meta_audience_id: extra.metaAudienceId }),
      error_action: extra.errorAction ?? null,
      error_message: extra.errorMessage ?? null,
    })
    .where('id', '=', runId)
    // A run another worker already closed as interrupted keeps that record.
    .where('status', '=', 'running')
    .execute();
}
