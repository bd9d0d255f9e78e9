import type { ColumnType, Generated, Selectable } from 'kysely';
import type { MappingDestination } from '../destinations/meta/keys.ts';

/** Table shapes as Kysely sees them; migrations/ is the source of truth. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface CustomersTable {
  id: Generated<number>;
  customer_key: string;
  external_id: string | null;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  phone: string | null;
  location: string | null;
  city: string | null;
  state: string | null;
  zip: string | null;
  country: string | null;
  date_of_birth: string | null;
  gender: string | null;
  registered_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  student_id: string | null;
  student_level: string | null;
  madid: string | null;
  app_user_id: string | null;
  attributes: Json<Record<string, string>>;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface ImportsTable {
  id: Generated<number>;
  source: string;
  key_field: string;
  mapping: Json<Record<string, string>>;
  status: 'running' | 'completed' | 'failed';
  rows_read: Generated<number>;
  inserted: Generated<number>;
  updated: Generated<number>;
  unchanged: Generated<number>;
  rejected: Generated<number>;
  error: string | null;
  started_at: Generated<Date>;
  finished_at: Timestamp | null;
}

export interface ImportRejectsTable {
  import_id: number;
  line: number;
  reason: string;
}

export interface AudiencesTable {
  id: Generated<number>;
  name: string;
  description: Generated<string>;
  rule: Json<unknown>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  deleted_at: Timestamp | null;
}

export type DestinationStatus = 'connected' | 'disconnected';

export interface DestinationsTable {
  id: Generated<number>;
  name: string;
  type: 'meta_custom_audiences';
  ad_account_id: string;
  ad_account_name: string | null;
  graph_base_url: string;
  api_version: string;
  access_token_enc: string;
  app_secret_enc: string | null;
  token_expires_at: Timestamp | null;
  status: DestinationStatus;
  status_reason: string | null;
  status_message: string | null;
  checked_at: Timestamp | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  deleted_at: Timestamp | null;
  /** When the periodic check of token, permissions and terms is next due. */
  next_check_at: Timestamp | null;
  notified_status: DestinationStatus | null;
  /** The token_expires_at value an expiry warning was already sent for. */
  token_expiry_notified_for: Timestamp | null;
}

export type SyncNotifiedStatus = 'ok' | 'failed' | 'disconnected' | 'invalid';

export interface SyncsTable {
  id: Generated<number>;
  name: string;
  description: Generated<string>;
  destination_id: number;
  meta_audience_mode: 'create' | 'existing';
  meta_audience_name: string | null;
  meta_audience_id: string | null;
  existing_write_mode: Generated<'append' | 'replace'>;
  mapping: Json<Array<{ source: string; destination: MappingDestination }>>;
  hash_pii: Generated<boolean>;
  default_country: string | null;
  schedule_type: 'manual' | 'interval';
  schedule_interval_minutes: number | null;
  schedule_every: number | null;
  schedule_unit: 'minutes' | 'hours' | 'days' | null;
  /** Local wall time `YYYY-MM-DDTHH:mm` in schedule_time_zone; null: from the anchor. */
  schedule_start_at: string | null;
  schedule_time_zone: Generated<string>;
  /** When the schedule was set; slots count from here when no start time is given. */
  schedule_anchor_at: Generated<Date>;
  /** The last slot the scheduler claimed; older missed slots are never replayed. */
  schedule_last_slot_at: Timestamp | null;
  paused_at: Timestamp | null;
  /** The status last announced by an event: ok, failed, disconnected or invalid. */
  notified_status: SyncNotifiedStatus | null;
  config_version: Generated<number>;
  replace_pending: Generated<boolean>;
  invalid_reason: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  deleted_at: Timestamp | null;
}

export interface SyncAudiencesTable {
  sync_id: number;
  audience_id: number;
  position: number;
}

export interface SyncConfigsTable {
  sync_id: number;
  config_version: number;
  schema: Json<string[]>;
  created_at: Generated<Date>;
}

export interface SyncMembersTable {
  sync_id: number;
  customer_id: number;
  customer_version: number;
  config_version: number;
  /** The row's cells exactly as Meta received them, joined by a tab; null when skipped. */
  sent_row: string | null;
  skip_reason: string | null;
}

export type RunStatus = 'running' | 'succeeded' | 'failed' | 'interrupted';

export interface RunsTable {
  id: Generated<number>;
  sync_id: number;
  trigger: string;
  status: RunStatus;
  lease_owner: string | null;
  lease_expires_at: Timestamp | null;
  meta_audience_id: string | null;
  audience_size: number | null;
  added: Generated<number>;
  removed: Generated<number>;
  changed: Generated<number>;
  unchanged: Generated<number>;
  skipped: Generated<number>;
  skipped_by_reason: Json<Record<string, number>>;
  field_issues: Json<Record<string, number>>;
  meta_received: Generated<number>;
  meta_invalid_entries: Generated<number>;
  meta_invalid_samples: Json<string[]>;
  error_action: string | null;
  error_message: string | null;
  started_at: Generated<Date>;
  finished_at: Timestamp | null;
}

export interface RunBatchesTable {
  run_id: number;
  seq: number;
  operation: 'add' | 'remove' | 'replace';
  rows: number;
  session_id: string;
  num_received: number | null;
  num_invalid_entries: number | null;
  invalid_entry_samples: Json<unknown> | null;
  sent_at: Generated<Date>;
}

// Tables of 0002_auth: people, their sessions and API tokens, idempotent requests, Facebook Login.
export interface UsersTable {
  id: Generated<number>;
  username: string;
  /** `scrypt$N$r$p$<salt base64>$<hash base64>`: the salt is per user. */
  password_hash: string;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface SessionsTable {
  /** SHA-256 hex of the cookie's session id; the id itself is never stored. */
  id_hash: string;
  user_id: number;
  csrf_token: string;
  created_at: Generated<Date>;
  expires_at: Timestamp;
}

export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  created_at: Generated<Date>;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface IdempotencyKeysTable {
  user_id: number;
  key: string;
  method_route: string;
  request_hash: string;
  /** Null while the first request is still running. */
  response_status: number | null;
  response_body: string | null;
  created_at: Generated<Date>;
}

export interface MetaLoginsTable {
  id: string;
  state_hash: string;
  user_id: number;
  reconnect_destination_id: number | null;
  status: 'started' | 'authorized' | 'completed' | 'failed';
  access_token_enc: string | null;
  token_expires_at: Timestamp | null;
  ad_accounts: Json<Array<{ id: string; name: string | null; accountStatus: number | null }>> | null;
  destination_id: number | null;
  created_at: Generated<Date>;
  expires_at: Timestamp;
}

export type EventDeliveryStatus = 'none' | 'pending' | 'delivered' | 'failed';

/** Notifications: a sync or destination changed status, or a token nears expiry (0003). */
export interface EventsTable {
  id: Generated<number>;
  type: string;
  sync_id: number | null;
  destination_id: number | null;
  message: string;
  details: Json<Record<string, unknown>>;
  created_at: Generated<Date>;
  delivery_status: Generated<EventDeliveryStatus>;
  delivery_attempts: Generated<number>;
  delivered_at: Timestamp | null;
  delivery_error: string | null;
}

export interface Schema {
  customers: CustomersTable;
  imports: ImportsTable;
  import_rejects: ImportRejectsTable;
  audiences: AudiencesTable;
  destinations: DestinationsTable;
  syncs: SyncsTable;
  sync_audiences: SyncAudiencesTable;
  sync_configs: SyncConfigsTable;
  sync_members: SyncMembersTable;
  runs: RunsTable;
  run_batches: RunBatchesTable;
  events: EventsTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  idempotency_keys: IdempotencyKeysTable;
  meta_logins: MetaLoginsTable;
}

export type Customer = Selectable<CustomersTable>;
export type Audience = Selectable<AudiencesTable>;
export type Destination = Selectable<DestinationsTable>;
export type Sync = Selectable<SyncsTable>;
export type Run = Selectable<RunsTable>;
export type EventRecord = Selectable<EventsTable>;
