/**
 * The REST API's shapes as the browser receives them (dates arrive as ISO text).
 * They mirror src/syncs/view.ts, src/destinations/service.ts and the contract in
 * briefs/api-contract.md.
 */
export type SyncStatus = 'Synced' | 'Disconnected' | 'Invalid' | 'Running' | 'Failed' | 'Pending';
export type DestinationStatus = 'Connected' | 'Disconnected';

export interface User {
  username: string;
}

export interface Session {
  user: User;
  csrfToken: string;
}

export type IntervalUnit = 'minutes' | 'hours' | 'days';

/**
 * Interval schedules are `{every, unit}` with an optional local start time and an
 * IANA time zone; older servers answer `{everyMinutes}` only, so both are read.
 */
export type Schedule =
  | { type: 'manual' }
  | {
    type: 'interval';
    every?: number;
    unit?: IntervalUnit;
    everyMinutes?: number;
    startAt?: string | null;
    timeZone?: string;
  };

export interface MappingRow {
  source: string;
  destination: string;
}

export interface RunView {
  id: number;
  trigger: string;
  status: 'running' | 'succeeded' | 'failed' | 'interrupted' | string;
  startedAt: string;
  finishedAt: string | null;
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

export interface RunBatchView {
  seq: number;
  operation: string;
  rows: number;
  sessionId: string;
  numReceived: number | null;
  numInvalidEntries: number | null;
  invalidEntrySamples: unknown;
  sentAt: string;
}

export interface RunDetail extends RunView {
  batches: RunBatchView[];
}

export interface SyncView {
  id: number;
  name: string;
  description: string;
  audiences: Array<{ id: number; name: string; deleted: boolean }>;
  destination: { id: number; name: string; status: DestinationStatus; adAccountId: string };
  metaAudience: {
    mode: 'create' | 'existing';
    name: string | null;
    id: string | null;
    writeMode: 'append' | 'replace';
    approximateCountLowerBound?: number | null;
    approximateCountUpperBound?: number | null;
  };
  mapping: MappingRow[];
  hashPii: boolean;
  defaultCountry: string | null;
  schedule: Schedule;
  /** Scheduled runs are stopped until resumed; Sync now still works. */
  paused?: boolean;
  status: SyncStatus;
  statusReason: string | null;
  lastRun: RunView | null;
  nextRunAt?: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface CreateSyncBody {
  name: string;
  description: string;
  audienceIds: number[];
  destinationId: number;
  metaAudience:
    | { mode: 'create'; name: string }
    | { mode: 'existing'; audienceId: string; writeMode: 'append' | 'replace' };
  mapping: Array<{ source: string | null; destination: string }>;
  hashPii: boolean;
  defaultCountry: string | null;
  schedule: Schedule;
}

export interface DestinationView {
  id: number;
  name: string;
  type: string;
  adAccountId: string;
  adAccountName: string | null;
  status: DestinationStatus;
  statusReason: string | null;
  statusMessage: string | null;
  syncCount: number;
  lastUpdate: string;
  graphBaseUrl?: string;
}

export interface MetaAudience {
  id: string;
  name: string | null;
  approximateCountLowerBound: number | null;
  approximateCountUpperBound: number | null;
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export type RuleCondition = {
  field: string;
  op: string;
  value?: string | number | boolean | Array<string | number | boolean>;
};
export type RuleNode = { all: RuleNode[] } | { any: RuleNode[] } | RuleCondition;

export interface Audience {
  id: number;
  name: string;
  description: string | null;
  rule: RuleNode;
  memberCount: number;
  createdAt: string;
  updatedAt: string;
}

/** A member as a preview shows it: names, and masked identifiers only. */
export interface MemberPreview {
  id: number;
  key: string;
  firstName: string | null;
  lastName: string | null;
  maskedEmail: string | null;
  maskedPhone: string | null;
}

export interface CustomerFields {
  fields: string[];
  attributes: string[];
}

export interface CustomerSummary {
  id: number;
  key: string;
  externalId: string | null;
  firstName: string | null;
  lastName: string | null;
  maskedEmail: string | null;
  maskedPhone: string | null;
  city: string | null;
  country: string | null;
  registeredAt: string | null;
  updatedAt: string;
}

export interface ImportPreview {
  headers: string[];
  sampleRows: string[][];
  suggestedMapping: Record<string, string | null>;
  detectedDateFormat: string | null;
  dateFormatProblem?: string | null;
}

export interface ImportReject {
  line: number;
  reason: string;
}

export interface ImportReport {
  importId?: number;
  id?: number;
  source?: string;
  keyField?: string;
  status?: string;
  rowsRead: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  duplicates?: number;
  rejects: ImportReject[];
}

export interface QualityField {
  destination: string;
  source: string;
  present: number;
  valid: number;
  unverified?: number;
  reasons: Record<string, number>;
  examples: Array<{ masked: string; sha256?: string | null; raw?: string | null }>;
}

export interface QualityPreview {
  members: number;
  /** Members the shares are computed from; fewer than members when the preview samples. */
  scanned?: number;
  capped?: boolean;
  note?: string | null;
  wouldSend: number;
  estimatedWouldSend?: number;
  skippedByReason: Record<string, number>;
  fields: QualityField[];
}

export interface PendingConnection {
  adAccounts: Array<{ id: string; name: string | null; accountStatus: number | null }>;
  reconnectDestinationId: number | null;
  expiresAt: string;
}

export interface ApiToken {
  id: number;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}
