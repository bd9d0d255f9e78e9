import { sql, type Kysely } from 'kysely';

// Who may use the web app and the REST API, and the state of their requests.
// Secrets (session ids, API tokens) are stored as SHA-256 digests only; the
// password as a salted scrypt hash. Runs unchanged on PGlite and PostgreSQL 13+.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table users (
      id bigint generated always as identity primary key,
      username text not null,
      password_hash text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create unique index users_username_key on users (lower(username))`.execute(db);

  await sql`
    create table sessions (
      id_hash text primary key,
      user_id bigint not null references users (id) on delete cascade,
      csrf_token text not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null
    )`.execute(db);
  await sql`create index sessions_expires_at_idx on sessions (expires_at)`.execute(db);

  await sql`
    create table api_tokens (
      id bigint generated always as identity primary key,
      user_id bigint not null references users (id) on delete cascade,
      name text not null,
      token_hash text not null unique,
      created_at timestamptz not null default now(),
      last_used_at timestamptz,
      revoked_at timestamptz
    )`.execute(db);

  // The row is written before the request runs (response_status null), so a
  // concurrent duplicate finds it and waits instead of creating a second time.
  await sql`
    create table idempotency_keys (
      user_id bigint not null references users (id) on delete cascade,
      key text not null,
      method_route text not null,
      request_hash text not null,
      response_status integer,
      response_body text,
      created_at timestamptz not null default now(),
      primary key (user_id, key)
    )`.execute(db);
  await sql`create index idempotency_keys_created_at_idx on idempotency_keys (created_at)`
    .execute(db);

  // One Facebook Login: the state it was started with, then the pending connection
  // (token and ad accounts) until the person picks an ad account.
  await sql`
    create table meta_logins (
      id text primary key,
      state_hash text not null unique,
      user_id bigint not null references users (id) on delete cascade,
      reconnect_destination_id bigint references destinations (id),
      status text not null check (status in ('started', 'authorized', 'completed', 'failed')),
      access_token_enc text,
      token_expires_at timestamptz,
      ad_accounts jsonb,
      destination_id bigint references destinations (id),
      created_at timestamptz not null default now(),
      expires_at timestamptz not null
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['meta_logins', 'idempotency_keys', 'api_tokens', 'sessions', 'users']) {
    await sql`drop table ${sql.table(table)}`.execute(db);
  }
}
