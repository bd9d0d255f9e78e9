import type { RawBuilder, SqlBool } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Sync } from '../db/schema.ts';
import type { Logger } from '../log.ts';
import type { RowBuilder } from '../normalize/row.ts';
import type { RunCounters } from './counters.ts';
import {
  CELL_SEPARATOR,
  columnsRead,
  fetchCandidates,
  fetchDeparted,
  forgetMembers,
  refreshMemberStatistics,
  rowsStillHeld,
  saveMembers,
  SKIP_REJECTED_BY_META,
  type MemberUpdate,
} from './member-state.ts';
import type { RunProgress } from './run-sync.ts';
import { UploadSession, type OutgoingRow, type UploadContext } from './upload-session.ts';

/** Everything a pass over the members needs. */
export interface Pass {
  db: Db;
  sync: Sync;
  members: RawBuilder<SqlBool>;
  builder: RowBuilder;
  counters: RunCounters;
  log: Logger;
  signal: AbortSignal | undefined;
  onProgress: ((progress: RunProgress) => void) | undefined;
  /** Renews the run's lease; aborts the signal when the run is no longer ours. */
  heartbeat: () => Promise<void>;
  upload: UploadContext;
  /** Members per page and rows per request, at most Meta's 10,000. */
  pageSize: number;
}

/** A row sent earlier that must now leave Meta: its cells and the schema it was sent with. */
interface Leaving {
  customerId: number;
  sentRow: string;
  configVersion: number;
}


/**
 * The incremental pass: departed members leave first, then every member that is
 * new or changed is (re)built; a changed row is removed as it was sent and added
 * as it now is. Returns false when stopped early by the signal.
 */
export async function sendChanges(pass: Pass): Promise<boolean> {
  const schemas = await loadSchemas(pass.db, pass.sync.id);
  const removals = new RemovalSessions(pass, schemas);
  let written = 0;

  for (let after = 0; ; ) {
    const page = await fetchDeparted(pass.db, pass.sync.id, pass.members, after, pass.pageSize);
    if (page.length === 0) break;
    after = page[page.length - 1]!.customer_id;

    const leaving = page.filter((m) => m.sent_row !== null).map((m) => ({ customerId: m.customer_id, sentRow: m.sent_row!, configVersion: m.config_version }));
    const refused = await removals.remove(leaving, page.length < pass.pageSize);
    await forgetMembers(pass.db, pass.sync.id, page.map((m) => m.customer_id).filter((id) => !refused.has(id)));
    pass.counters.removed += leaving.length - refused.size;
    written += page.length;
    await pass.heartbeat();
    if (pass.signal?.aborted) return endPass(pass, written, false);
  }

  // Fresh removal sessions: the departed pass may have closed its own with last_batch_flag.
  const replacedRows = new RemovalSessions(pass, schemas);
  const adds = new UploadSession(pass.upload, 'add', pass.builder.schema);
  const schemaKey = pass.builder.schema.join(',');
  const columns = columnsRead(pass.sync.mapping);
  let done = 0;
  for (let after = 0; ; ) {
    const page = await fetchCandidates(pass.db, {
      syncId: pass.sync.id,
      configVersion: pass.sync.config_version,
      members: pass.members,
      columns,
      after,
      limit: pass.pageSize,
    });
    if (page.length === 0) break;
    after = page[page.length - 1]!.id;
    const last = page.length < pass.pageSize;

    const updates: MemberUpdate[] = [];
    const outgoing: OutgoingRow[] = [];
    const leaving: Leaving[] = [];
    for (const candidate of page) {
      const built = pass.builder.build(candidate);
      pass.counters.countIssues(built.issues);
      const before = candidate.sm_sent_row;
      const sameShape = candidate.sm_config_version !== null && schemas.get(candidate.sm_config_version)?.join(',') === schemaKey;
      const row = built.skipReason ? null : built.cells.join(CELL_SEPARATOR);
      const update = { customerId: candidate.id, customerVersion: candidate.version, sentRow: row, skipReason: built.skipReason };
      updates.push(update);
      if (row !== null && row === before && sameShape) continue;

      if (before !== null) leaving.push({ customerId: candidate.id, sentRow: before, configVersion: candidate.sm_config_version! });
      if (row !== null) outgoing.push({ key: updates.length - 1, cells: built.cells });
    }

    const refusedRemovals = await replacedRows.remove(leaving, last);
    const refusedAdds = await adds.send(outgoing, last);
    for (const key of refusedAdds) {
      updates[key] = { ...updates[key]!, sentRow: null, skipReason: SKIP_REJECTED_BY_META };
    }
    // A member whose old row Meta refused to remove keeps its old state, to try again next run.
    const committed = updates.filter((update) => !refusedRemovals.has(update.customerId));
    await saveMembers(pass.db, pass.sync.id, pass.sync.config_version, committed);
    written += committed.length;

    countOutcomes(pass.counters, updates, outgoing, leaving, refusedAdds, refusedRemovals);
    done += page.length;
    pass.onProgress?.({ phase: 'adding', done, total: done + (last ? 0 : pass.pageSize) });
    await pass.heartbeat();
    if (pass.signal?.aborted) return endPass(pass, written, false);
  }
  return endPass(pass, written, true);
}

/**
 * The replace pass (an existing audience in replace mode): every member goes to
 * /usersreplace in one session, and Meta swaps the audience's members when the
 * last batch arrives. Member state restarts from empty; if the pass stops early,
 * replace_pending stays set and the next run replaces again from the start.
 */
export async function sendFullReplace(pass: Pass): Promise<boolean> {
  const { db, sync } = pass;
  await db.deleteFrom('sync_members').where('sync_id', '=', sync.id).execute();
  const session = new UploadSession(pass.upload, 'replace', pass.builder.schema);
  let pending: Array<{ row: OutgoingRow; update: MemberUpdate }> = [];
  let sent = 0;
  let skippedCount = 0;

  const flush = async (count: number, last: boolean) => {
    const batch = pending.slice(0, count);
    pending = pending.slice(count);
    await session.send(batch.map((item) => item.row), last);
    await saveMembers(db, sync.id, sync.config_version, batch.map((item) => item.update));
    pass.counters.added += batch.length;
    sent += batch.length;
    pass.onProgress?.({ phase: 'replacing', done: sent, total: sent + pending.length });
    await pass.heartbeat();
  };

  for (let after = 0; ; ) {
    const page = await fetchCandidates(db, {
      syncId: sync.id,
      configVersion: sync.config_version,
      members: pass.members,
      columns: columnsRead(sync.mapping),
      after,
      limit: pass.pageSize,
      everyone: true,
    });
    if (page.length === 0) break;
    after = page[page.length - 1]!.id;

    const skipped: MemberUpdate[] = [];
    for (const candidate of page) {
      const built = pass.builder.build(candidate);
      pass.counters.countIssues(built.issues);
      const update = { customerId: candidate.id, customerVersion: candidate.version, sentRow: null as string | null, skipReason: built.skipReason };
      if (built.skipReason) {
        skipped.push(update);
        continue;
      }
      update.sentRow = built.cells.join(CELL_SEPARATOR);
      pending.push({ row: { key: pending.length, cells: built.cells }, update });
    }
    await saveMembers(db, sync.id, sync.config_version, skipped);
    skippedCount += skipped.length;

    // Hold back the tail until we know whether more rows follow: the last batch must say so.
    while (pending.length > pass.pageSize) {
      await flush(pass.pageSize, false);
      if (pass.signal?.aborted) return endPass(pass, sent + skippedCount, false);
    }
  }

  if (pending.length > 0) await flush(pending.length, true);
  else if (sent === 0) pass.log.warn('replace skipped: the audience has no member with an identifier, so Meta was left as it was');
  await db.updateTable('syncs').set({ replace_pending: false }).where('id', '=', sync.id).execute();
  return endPass(pass, sent + skippedCount, true);
}

/** Ends a pass, refreshing the member state's statistics if the pass rewrote much of it. */
async function endPass(pass: Pass, written: number, finished: boolean): Promise<boolean> {
  await refreshMemberStatistics(pass.db, written);
  return finished;
}

/** Counts what a page did: a member with a row leaving and one arriving changed. */
function countOutcomes(
  counters: RunCounters,
  updates: MemberUpdate[],
  outgoing: OutgoingRow[],
  leaving: Leaving[],
  refusedAdds: Set<number>,
  refusedRemovals: Set<number>,
): void {
  const replaced = new Set(leaving.filter((l) => !refusedRemovals.has(l.customerId)).map((l) => l.customerId));
  const arrived = new Set<number>();
  for (const row of outgoing) {
    if (refusedAdds.has(row.key)) continue;
    const customerId = updates[row.key]!.customerId;
    arrived.add(customerId);
    if (replaced.has(customerId)) counters.changed += 1;
    else counters.added += 1;
  }
  for (const customerId of replaced) if (!arrived.has(customerId)) counters.removed += 1;
}

/** The removal sessions of a run, one per schema the leaving rows were sent with. */
class RemovalSessions {
  readonly #pass: Pass;
  readonly #schemas: Map<number, string[]>;
  readonly #sessions = new Map<number, UploadSession>();

  constructor(pass: Pass, schemas: Map<number, string[]>) {
    this.#pass = pass;
    this.#schemas = schemas;
  }

  /**
   * Removes rows exactly as they were sent, except a row another member still
   * holds (two customers can share one row). Returns the customer ids Meta refused.
   */
  async remove(leaving: Leaving[], last: boolean): Promise<Set<number>> {
    const refused = new Set<number>();
    if (leaving.length === 0) return refused;
    const { db, sync } = this.#pass;
    const held = await rowsStillHeld(db, sync.id, leaving.map((l) => l.sentRow), leaving.map((l) => l.customerId));

    const byVersion = new Map<number, Leaving[]>();
    for (const l of leaving) {
      if (held.has(l.sentRow)) continue;
      byVersion.set(l.configVersion, [...(byVersion.get(l.configVersion) ?? []), l]);
    }
    for (const [version, rows] of byVersion) {
      const session = this.#session(version);
      const refusedKeys = await session.send(rows.map((l, key) => ({ key, cells: l.sentRow.split(CELL_SEPARATOR) })), last);
      for (const key of refusedKeys) refused.add(rows[key]!.customerId);
    }
    return refused;
  }

  #session(version: number): UploadSession {
    let session = this.#sessions.get(version);
    if (!session) {
      const schema = this.#schemas.get(version);
      if (!schema) throw new Error(`No schema is recorded for config version ${version} of sync ${this.#pass.sync.id}`);
      session = new UploadSession(this.#pass.upload, 'remove', schema);
      this.#sessions.set(version, session);
    }
    return session;
  }
}

async function loadSchemas(db: Db, syncId: number): Promise<Map<number, string[]>> {
  const rows = await db.selectFrom('sync_configs').select(['config_version', 'schema']).where('sync_id', '=', syncId).execute();
  return new Map(rows.map((row) => [row.config_version, row.schema]));
}
