import { json, type Reply } from '../context.ts';
import type { MemberRow } from '../membership.ts';
import type { GraphRequest } from '../request.ts';
import type { LoggedRequest } from '../request-log.ts';
import type { EmulatorState } from '../state.ts';

/** What the emulator holds for one audience, to compare with what a sync meant to send. */
export interface AudienceRowsView {
  audience_id: string;
  /** Canonical keys of the last add or replace upload, in the order sent. */
  schema_keys: string[];
  /** Non-empty cells of each member, sorted; absent with `storage: 'digests'`. */
  rows?: MemberRow[];
  count: number;
  storage: 'rows' | 'digests';
}

export function audienceRows(
  state: EmulatorState,
  audienceId: string,
): AudienceRowsView | undefined {
  const audience = state.findAudience(audienceId);
  if (!audience) return undefined;
  const rows = audience.members.rows();
  return {
    audience_id: audience.id,
    schema_keys: [...audience.schemaKeys],
    ...(rows ? { rows } : {}),
    count: audience.members.size,
    storage: state.config.storage,
  };
}

export function loggedRequests(state: EmulatorState, limit?: number): LoggedRequest[] {
  return state.requestLog.list(limit);
}

/**
 * Read-only routes under `/_emulator` (no token): `GET /_emulator/audiences/{id}/rows` and
 * `GET /_emulator/requests?limit=N`. They are not Graph calls and are not logged.
 */
export function inspectionRoute(state: EmulatorState, request: GraphRequest): Reply {
  const [, first, id, edge, extra] = request.segments;
  if (request.method !== 'GET') return problem(405, 'The /_emulator routes are read-only: use GET');

  if (first === 'audiences' && id !== undefined && edge === 'rows' && extra === undefined) {
    const view = audienceRows(state, id);
    return view ? json(view) : problem(404, `No live audience has id ${id}`);
  }
  if (first === 'requests' && id === undefined) {
    const limit = request.query.limit === undefined ? undefined : Number(request.query.limit);
    if (limit !== undefined && !Number.isInteger(limit)) {
      return problem(400, 'limit must be an integer');
    }
    return json({ requests: loggedRequests(state, limit) });
  }
  const known = 'GET /_emulator/audiences/{id}/rows, GET /_emulator/requests?limit=N';
  return problem(404, `Known routes: ${known}`);
}

function problem(status: number, message: string): Reply {
  return json({ error: { message, type: 'EmulatorInspectionError', code: status } }, status);
}
