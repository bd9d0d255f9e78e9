import type { Context } from '../app.ts';
import type { Run, Sync } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { scheduleOfSync, scheduleStateOfSync } from '../jobs/schedule-columns.ts';
import { nextRunAt, type IntervalSchedule } from '../jobs/schedule.ts';
import { deriveSyncStatus, type SyncStatus } from './status.ts';

export interface SyncView {
  id: number;
  name: string;
  description: string;
  audiences: Array<{ id: number; name: string; deleted: boolean }>;
  destination: { id: number; name: string; status: 'Connected' | 'Disconnected'; adAccountId: string };
  metaAudience: { mode: 'create' | 'existing'; name: string | null; id: string | null; writeMode: 'append' | 'replace' };
  mapping: Array<{ source: string; destination: string }>;
  hashPii: boolean;
  defaultCountry: string | null;
  /** everyMinutes is every × unit, kept for readers of the first form. */
  schedule: { type: 'manual' } | (IntervalSchedule & { everyMinutes: number });
  /** Paused: scheduled runs stop until resumed; runs asked for by hand still happen. */
  paused: boolean;
  /** When the schedule runs it next (the scheduler's own answer); null for Manual or paused. */
  nextRunAt: Date | null;
  status: SyncStatus;
  statusReason: string | null;
  lastRun: RunView | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface RunView {
  id: number;
  trigger: string;
  status: Run['status'];
  startedAt: Date;
  finishedAt: Date | null;
  audienceSize: number | null;
  added: number;
  removed: number;
  changed: number;
  unchanged: number;
  skipped: number;
  skippedByReason: Record<string, number>;
  fieldIssues: Record<string, number>;
  metaReceived: number;
  metaInvalidEntries: number;
  metaInvalidSamples: string[];
  errorAction: string | null;
  errorMessage: string | null;
}

export function toRunView(run: Run): RunView {
  return {
    id: run.id,
    trigger: run.trigger,
    status: run.status,
    startedAt: run.started_at,
    finishedAt: run.finished_at,
    audienceSize: run.audience_size,
    added: run.added,
    removed: run.removed,
    changed: run.changed,
    unchanged: run.unchanged,
    skipped: run.skipped,
    skippedByReason: run.skipped_by_reason,
    fieldIssues: run.field_issues,
    metaReceived: run.meta_received,
    metaInvalidEntries: run.meta_invalid_entries,
    metaInvalidSamples: run.meta_invalid_samples,
    errorAction: run.error_action,
    errorMessage: run.error_message,
  };
}

export async function loadSyncView(ctx: Context, id: number): Promise<SyncView> {
  const [view] = await loadSyncViews(ctx, id);
  if (!view) throw new AppError('not_found', `Sync ${id} does not exist.`);
  return view;
}

/** Every live sync (or one) with what its status depends on, in three queries whatever the count. */
export async function loadSyncViews(ctx: Context, onlyId?: number, now = new Date()): Promise<SyncView[]> {
  let query = ctx.db.selectFrom('syncs').selectAll().where('deleted_at', 'is', null).orderBy('id');
  if (onlyId !== undefined) query = query.where('id', '=', onlyId);
  const syncs = await query.execute();
  if (syncs.length === 0) return [];
  const ids = syncs.map((sync) => sync.id);

  const audiences = await ctx.db
    .selectFrom('sync_audiences as sa')
    .innerJoin('audiences as a', 'a.id', 'sa.audience_id')
    .select(['sa.sync_id', 'a.id', 'a.name', 'a.deleted_at', 'sa.position'])
    .where('sa.sync_id', 'in', ids)
    .orderBy('sa.position')
    .execute();
  const destinations = await ctx.db
    .selectFrom('destinations')
    .select(['id', 'name', 'status', 'status_message', 'deleted_at', 'ad_account_id'])
    .where('id', 'in', [...new Set(syncs.map((sync) => sync.destination_id))])
    .execute();
  const lastRuns = await ctx.db
    .selectFrom('runs')
    .selectAll()
    .where('id', 'in', (eb) => eb.selectFrom('runs').select((inner) => inner.fn.max('id').as('id')).where('sync_id', 'in', ids).groupBy('sync_id'))
    .execute();

  return syncs.map((sync) => {
    const own = audiences.filter((row) => row.sync_id === sync.id);
    const destination = destinations.find((row) => row.id === sync.destination_id)!;
    const lastRun = lastRuns.find((run) => run.sync_id === sync.id) ?? null;
    const { status, reason } = deriveSyncStatus({
      invalidReason: sync.invalid_reason,
      deletedAudienceNames: own.filter((row) => row.deleted_at).map((row) => row.name),
      destinationDeleted: destination.deleted_at !== null,
      destinationStatus: destination.status,
      destinationMessage: destination.status_message,
      lastRunStatus: lastRun?.status ?? null,
      lastRunError: lastRun?.error_message ?? null,
    });
    return {
      id: sync.id,
      name: sync.name,
      description: sync.description,
      audiences: own.map((row) => ({ id: row.id, name: row.name, deleted: row.deleted_at !== null })),
      destination: {
        id: destination.id,
        name: destination.name,
        status: destination.status === 'connected' ? 'Connected' : 'Disconnected',
        adAccountId: `act_${destination.ad_account_id}`,
      },
      metaAudience: {
        mode: sync.meta_audience_mode,
        name: sync.meta_audience_name,
        id: sync.meta_audience_id,
        writeMode: sync.existing_write_mode,
      },
      mapping: sync.mapping,
      hashPii: sync.hash_pii,
      defaultCountry: sync.default_country,
      schedule: scheduleOf(sync),
      paused: sync.paused_at !== null,
      nextRunAt: nextRunAt(scheduleOfSync(sync), scheduleStateOfSync(sync), now),
      status,
      statusReason: reason,
      lastRun: lastRun ? toRunView(lastRun) : null,
      createdAt: sync.created_at,
      updatedAt: sync.updated_at,
    };
  });
}

function scheduleOf(sync: Sync): SyncView['schedule'] {
  const schedule = scheduleOfSync(sync);
  if (schedule.type === 'manual') return schedule;
  return { ...schedule, everyMinutes: sync.schedule_interval_minutes ?? schedule.every };
}
