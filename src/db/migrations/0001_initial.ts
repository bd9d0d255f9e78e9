import { sql, type Kysely } from 'kysely';

// Every statement here runs unchanged on PGlite and on PostgreSQL 13 or newer.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create sequence customer_version_seq`.execute(db);

  await sql`
    create table customers (
      id bigint generated always as identity primary key,
      customer_key text not null unique,
      external_id text,
      email text,
      first_name text,
      last_name text,
      phone text,
      location text,
      city text,
      state text,
      zip text,
      country text,
      date_of_birth text,
      gender text,
      registered_at timestamptz,
      student_id text,
      student_level text,
      madid text,
      app_user_id text,
      attributes jsonb not null default '{}'::jsonb,
      version bigint not null default nextval('customer_version_seq'),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index customers_email_idx on customers (email)`.execute(db);

  await sql`
    create table imports (
      id bigint generated always as identity primary key,
      source text not null,
      key_field text not null,
      mapping jsonb not null,
      status text not null check (status in ('running', 'completed', 'failed')),
      rows_read integer not null default 0,
      inserted integer not null default 0,
      updated integer not null default 0,
      unchanged integer not null default 0,
      rejected integer not null default 0,
      error text,
      started_at timestamptz not null default now(),
      finished_at timestamptz
    )`.execute(db);
  await sql`
    create table import_rejects (
      import_id bigint not null references imports (id) on delete cascade,
      line integer not null,
      reason text not null,
      primary key (import_id, line)
    )`.execute(db);

  await sql`
    create table audiences (
      id bigint generated always as identity primary key,
      name text not null,
      description text not null default '',
      rule jsonb not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      deleted_at timestamptz
    )`.execute(db);
  await sql`create unique index audiences_name_key on audiences (lower(name))
    where deleted_at is null`.execute(db);

  await sql`
    create table destinations (
      id bigint generated always as identity primary key,
      name text not null,
      type text not null check (type in ('meta_custom_audiences')),
      ad_account_id text not null,
      ad_account_name text,
      graph_base_url text not null,
      api_version text not null,
      access_token_enc text not null,
      app_secret_enc text,
      token_expires_at timestamptz,
      status text not null check (status in ('connected', 'disconnected')),
      status_reason text,
      status_message text,
      checked_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      deleted_at timestamptz
    )`.execute(db);
  await sql`create unique index destinations_name_key on destinations (lower(name))
    where deleted_at is null`.execute(db);

  await sql`
    create table syncs (
      id bigint generated always as identity primary key,
      name text not null check (char_length(name) between 1 and 50),
      description text not null default '' check (char_length(description) <= 50),
      destination_id bigint not null references destinations (id),
      meta_audience_mode text not null check (meta_audience_mode in ('create', 'existing')),
      meta_audience_name text,
      meta_audience_id text,
      existing_write_mode text not null default 'append'
        check (existing_write_mode in ('append', 'replace')),
      mapping jsonb not null,
      hash_pii boolean not null default true,
      default_country text,
      schedule_type text not null check (schedule_type in ('manual', 'interval')),
      schedule_interval_minutes integer check (schedule_interval_minutes > 0),
      config_version integer not null default 1,
      replace_pending boolean not null default false,
      invalid_reason text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      deleted_at timestamptz
    )`.execute(db);
  await sql`create unique index syncs_name_key on syncs (lower(name))
    where deleted_at is null`.execute(db);

  await sql`
    create table sync_audiences (
      sync_id bigint not null references syncs (id) on delete cascade,
      audience_id bigint not null references audiences (id),
      position integer not null,
      primary key (sync_id, audience_id)
    )`.execute(db);

  // The Meta schema (column keys) each config version of a sync sends, so that a
  // member added under an older mapping is removed with the exact row it was sent as.
  await sql`
    create table sync_configs (
      sync_id bigint not null references syncs (id) on delete cascade,
      config_version integer not null,
      schema jsonb not null,
      created_at timestamptz not null default now(),
      primary key (sync_id, config_version)
    )`.execute(db);

  await sql`
    create table sync_members (
      sync_id bigint not null references syncs (id) on delete cascade,
      customer_id bigint not null,
      customer_version bigint not null,
      config_version integer not null,
      sent_row text,
      skip_reason text,
      primary key (sync_id, customer_id)
    )`.execute(db);
  // Finds whether another member still holds a row before that row is removed from Meta.
  await sql`create index sync_members_sent_row_idx on sync_members using hash (sent_row)`.execute(db);

  await sql`
    create table runs (
      id bigint generated always as identity primary key,
      sync_id bigint not null references syncs (id) on delete cascade,
      trigger text not null,
      status text not null check (status in ('running', 'succeeded', 'failed', 'interrupted')),
      lease_owner text,
      lease_expires_at timestamptz,
      meta_audience_id text,
      audience_size integer,
      added integer not null default 0,
      removed integer not null default 0,
      changed integer not null default 0,
      unchanged integer not null default 0,
      skipped integer not null default 0,
      skipped_by_reason jsonb not null default '{}'::jsonb,
      field_issues jsonb not null default '{}'::jsonb,
      meta_received integer not null default 0,
      meta_invalid_entries integer not null default 0,
      meta_invalid_samples jsonb not null default '[]'::jsonb,
      error_action text,
      error_message text,
      started_at timestamptz not null default now(),
      finished_at timestamptz
    )`.execute(db);
  await sql`create unique index runs_one_running_per_sync on runs (sync_id)
    where status = 'running'`.execute(db);
  await sql`create index runs_sync_idx on runs (sync_id, id desc)`.execute(db);

  await sql`
    create table run_batches (
      run_id bigint not null references runs (id) on delete cascade,
      seq integer not null,
      operation text not null check (operation in ('add', 'remove', 'replace')),
      rows integer not null,
      session_id text not null,
      num_received integer,
      num_invalid_entries integer,
      invalid_entry_samples jsonb,
      sent_at timestamptz not null default now(),
      primary key (run_id, seq)
    )`.execute(db);
}
