import { z } from '@hono/zod-openapi';

/**
 * Wire shapes of the REST API's answers, for the OpenAPI document and for the
 * compiler: a route's handler must return what its response schema says.
 * Dates travel as ISO 8601 strings.
 */
const DateTime = z.string().openapi({ format: 'date-time', example: '2026-07-01T12:00:00.000Z' });
const Id = z.number().int().positive().openapi({ example: 1 });

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().openapi({
        description:
          'invalid_input | not_found | conflict | not_connected | already_running | ' +
          'unauthorized | forbidden | meta_rejected | internal',
      }),
      message: z.string().openapi({ description: 'What is wrong and how to fix it.' }),
      field: z.string().nullable().openapi({ description: 'The input field at fault, dotted.' }),
    }),
  })
  .openapi('Error');

export const IdParam = z.object({
  id: z.coerce.number().int().positive().openapi({ param: { name: 'id', in: 'path' }, example: 1 }),
});

export const User = z.object({ username: z.string() }).openapi('User');
export const SessionInfo = z.object({ user: User, csrfToken: z.string() }).openapi('Session');

export const ApiToken = z
  .object({ id: Id, name: z.string(), createdAt: DateTime, lastUsedAt: DateTime.nullable() })
  .openapi('ApiToken');
export const NewApiToken = z
  .object({ id: Id, name: z.string(), token: z.string().openapi({ description: 'Shown once.' }) })
  .openapi('NewApiToken');

export const CustomerSummary = z
  .object({
    id: Id,
    key: z.string().openapi({ description: 'Masked when the key is an email or a phone.' }),
    externalId: z.string().nullable(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    maskedEmail: z.string().nullable().openapi({ example: 'j***@example.com' }),
    maskedPhone: z.string().nullable().openapi({ example: '***4623' }),
    city: z.string().nullable(),
    country: z.string().nullable(),
    registeredAt: DateTime.nullable(),
    updatedAt: DateTime,
  })
  .openapi('CustomerSummary');

export const ImportReject = z.object({ line: z.number().int(), reason: z.string() });

export const ImportReport = z
  .object({
    importId: Id,
    source: z.string(),
    keyField: z.string(),
    status: z.string(),
    columns: z.array(
      z.object({ index: z.number().int(), header: z.string(), target: z.string().nullable() }),
    ),
    dateFormat: z.string().nullable(),
    bytesRead: z.number().int(),
    rowsRead: z.number().int(),
    inserted: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    rejected: z.number().int(),
    duplicates: z.number().int(),
    rejects: z
      .array(ImportReject)
      .openapi({ description: 'The first 20; GET the import for all.' }),
  })
  .openapi('ImportReport');

export const ImportDetails = z
  .object({
    id: Id,
    source: z.string(),
    keyField: z.string(),
    mapping: z.record(z.string(), z.string()),
    status: z.string(),
    rowsRead: z.number().int(),
    inserted: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    rejected: z.number().int(),
    duplicates: z.number().int(),
    error: z.string().nullable(),
    startedAt: DateTime,
    finishedAt: DateTime.nullable(),
    rejects: z.array(ImportReject),
  })
  .openapi('Import');

export const ImportPreview = z
  .object({
    headers: z.array(z.string()),
    sampleRows: z.array(z.array(z.string())).openapi({ description: 'First 5 rows, masked.' }),
    suggestedMapping: z.record(z.string(), z.string().nullable()),
    detectedDateFormat: z.string().nullable().openapi({
      description: 'How the column mapped to registered_at reads; null when none is, or unclear.',
    }),
    dateFormatProblem: z.string().nullable(),
  })
  .openapi('ImportPreview');

export const AudienceView = z
  .object({
    id: Id,
    name: z.string(),
    description: z.string(),
    rule: z.unknown().openapi({ description: 'The audience rule (see POST /api/audiences).' }),
    memberCount: z.number().int(),
    createdAt: DateTime,
    updatedAt: DateTime,
  })
  .openapi('Audience');

export const MemberPreview = z
  .object({
    id: Id,
    key: z.string(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    maskedEmail: z.string().nullable(),
    maskedPhone: z.string().nullable(),
  })
  .openapi('MemberPreview');

export const DestinationView = z
  .object({
    id: Id,
    name: z.string(),
    type: z.literal('Facebook Custom Audiences'),
    adAccountId: z.string().openapi({ example: 'act_1000000000000001' }),
    adAccountName: z.string().nullable(),
    status: z.enum(['Connected', 'Disconnected']),
    statusReason: z.string().nullable(),
    statusMessage: z.string().nullable(),
    syncCount: z.number().int(),
    lastUpdate: DateTime,
    graphBaseUrl: z.string(),
  })
  .openapi('Destination');

export const MetaAudience = z
  .object({
    id: z.string(),
    name: z.string().nullable(),
    approximateCountLowerBound: z.number().nullable(),
    approximateCountUpperBound: z.number().nullable(),
  })
  .openapi('MetaAudience');

export const AdAccountChoice = z
  .object({ id: z.string(), name: z.string().nullable(), accountStatus: z.number().nullable() })
  .openapi('AdAccountChoice');

export const RunView = z
  .object({
    id: Id,
    trigger: z.string(),
    status: z.string().openapi({ description: 'running | succeeded | failed | interrupted' }),
    startedAt: DateTime,
    finishedAt: DateTime.nullable(),
    audienceSize: z.number().int().nullable(),
    added: z.number().int(),
    removed: z.number().int(),
    changed: z.number().int(),
    unchanged: z.number().int(),
    skipped: z.number().int(),
    skippedByReason: z.record(z.string(), z.number()),
    fieldIssues: z.record(z.string(), z.number()),
    metaReceived: z.number().int(),
    metaInvalidEntries: z.number().int(),
    metaInvalidSamples: z.array(z.string()),
    errorAction: z.string().nullable(),
    errorMessage: z.string().nullable(),
  })
  .openapi('Run');

export const RunDetail = RunView.extend({
  batches: z.array(
    z.object({
      seq: z.number().int(),
      operation: z.string(),
      rows: z.number().int(),
      sessionId: z.string(),
      numReceived: z.number().int().nullable(),
      numInvalidEntries: z.number().int().nullable(),
      invalidEntrySamples: z.unknown(),
      sentAt: DateTime,
    }),
  ),
}).openapi('RunDetail');

export const SyncView = z
  .object({
    id: Id,
    name: z.string(),
    description: z.string(),
    audiences: z.array(z.object({ id: Id, name: z.string(), deleted: z.boolean() })),
    destination: z.object({
      id: Id,
      name: z.string(),
      status: z.enum(['Connected', 'Disconnected']),
      adAccountId: z.string(),
    }),
    metaAudience: z.object({
      mode: z.enum(['create', 'existing']),
      name: z.string().nullable(),
      id: z.string().nullable(),
      writeMode: z.enum(['append', 'replace']),
      approximateCountLowerBound: z.number().nullable().optional().openapi({
        description: "Meta's approximate size, on GET /api/syncs/{id} only; null when unknown",
      }),
      approximateCountUpperBound: z.number().nullable().optional(),
    }),
    mapping: z.array(z.object({ source: z.string(), destination: z.string() })),
    hashPii: z.boolean(),
    defaultCountry: z.string().nullable(),
    schedule: z.union([
      z.object({ type: z.literal('manual') }),
      z.object({
        type: z.literal('interval'),
        every: z.number().int(),
        unit: z.enum(['minutes', 'hours', 'days']),
        startAt: z.string().nullable().openapi({ description: 'Local wall time of the first run' }),
        timeZone: z.string().openapi({ example: 'Europe/Paris' }),
        everyMinutes: z.number().int(),
      }),
    ]),
    paused: z
      .boolean()
      .openapi({ description: 'Scheduled runs stop until resumed; Sync now still runs' }),
    nextRunAt: DateTime.nullable().openapi({ description: 'Null for Manual or paused' }),
    status: z.string().openapi({
      description: 'Synced | Disconnected | Invalid | Running | Failed | Pending',
    }),
    statusReason: z.string().nullable(),
    lastRun: RunView.nullable(),
    createdAt: DateTime,
    updatedAt: DateTime,
  })
  .openapi('Sync');

export const QualityExample = z
  .object({
    masked: z.string().openapi({ example: 'j***@example.com' }),
    sha256: z
      .string()
      .nullable()
      .openapi({ description: 'What Meta receives, for hashed fields.' }),
    raw: z.string().nullable().openapi({
      description: 'MADID, APPUID, EXTERN_ID (sent unhashed): the value sent, partly masked.',
    }),
  })
  .openapi('QualityExample');

export const QualityPreview = z
  .object({
    members: z.number().int().openapi({ description: 'Customers in the union of the audiences.' }),
    scanned: z.number().int().openapi({ description: 'Members the figures are computed from.' }),
    capped: z.boolean(),
    note: z.string().nullable(),
    wouldSend: z.number().int(),
    estimatedWouldSend: z.number().int(),
    skippedByReason: z.record(z.string(), z.number()),
    fields: z.array(
      z.object({
        destination: z.string(),
        source: z.string(),
        present: z.number().openapi({ description: 'Share 0..1 of scanned members with a value.' }),
        valid: z.number().openapi({ description: 'Share 0..1 sent after normalization.' }),
        unverified: z.number().int(),
        reasons: z.record(z.string(), z.number()),
        examples: z.array(QualityExample),
      }),
    ),
  })
  .openapi('QualityPreview');

export const Queued = z.object({ status: z.literal('queued') }).openapi('RunQueued');
