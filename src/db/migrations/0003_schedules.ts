import { sql, type Kysely } from 'kysely';

// Schedules that run by themselves, the statuses already announced, and the
// events announced. Runs unchanged on PGlite and PostgreSQL 13+.
//
// In a database schema other than public (tests), the job queue's own tables
// (pg-boss: version, queue, schedule, subscription, job, archive, j…) live in
// the same schema, so no table of ours may take one of those names.
export async function up(db: Kysely<any>): Promise<void> {
  // An interval is `every` × `unit`; days follow the calendar of the time zone,
  // so a daily 02:00 stays 02:00 across daylight saving. schedule_interval_minutes
  // stays filled in for readers of the first schema.
  await sql`
    alter table syncs
      add column schedule_every integer check (schedule_every > 0),
      add column schedule_unit text check (schedule_unit in ('minutes', 'hours', 'days')),
      add column schedule_start_at text,
      add column schedule_time_zone text not null default 'UTC',
      add column schedule_anchor_at timestamptz not null default now(),
      add column schedule_last_slot_at timestamptz,
      add column paused_at timestamptz,
      add column notified_status text
        check (notified_status in ('ok', 'failed', 'disconnected', 'invalid'))`.execute(db);

  // Interval syncs made before scheduling existed never ran by themselves: from
  // their creation on, the missed runs coalesce into one at the first tick.
  await sql`
    update syncs set
      schedule_anchor_at = created_at,
      schedule_every = case when schedule_type = 'interval' then schedule_interval_minutes end,
      schedule_unit = case when schedule_type = 'interval' then 'minutes' end`.execute(db);

  await sql`
    alter table destinations
      add column next_check_at timestamptz,
      add column notified_status text check (notified_status in ('connected', 'disconnected')),
      add column token_expiry_notified_for timestamptz`.execute(db);

  await sql`
    create table events (
      id bigint generated always as identity primary key,
      type text not null,
      sync_id bigint references syncs (id) on delete cascade,
      destination_id bigint references destinations (id) on delete cascade,
      message text not null,
      details jsonb not null default '{}'::jsonb,
      created_at timestamptz not null default now(),
      delivery_status text not null default 'none'
        check (delivery_status in ('none', 'pending', 'delivered', 'failed')),
      delivery_attempts integer not null default 0,
      delivered_at timestamptz,
      delivery_error text
    )`.execute(db);
  await sql`create index events_sync_idx on events (sync_id, id desc)`.execute(db);
  await sql`create index events_destination_idx on events (destination_id, id desc)`.execute(db);
}
