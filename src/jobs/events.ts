import type { Context } from '../app.ts';
import type { EventDeliveryStatus, EventRecord } from '../db/schema.ts';
import type { JobsConfig } from './config.ts';
import { NotificationDeliveryJob } from './job-types.ts';
import { metrics } from './metrics.ts';
import type { JobQueue } from './queue.ts';

export const EVENT_TYPES = [
  'sync.failed',
  'sync.disconnected',
  'sync.invalid',
  'sync.recovered',
  'destination.disconnected',
  'destination.reconnected',
  'destination.token_expiring',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Where new events go besides the events table: the webhook, through the queue. */
export interface Notifier {
  queue: JobQueue;
  config: Pick<JobsConfig, 'SOURCESIBLE_WEBHOOK_URL'>;
}

export interface NewEvent {
  type: EventType;
  syncId?: number | null;
  destinationId?: number | null;
  message: string;
  details?: Record<string, unknown>;
}

export interface EventView {
  id: number;
  type: string;
  message: string;
  sync: { id: number; name: string } | null;
  destination: { id: number; name: string } | null;
  details: Record<string, unknown>;
  createdAt: Date;
  delivery: {
    status: EventDeliveryStatus;
    attempts: number;
    deliveredAt: Date | null;
    error: string | null;
  };
}

/** Records an event and, when a webhook is configured, queues its delivery. */
export async function recordEvent(
  ctx: Context,
  notifier: Notifier,
  event: NewEvent,
): Promise<number> {
  const webhook = Boolean(notifier.config.SOURCESIBLE_WEBHOOK_URL);
  const row = await ctx.db
    .insertInto('events')
    .values({
      type: event.type,
      sync_id: event.syncId ?? null,
      destination_id: event.destinationId ?? null,
      message: event.message,
      details: JSON.stringify(event.details ?? {}),
      delivery_status: webhook ? 'pending' : 'none',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  metrics.events.inc({ type: event.type });
  const { type, syncId, destinationId } = event;
  ctx.log.info({ eventId: row.id, type, syncId, destinationId }, 'event recorded');

  if (webhook) await notifier.queue.send(NotificationDeliveryJob, { eventId: row.id });
  return row.id;
}

export interface ListEventsOptions {
  /** Default 50, at most 200. */
  limit?: number;
  /** The nextCursor of the previous page: events older than this id. */
  before?: number;
  syncId?: number;
  destinationId?: number;
}

/** Events newest first, a page at a time: what the web app shows and the webhook sent. */
export async function listEvents(
  ctx: Context,
  options: ListEventsOptions = {},
): Promise<{ data: EventView[]; nextCursor: number | null }> {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
  let query = eventQuery(ctx).orderBy('e.id', 'desc').limit(limit + 1);
  if (options.before !== undefined) query = query.where('e.id', '<', options.before);
  if (options.syncId !== undefined) query = query.where('e.sync_id', '=', options.syncId);
  if (options.destinationId !== undefined) {
    query = query.where('e.destination_id', '=', options.destinationId);
  }

  const rows = await query.execute();
  const page = rows.slice(0, limit).map(toEventView);
  return { data: page, nextCursor: rows.length > limit ? page.at(-1)!.id : null };
}

export async function getEvent(ctx: Context, id: number): Promise<EventView | null> {
  const row = await eventQuery(ctx).where('e.id', '=', id).executeTakeFirst();
  return row ? toEventView(row) : null;
}

function eventQuery(ctx: Context) {
  return ctx.db
    .selectFrom('events as e')
    .leftJoin('syncs as s', 's.id', 'e.sync_id')
    .leftJoin('destinations as d', 'd.id', 'e.destination_id')
    .selectAll('e')
    .select(['s.name as sync_name', 'd.name as destination_name']);
}

type EventRow = EventRecord & { sync_name: string | null; destination_name: string | null };

function toEventView(row: EventRow): EventView {
  return {
    id: row.id,
    type: row.type,
    message: row.message,
    sync: row.sync_id === null ? null : { id: row.sync_id, name: row.sync_name ?? '' },
    destination:
      row.destination_id === null ? null : { id: row.destination_id, name: row.destination_name ?? '' },
    details: row.details,
    createdAt: row.created_at,
    delivery: {
      status: row.delivery_status,
      attempts: row.delivery_attempts,
      deliveredAt: row.delivered_at,
      error: row.delivery_error,
    },
  };
}
