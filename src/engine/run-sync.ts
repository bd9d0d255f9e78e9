import type { RawBuilder, SqlBool } from 'kysely';
import type { Context } from '../app.ts';
import { compileAudienceUnion } from '../audiences/compile.ts';
import type { AudienceRule } from '../audiences/rules.ts';
import type { Sync } from '../db/schema.ts';
import type { GraphClient } from '../destinations/meta/client.ts';
import { GraphApiError } from '../destinations/meta/errors.ts';
import { graphClientFor, loadDestination, setDestinationStatus } from '../destinations/service.ts';
import { AppError } from '../errors.ts';
import { makeRowBuilder, type RowBuilder } from '../normalize/row.ts';
import { loadSync } from '../syncs/service.ts';
import { toRunView, type RunView } from '../syncs/view.ts';
import { RunCounters } from './counters.ts';
import { PAGE_SIZE, countMembers } from './member-state.ts';
import { ensureMetaAudience, TargetInvalid } from './meta-target.ts';
import { LEASE_MS, closeRun, heartbeat, openRun } from './run-record.ts';
import { sendChanges, sendFullReplace, type Pass } from './passes.ts';

export interface RunProgress {
  phase: 'removing' | 'adding' | 'replacing';
  done: number;
  total: number;
}

export interface RunSyncOptions {
  trigger: string;
  /** Aborting stops the run after the batch in flight; the next run resumes from there. */
  signal?: AbortSignal;
  onProgress?: (progress: RunProgress) => void;
  /** Stands in for the destination's own client (tests inject faults through it). */
  client?: GraphClient;
  /** Members per page and rows per Graph request; Meta takes at most 10,000. */
  pageSize?: number;
}

/**
 * Runs a sync once: makes sure the Meta audience exists, then sends what changed
 * (or, for a replace target, every member through usersreplace). Member state is
 * committed batch by batch as Meta acknowledges, so a run stopped anywhere leaves
 * state from which the next run completes the work.
 */
export async function runSync(ctx: Context, syncId: number, options: RunSyncOptions): Promise<RunView> {
  const sync = await loadSync(ctx, syncId);
  const runId = await openRun(ctx.db, syncId, options.trigger);
  const log = ctx.log.child({ syncId, runId });
  const counters = new RunCounters();
  const started = Date.now();
  log.info({ trigger: options.trigger }, 'run started');

  // The lease is renewed on a timer as well as after each batch: one Graph call can
  // wait out throttling for longer than the lease. A lost lease stops the run.
  const stop = new AbortController();
  const forward = () => stop.abort();
  options.signal?.addEventListener('abort', forward);
  if (options.signal?.aborted) stop.abort();
  const renew = async () => {
    if (!(await heartbeat(ctx.db, runId, counters))) {
      log.warn('run lost its lease to another worker; stopping after the batch in flight');
      stop.abort();
    }
  };
  const renewal = setInterval(() => void renew().catch(() => undefined), LEASE_MS / 4);
  renewal.unref();

  let metaAudienceId: string | null = sync.meta_audience_id;
  let members: RawBuilder<SqlBool> | null = null;
  try {
    const destination = await loadDestination(ctx, sync.destination_id);
    if (destination.status !== 'connected') {
      throw new AppError('not_connected', `Destination "${destination.name}" is Disconnected: ${destination.status_message ?? 'reconnect it'}.`);
    }
    members = await loadMemberFilter(ctx, sync);
    const client = options.client ?? graphClientFor(ctx, destination);
    metaAudienceId = await ensureMetaAudience(ctx.db, client, sync, destination.ad_account_id);

    const builder = makeRowBuilder({ mapping: sync.mapping, hashPii: sync.hash_pii, defaultCountry: sync.default_country });
    await recordSchema(ctx, sync, builder);
    let seq = 0;
    const pass: Pass = {
      db: ctx.db,
      sync,
      members,
      builder,
      counters,
      log,
      signal: stop.signal,
      onProgress: options.onProgress,
      heartbeat: renew,
      upload: { db: ctx.db, client, runId, audienceId: metaAudienceId, counters, nextSeq: () => (seq += 1) },
      pageSize: Math.min(options.pageSize ?? PAGE_SIZE, PAGE_SIZE),
    };
    const replace = sync.meta_audience_mode === 'existing' && sync.existing_write_mode === 'replace' && sync.replace_pending;
    const finished = replace ? await sendFullReplace(pass) : await sendChanges(pass);

    const totals = await countMembers(ctx.db, syncId, members);
    counters.unchanged = Math.max(0, totals.audienceSize - counters.added - counters.changed - sumOf(totals.skippedByReason));
    if (!finished) {
      await closeRun(ctx.db, runId, 'interrupted', counters, { ...totals, metaAudienceId, errorMessage: 'Stopped before the end; the next run resumes from the last acknowledged batch.' });
      log.info({ durationMs: Date.now() - started }, 'run interrupted');
    } else {
      await closeRun(ctx.db, runId, 'succeeded', counters, { ...totals, metaAudienceId });
      // A problem Meta reported earlier (a flagged or unreachable audience) is gone once a run gets through.
      await ctx.db.updateTable('syncs').set({ invalid_reason: null }).where('id', '=', syncId).where('invalid_reason', 'is not', null).execute();
      log.info({ durationMs: Date.now() - started, added: counters.added, removed: counters.removed, changed: counters.changed }, 'run succeeded');
    }
  } catch (error) {
    const failure = await recordFailure(ctx, sync, error);
    const totals = members ? await countMembers(ctx.db, syncId, members).catch(() => undefined) : undefined;
    await closeRun(ctx.db, runId, 'failed', counters, { ...totals, metaAudienceId, ...failure });
    log.error({ durationMs: Date.now() - started, action: failure.errorAction, err: describe(error) }, 'run failed');
  }

  clearInterval(renewal);
  options.signal?.removeEventListener('abort', forward);
  const run = await ctx.db.selectFrom('runs').selectAll().where('id', '=', runId).executeTakeFirstOrThrow();
  return toRunView(run);
}

/** The union of the sync's audiences as SQL; a deleted audience stops the run (the sync is Invalid). */
async function loadMemberFilter(ctx: Context, sync: Sync): Promise<RawBuilder<SqlBool>> {
  const audiences = await ctx.db
    .selectFrom('sync_audiences as sa')
    .innerJoin('audiences as a', 'a.id', 'sa.audience_id')
    .select(['a.name', 'a.rule', 'a.deleted_at'])
    .where('sa.sync_id', '=', sync.id)
    .orderBy('sa.position')
    .execute();
  const deleted = audiences.filter((audience) => audience.deleted_at);
  if (deleted.length > 0 || audiences.length === 0) {
    throw new TargetInvalid(`Audience "${deleted[0]?.name ?? '?'}" was deleted. Select a valid audience in Step 1.`);
  }
  return compileAudienceUnion(audiences.map((audience) => audience.rule as AudienceRule), 'c');
}

async function recordSchema(ctx: Context, sync: Sync, builder: RowBuilder): Promise<void> {
  await ctx.db
    .insertInto('sync_configs')
    .values({ sync_id: sync.id, config_version: sync.config_version, schema: JSON.stringify(builder.schema) })
    .onConflict((oc) => oc.columns(['sync_id', 'config_version']).doNothing())
    .execute();
}

/**
 * Turns a failure into what the user sees: a Disconnected destination, an Invalid
 * sync, or a failed run with the reason. Unknown errors say little outward and
 * everything in the log.
 */
async function recordFailure(ctx: Context, sync: Sync, error: unknown): Promise<{ errorAction: string; errorMessage: string }> {
  if (error instanceof TargetInvalid) {
    await ctx.db.updateTable('syncs').set({ invalid_reason: error.message }).where('id', '=', sync.id).execute();
    return { errorAction: 'invalid', errorMessage: error.message };
  }
  if (error instanceof GraphApiError) {
    if (error.action === 'reconnect') {
      await setDestinationStatus(ctx, sync.destination_id, 'disconnected', error.reason, error.userMessage);
    }
    if (error.action === 'target_gone' || error.reason === 'audience_flagged') {
      await ctx.db.updateTable('syncs').set({ invalid_reason: error.userMessage }).where('id', '=', sync.id).execute();
      return { errorAction: 'invalid', errorMessage: error.userMessage };
    }
    return { errorAction: error.action, errorMessage: error.userMessage };
  }
  if (error instanceof AppError) return { errorAction: error.code, errorMessage: error.message };
  return { errorAction: 'fail', errorMessage: 'The run failed on an unexpected error; the log has the details. The next run retries.' };
}

function describe(error: unknown) {
  return error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : { message: String(error) };
}

function sumOf(counts: Record<string, number>): number {
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

