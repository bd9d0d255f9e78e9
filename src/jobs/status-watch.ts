import { sql } from 'kysely';
import type { Context } from '../app.ts';
import type { DestinationStatus, SyncNotifiedStatus } from '../db/schema.ts';
import { loadSyncViews, type SyncView } from '../syncs/view.ts';
import type { JobsConfig } from './config.ts';
import { recordEvent, type NewEvent, type Notifier } from './events.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const TROUBLE: ReadonlySet<SyncNotifiedStatus> = new Set(['failed', 'disconnected', 'invalid']);
// A run that failed because the sync was invalid or its destination disconnected
// is that status's doing, already announced: not a failure of its own.
const NOT_A_FAILURE_OF_ITS_OWN = new Set(['invalid', 'reconnect', 'not_connected']);

export interface StatusWatchOptions {
  config: Pick<JobsConfig, 'SOURCESIBLE_TOKEN_WARNING_DAYS'>;
  now?: Date;
}

/**
 * Compares every sync's and destination's status with the one last announced
 * and records an event for each change (failed, disconnected, invalid,
 * recovered; disconnected, reconnected; a token close to expiry). Each change
 * is claimed with a compare-and-set on the row, so however many processes
 * watch, it is announced once. Returns how many events were recorded.
 */
export async function publishStatusChanges(
  ctx: Context,
  notifier: Notifier,
  options: StatusWatchOptions,
): Promise<number> {
  const now = options.now ?? new Date();
  const warningDays = options.config.SOURCESIBLE_TOKEN_WARNING_DAYS;
  let recorded = await publishSyncChanges(ctx, notifier, now);
  recorded += await publishDestinationChanges(ctx, notifier);
  recorded += await publishTokenExpiries(ctx, notifier, now, warningDays);
  return recorded;
}

/** The status a sync's notifications follow; null: nothing to say (running, not run yet, interrupted). */
export function alertStatusOf(view: SyncView): SyncNotifiedStatus | null {
  switch (view.status) {
    case 'Invalid':
      return 'invalid';
    case 'Disconnected':
      return 'disconnected';
    case 'Synced':
      return 'ok';
    case 'Failed': {
      const run = view.lastRun;
      if (run?.status !== 'failed') return null;
      return NOT_A_FAILURE_OF_ITS_OWN.has(run.errorAction ?? '') ? null : 'failed';
    }
    default:
      return null;
  }
}

async function publishSyncChanges(ctx: Context, notifier: Notifier, now: Date): Promise<number> {
  const views = await loadSyncViews(ctx, undefined, now);
  if (views.length === 0) return 0;
  const rows = await ctx.db
    .selectFrom('syncs')
    .select(['id', 'notified_status'])
    .where('deleted_at', 'is', null)
    .execute();
  const announced = new Map(rows.map((row) => [row.id, row.notified_status]));

  let recorded = 0;
  for (const view of views) {
    const before = announced.get(view.id) ?? null;
    const after = alertStatusOf(view);
    if (after === null || after === before) continue;
    if (!(await claim(ctx, 'syncs', view.id, before, after))) continue;

    const event = syncEvent(view, before, after);
    if (event) {
      await recordEvent(ctx, notifier, event);
      recorded += 1;
    }
  }
  return recorded;
}

function syncEvent(view: SyncView, before: SyncNotifiedStatus | null, after: SyncNotifiedStatus): NewEvent | null {
  const ids = { syncId: view.id, destinationId: view.destination.id };
  if (after === 'ok') {
    if (before === null || !TROUBLE.has(before)) return null;
    const message = `Sync "${view.name}" is Synced again.`;
    return { ...ids, type: 'sync.recovered', message, details: { previous: before } };
  }

  const label = { failed: 'failed', disconnected: 'is Disconnected', invalid: 'is Invalid' }[after];
  const reason = view.statusReason ?? '';
  return {
    ...ids,
    type: `sync.${after}`,
    message: `Sync "${view.name}" ${label}: ${reason}`.trim(),
    details: { status: view.status, reason, runId: view.lastRun?.id ?? null },
  };
}

async function publishDestinationChanges(ctx: Context, notifier: Notifier): Promise<number> {
  const destinations = await ctx.db
    .selectFrom('destinations')
    .select(['id', 'name', 'status', 'status_reason', 'status_message', 'notified_status'])
    .where('deleted_at', 'is', null)
    .execute();

  let recorded = 0;
  for (const destination of destinations) {
    const { status: after, notified_status: before } = destination;
    if (after === before) continue;
    if (!(await claim(ctx, 'destinations', destination.id, before, after))) continue;
    if (before === null && after === 'connected') continue;

    const name = `Destination "${destination.name}"`;
    const why = destination.status_message ?? 'Meta refused its connection.';
    const event: NewEvent =
      after === 'disconnected'
        ? {
            type: 'destination.disconnected',
            message: `${name} is Disconnected: ${why} Reconnect it under Connections → Destinations.`,
            details: { reason: destination.status_reason },
          }
        : { type: 'destination.reconnected', message: `${name} is Connected again.` };
    await recordEvent(ctx, notifier, { ...event, destinationId: destination.id });
    recorded += 1;
  }
  return recorded;
}

async function publishTokenExpiries(
  ctx: Context,
  notifier: Notifier,
  now: Date,
  warningDays: number,
): Promise<number> {
  const soon = await ctx.db
    .selectFrom('destinations')
    .select(['id', 'name', 'token_expires_at', 'token_expiry_notified_for'])
    .where('deleted_at', 'is', null)
    .where('status', '=', 'connected')
    .where('token_expires_at', '>', now)
    .where('token_expires_at', '<=', new Date(now.getTime() + warningDays * DAY_MS))
    .execute();

  let recorded = 0;
  for (const destination of soon) {
    const expiresAt = destination.token_expires_at!;
    if (destination.token_expiry_notified_for?.getTime() === expiresAt.getTime()) continue;
    const claimed = await ctx.db
      .updateTable('destinations')
      .set({ token_expiry_notified_for: expiresAt })
      .where('id', '=', destination.id)
      .where(sql<boolean>`token_expiry_notified_for is distinct from ${expiresAt}`)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) === 0) continue;

    const days = Math.max(1, Math.ceil((expiresAt.getTime() - now.getTime()) / DAY_MS));
    const when = `${expiresAt.toISOString().slice(0, 10)} (in ${days} day${days === 1 ? '' : 's'})`;
    await recordEvent(ctx, notifier, {
      type: 'destination.token_expiring',
      destinationId: destination.id,
      message: `The Meta token of destination "${destination.name}" expires on ${when}. Reconnect it under Connections → Destinations before then; your syncs are kept.`,
      details: { expiresAt: expiresAt.toISOString(), daysLeft: days },
    });
    recorded += 1;
  }
  return recorded;
}

/** Moves the announced status from `before` to `after` unless another process already did. */
async function claim(
  ctx: Context,
  table: 'syncs' | 'destinations',
  id: number,
  before: SyncNotifiedStatus | DestinationStatus | null,
  after: SyncNotifiedStatus | DestinationStatus,
): Promise<boolean> {
  const result = await sql`
    update ${sql.table(table)} set notified_status = ${after}
    where id = ${id} and notified_status is not distinct from ${before}`.execute(ctx.db);
  return Number(result.numAffectedRows ?? 0) === 1;
}
