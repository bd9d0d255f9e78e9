import type { AudienceRecord } from '../audience.ts';
import { json, type CallContext, type Reply } from '../context.ts';
import {
  dataSourceMismatchError,
  flaggedUploadError,
  invalidParameterError,
  replaceError,
  ReplaceSubcode,
} from '../errors.ts';
import { makeMembership } from '../membership.ts';
import { readJson } from '../params.ts';
import { parseUpload, sampleInvalid, type ParsedUpload } from '../rows.ts';
import { finishReplace, readSessionParam, type UploadSession } from '../sessions.ts';

/**
 * `POST|DELETE /{audience_id}/users`: adds or removes rows. Removal takes away every member
 * whose cells include all of the removal row's non-empty cells, so an exact earlier row
 * removes exactly that member and an EXTERN_ID-only row removes everyone with that id.
 */
export function uploadUsers(
  ctx: CallContext,
  audienceId: string,
  operation: 'add' | 'remove',
): Reply {
  const audience = ctx.loadAudience(audienceId);
  ctx.requirePermission('ads_management');
  ctx.requireTerms();
  if (audience.flagged) throw flaggedUploadError();
  if (audience.replaceSessionId !== null) throw replaceError(ReplaceSubcode.inProgress);

  const sessionParam = readSessionParam(readJson(ctx.params, 'session'));
  const upload = parseUpload(readJson(ctx.params, 'payload'));
  if (operation === 'add') assertUploadFits(audience, upload);

  const now = ctx.state.now();
  const sessionId = sessionParam?.sessionId;
  const { sessions } = ctx.state;
  let session = sessionId === undefined ? undefined : sessions.find(audience.id, sessionId);
  if (session?.kind === 'replace') {
    throw invalidParameterError(
      `session_id ${sessionId} belongs to a replace session of this audience; ` +
        'use a new session_id for /users',
    );
  }
  session ??= sessions.open(audience.id, sessionId, 'users', now);

  const changed = operation === 'add' ? addRows(audience, upload) : removeRows(audience, upload);
  if (changed > 0) audience.timeContentUpdated = Math.floor(now / 1000);
  count(session, upload, sessionParam?.estimatedTotal);
  // Without a session object every request is a session of its own, over as soon as answered.
  if (sessionId === undefined || sessionParam?.lastBatch) session.endTime = now;

  const samples = sampleInvalid(upload.invalid);
  return json({
    audience_id: audience.id,
    session_id: session.sessionId,
    num_received: session.numReceived,
    num_invalid_entries: upload.invalid.length,
    invalid_entry_samples: Object.fromEntries(samples.map((sample) => [sample.value, sample.key])),
  });
}

/**
 * `POST /{audience_id}/usersreplace`: batch 1 opens a session and sets operation status 414;
 * batches build the new membership aside; `last_batch_flag` (or 90 minutes) swaps it in.
 */
export function uploadReplace(ctx: CallContext, audienceId: string): Reply {
  const audience = ctx.loadAudience(audienceId);
  ctx.requirePermission('ads_management');
  ctx.requireTerms();
  if (audience.flagged) throw flaggedUploadError();

  const sessionParam = readSessionParam(readJson(ctx.params, 'session'));
  if (sessionParam?.sessionId === undefined) {
    throw invalidParameterError(
      'The parameter session with a session_id is required for usersreplace',
    );
  }
  const { sessionId } = sessionParam;
  const existing = ctx.state.sessions.find(audience.id, sessionId);
  assertReplaceBatchAllowed(audience, existing, sessionParam.batchSeq);

  const upload = parseUpload(readJson(ctx.params, 'payload'));
  assertUploadFits(audience, upload);
  if (existing?.schema && !sameSchema(existing.schema, upload.schema)) {
    throw invalidParameterError(
      'Every batch of a replace session must send the schema of its first batch ' +
        `(${existing.schema.join(', ')})`,
    );
  }

  const now = ctx.state.now();
  const session = existing ?? startReplace(ctx, audience, sessionId, upload, now);
  for (const row of upload.rows) session.staging?.add(row);
  count(session, upload, sessionParam.estimatedTotal);
  if (sessionParam.lastBatch) finishReplace(audience, session, 'finished', now);

  return json({
    audience_id: audience.id,
    account_id: audience.accountId,
    session_id: session.sessionId,
    num_received: session.numReceived,
    num_invalid_entries: upload.invalid.length,
    invalid_entry_samples: sampleInvalid(upload.invalid).map((sample) => sample.value),
  });
}

function assertReplaceBatchAllowed(
  audience: AudienceRecord,
  existing: UploadSession | undefined,
  batchSeq: number | undefined,
): void {
  if (existing?.kind === 'users') {
    throw invalidParameterError(
      `session_id ${existing.sessionId} was used for /users on this audience; ` +
        'start the replace with a new session_id',
    );
  }
  if (existing?.outcome === 'finished') throw replaceError(ReplaceSubcode.finished);
  if (existing?.outcome === 'timed_out') throw replaceError(ReplaceSubcode.timedOut);
  if (existing) return;

  if (audience.replaceSessionId !== null) throw replaceError(ReplaceSubcode.inProgress);
  if (batchSeq !== 1) throw replaceError(ReplaceSubcode.notStarted);
}

function startReplace(
  ctx: CallContext,
  audience: AudienceRecord,
  sessionId: string,
  upload: ParsedUpload,
  now: number,
): UploadSession {
  const session = ctx.state.sessions.open(audience.id, sessionId, 'replace', now);
  session.schema = upload.schema;
  session.staging = makeMembership(ctx.state.config.storage);
  audience.replaceSessionId = session.sessionId;
  lockUpload(audience, upload);
  return session;
}

/** Value-based audiences need LOOKALIKE_VALUE, others refuse it; the first upload fixes kinds. */
function assertUploadFits(audience: AudienceRecord, upload: ParsedUpload): void {
  const hasValue = upload.keys.includes('LOOKALIKE_VALUE');
  if (audience.isValueBased && !hasValue) {
    throw invalidParameterError('Value-Based Custom Audience requires LOOKALIKE_VALUE attribute.');
  }
  if (!audience.isValueBased && hasValue) {
    throw invalidParameterError(
      'LOOKALIKE_VALUE can only be sent to a value-based custom audience',
    );
  }
  if (audience.dataSource !== null && audience.dataSource !== upload.kind) {
    throw dataSourceMismatchError(audience.dataSource, upload.kind);
  }
}

function lockUpload(audience: AudienceRecord, upload: ParsedUpload): void {
  audience.dataSource ??= upload.kind;
  audience.schemaKeys = upload.keys;
  audience.uploaded = true;
}

function addRows(audience: AudienceRecord, upload: ParsedUpload): number {
  lockUpload(audience, upload);
  let added = 0;
  for (const row of upload.rows) if (audience.members.add(row)) added += 1;
  return added;
}

function removeRows(audience: AudienceRecord, upload: ParsedUpload): number {
  let removed = 0;
  for (const row of upload.rows) removed += audience.members.remove(row);
  return removed;
}

function count(
  session: UploadSession,
  upload: ParsedUpload,
  estimatedTotal: number | undefined,
): void {
  session.numReceived += upload.received;
  session.numInvalid += upload.invalid.length;
  if (estimatedTotal !== undefined) session.estimatedTotal = estimatedTotal;
}

function sameSchema(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, index) => name === b[index]);
}
