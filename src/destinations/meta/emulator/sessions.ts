import type { AudienceRecord } from './audience.ts';
import { invalidParameterError } from './errors.ts';
import type { Membership } from './membership.ts';
import { isPlainObject } from './request.ts';

/**
 * Upload sessions (meta-graph-api.md §3.6, §3.8, §3.9), keyed by audience and session_id.
 * A `/users` session only counts what it received; a replace session also holds the new
 * membership until its last batch, or until 90 minutes after its first.
 */
export interface UploadSession {
  audienceId: string;
  sessionId: string;
  kind: 'users' | 'replace';
  /** Milliseconds since the epoch. */
  startTime: number;
  endTime: number | null;
  numReceived: number;
  numInvalid: number;
  estimatedTotal: number | null;
  outcome: 'open' | 'finished' | 'timed_out';
  /** Replace only: the schema every batch must repeat, and the members being built. */
  schema: string[] | null;
  staging: Membership | null;
}

export const REPLACE_TIMEOUT_MS = 90 * 60 * 1000;

/** The `session` parameter, read leniently: ids as numbers or digit strings. */
export interface SessionParam {
  sessionId: string | undefined;
  batchSeq: number | undefined;
  lastBatch: boolean;
  estimatedTotal: number | undefined;
}

export function readSessionParam(value: unknown): SessionParam | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isPlainObject(value)) throw invalidParameterError('Param session must be a JSON object');

  const sessionId = value.session_id;
  const textual = typeof sessionId === 'number' || typeof sessionId === 'string';
  const id = textual ? String(sessionId) : undefined;
  if (sessionId !== undefined && (id === undefined || !/^[1-9]\d{0,18}$/.test(id))) {
    throw invalidParameterError('Param session[session_id] must be a positive integer');
  }

  return {
    sessionId: id,
    batchSeq: optionalInteger(value.batch_seq, 'batch_seq'),
    lastBatch: value.last_batch_flag === true || value.last_batch_flag === 'true',
    estimatedTotal: optionalInteger(value.estimated_num_total, 'estimated_num_total'),
  };
}

function optionalInteger(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const number = typeof value === 'string' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number)) {
    throw invalidParameterError(`Param session[${name}] must be an integer`);
  }
  return number;
}

export class SessionBook {
  #sessions = new Map<string, UploadSession>();
  #assigned = 0;

  find(audienceId: string, sessionId: string): UploadSession | undefined {
    return this.#sessions.get(`${audienceId}/${sessionId}`);
  }

  forAudience(audienceId: string): UploadSession[] {
    return [...this.#sessions.values()].filter((session) => session.audienceId === audienceId);
  }

  open(
    audienceId: string,
    sessionId: string | undefined,
    kind: UploadSession['kind'],
    now: number,
  ): UploadSession {
    const session: UploadSession = {
      audienceId,
      sessionId: sessionId ?? this.#assignId(audienceId),
      kind,
      startTime: now,
      endTime: null,
      numReceived: 0,
      numInvalid: 0,
      estimatedTotal: null,
      outcome: 'open',
      schema: null,
      staging: null,
    };
    this.#sessions.set(`${audienceId}/${session.sessionId}`, session);
    return session;
  }

  /** Meta makes up an id when the client sends none; ours count up from a fixed start. */
  #assignId(audienceId: string): string {
    let id: string;
    do {
      this.#assigned += 1;
      id = String(7_000_000_000_000_000n + BigInt(this.#assigned));
    } while (this.find(audienceId, id));
    return id;
  }
}

/** Ends a replace: the staged members become the audience in one step. */
export function finishReplace(
  audience: AudienceRecord,
  session: UploadSession,
  outcome: 'finished' | 'timed_out',
  endTime: number,
): void {
  if (session.staging) audience.members = session.staging;
  audience.timeContentUpdated = Math.floor(endTime / 1000);
  audience.replaceSessionId = null;
  session.outcome = outcome;
  session.endTime = endTime;
  session.staging = null;
}

/** A replace left open 90 minutes ends with what arrived in time; checked on every use. */
export function settleReplace(audience: AudienceRecord, sessions: SessionBook, now: number): void {
  if (audience.replaceSessionId === null) return;
  const session = sessions.find(audience.id, audience.replaceSessionId);
  if (!session) return;
  const deadline = session.startTime + REPLACE_TIMEOUT_MS;
  if (now >= deadline) finishReplace(audience, session, 'timed_out', deadline);
}
