import { json, type CallContext, type Reply } from '../context.ts';
import { readString } from '../params.ts';
import { REPLACE_TIMEOUT_MS, type UploadSession } from '../sessions.ts';

/** `GET /{audience_id}/sessions[?session_id=]`: the audience's upload sessions, newest first. */
export function listSessions(ctx: CallContext, id: string): Reply {
  const audience = ctx.loadAudience(id);
  ctx.requirePermission('ads_management', 'ads_read');

  const wanted = readString(ctx.params, 'session_id');
  const sessions = ctx.state.sessions
    .forAudience(audience.id)
    .filter((session) => wanted === undefined || session.sessionId === wanted)
    .reverse();
  return json({ data: sessions.map((session) => renderSession(session, ctx.state.now())) });
}

/** CustomAudienceSession: every field a string, as in Meta's spec. */
function renderSession(session: UploadSession, now: number): Record<string, string> {
  const deadline = session.startTime + REPLACE_TIMEOUT_MS;
  const autoEnded = session.kind === 'users' && session.endTime === null && now >= deadline;
  const ended = session.outcome !== 'open' || session.endTime !== null || autoEnded;
  const endTime = session.endTime ?? (autoEnded ? deadline : null);
  return {
    session_id: session.sessionId,
    start_time: String(Math.floor(session.startTime / 1000)),
    end_time: endTime === null ? '0' : String(Math.floor(endTime / 1000)),
    num_received: String(session.numReceived),
    num_invalid_entries: String(session.numInvalid),
    num_matched: String(session.numReceived - session.numInvalid),
    progress: String(progressOf(session, ended)),
    stage: session.outcome === 'timed_out' ? 'timed_out' : ended ? 'completed' : 'uploading',
  };
}

/** A percentage only when the client announced estimated_num_total; 100 once ended. */
function progressOf(session: UploadSession, ended: boolean): number {
  if (ended) return 100;
  if (!session.estimatedTotal) return 0;
  return Math.min(99, Math.floor((session.numReceived * 100) / session.estimatedTotal));
}
