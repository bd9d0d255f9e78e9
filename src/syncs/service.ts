import type { Context } from '../app.ts';
import { isNameTaken } from '../db/names.ts';
import type { Sync } from '../db/schema.ts';
import { graphClientFor, loadDestination } from '../destinations/service.ts';
import { AppError, parseInput } from '../errors.ts';
import { scheduleColumns, scheduleOfSync, sameSchedule } from '../jobs/schedule-columns.ts';
import { slotDueAt } from '../jobs/schedule.ts';
import { loadSyncView, loadSyncViews, type SyncView } from './view.ts';
import {
  CreateSyncInput,
  UpdateSyncInput,
  type CreateSyncFields,
  type CreateSyncInput as CreateInput,
  type UpdateSyncInput as UpdateInput,
} from './inputs.ts';

export type { SyncView };

/**
 * Creates a sync from the wizard's four steps. Everything is checked first (the
 * audiences, a Connected destination, the Meta audience name or target), so a
 * refused sync leaves nothing behind.
 */
export async function createSync(ctx: Context, input: CreateInput, options: { now?: Date } = {}): Promise<SyncView> {
  const fields = parseInput(CreateSyncInput, input, 'sync');
  await assertNameFree(ctx, fields.name);
  await assertAudiencesExist(ctx, fields.audienceIds);
  const destination = await loadDestination(ctx, fields.destinationId);
  if (destination.status !== 'connected') {
    throw new AppError(
      'not_connected',
      `Destination "${destination.name}" is Disconnected (${destination.status_message ?? 'Meta refused its token'}). Reconnect it under Connections → Destinations first.`,
      { field: 'destinationId' },
    );
  }
  await assertMetaAudienceUsable(ctx, destination.id, fields.metaAudience, null);

  const id = await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('syncs')
      .values({
        name: fields.name,
        description: fields.description,
        destination_id: fields.destinationId,
        ...metaAudienceColumns(fields.metaAudience, null, true),
        mapping: JSON.stringify(fields.mapping),
        hash_pii: fields.hashPii,
        default_country: fields.defaultCountry,
        ...scheduleColumns(fields.schedule, options.now ?? new Date()),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('sync_audiences')
      .values(fields.audienceIds.map((audienceId, position) => ({ sync_id: row.id, audience_id: audienceId, position })))
      .execute();
    return row.id;
  });
  ctx.log.info({ syncId: id, destinationId: fields.destinationId }, 'sync created');
  return loadSyncView(ctx, id);
}

/**
 * Updates any wizard setting. A new mapping, hashing choice or default country
 * starts a new config version, so the next run resends every member in the new
 * shape; a new Meta audience target starts the member state afresh.
 */
export async function updateSync(ctx: Context, id: number, input: UpdateInput, options: { now?: Date } = {}): Promise<SyncView> {
  const fields = parseInput(UpdateSyncInput, input, 'sync');
  const sync = await loadSync(ctx, id);
  if (fields.name !== undefined && fields.name.toLowerCase() !== sync.name.toLowerCase()) {
    await assertNameFree(ctx, fields.name);
  }
  if (fields.audienceIds) await assertAudiencesExist(ctx, fields.audienceIds);
  const destinationId = fields.destinationId ?? sync.destination_id;
  if (fields.destinationId !== undefined) await loadDestination(ctx, fields.destinationId);
  const retarget = fields.metaAudience !== undefined && targetChanged(sync, fields.metaAudience);
  if (fields.metaAudience && retarget) await assertMetaAudienceUsable(ctx, destinationId, fields.metaAudience, id);

  // Sent whole by a form, an unchanged schedule keeps its slots.
  const rescheduled = fields.schedule !== undefined && !sameSchedule(fields.schedule, scheduleOfSync(sync));
  const reshaped =
    (fields.mapping !== undefined && JSON.stringify(fields.mapping) !== JSON.stringify(sync.mapping)) ||
    (fields.hashPii !== undefined && fields.hashPii !== sync.hash_pii) ||
    (fields.defaultCountry !== undefined && fields.defaultCountry !== sync.default_country);

  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('syncs')
      .set({
        ...(fields.name !== undefined && { name: fields.name }),
        ...(fields.description !== undefined && { description: fields.description }),
        ...(fields.destinationId !== undefined && { destination_id: fields.destinationId }),
        ...(fields.metaAudience &&
          metaAudienceColumns(fields.metaAudience, retarget ? null : sync.meta_audience_id, retarget || sync.existing_write_mode !== 'replace')),
        ...(fields.mapping !== undefined && { mapping: JSON.stringify(fields.mapping) }),
        ...(fields.hashPii !== undefined && { hash_pii: fields.hashPii }),
        ...(fields.defaultCountry !== undefined && { default_country: fields.defaultCountry }),
        ...(rescheduled && scheduleColumns(fields.schedule!, options.now ?? new Date())),
        ...(reshaped && { config_version: sync.config_version + 1 }),
        ...(retarget && { invalid_reason: null }),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .execute();
    if (retarget) await trx.deleteFrom('sync_members').where('sync_id', '=', id).execute();
    if (fields.audienceIds) {
      await trx.deleteFrom('sync_audiences').where('sync_id', '=', id).execute();
      await trx
        .insertInto('sync_audiences')
        .values(fields.audienceIds.map((audienceId, position) => ({ sync_id: id, audience_id: audienceId, position })))
        .execute();
      await trx.updateTable('syncs').set({ invalid_reason: null }).where('id', '=', id).execute();
    }
  });
  ctx.log.info({ syncId: id, reshaped, retarget, rescheduled }, 'sync updated');
  return loadSyncView(ctx, id);
}

/** Stops scheduled runs at once; a run asked for by hand still runs. */
export async function pauseSync(ctx: Context, id: number): Promise<SyncView> {
  await loadSync(ctx, id);
  await ctx.db
    .updateTable('syncs')
    .set({ paused_at: new Date(), updated_at: new Date() })
    .where('id', '=', id)
    .where('paused_at', 'is', null)
    .execute();
  ctx.log.info({ syncId: id }, 'sync paused');
  return loadSyncView(ctx, id);
}

/** Starts scheduled runs again from the next slot; the slots missed while paused are not replayed. */
export async function resumeSync(ctx: Context, id: number, options: { now?: Date } = {}): Promise<SyncView> {
  const sync = await loadSync(ctx, id);
  if (sync.paused_at) {
    const now = options.now ?? new Date();
    const due = slotDueAt(scheduleOfSync(sync), sync.schedule_anchor_at, now);
    await ctx.db
      .updateTable('syncs')
      .set({ paused_at: null, schedule_last_slot_at: due ?? sync.schedule_last_slot_at, updated_at: new Date() })
      .where('id', '=', id)
      .execute();
    ctx.log.info({ syncId: id }, 'sync resumed');
  }
  return loadSyncView(ctx, id);
}

export async function deleteSync(ctx: Context, id: number): Promise<void> {
  await loadSync(ctx, id);
  await ctx.db.updateTable('syncs').set({ deleted_at: new Date() }).where('id', '=', id).execute();
  ctx.log.info({ syncId: id }, 'sync deleted');
}

export async function getSync(ctx: Context, id: number): Promise<SyncView> {
  await loadSync(ctx, id);
  return loadSyncView(ctx, id);
}

export async function listSyncs(ctx: Context): Promise<SyncView[]> {
  return loadSyncViews(ctx);
}

/** Looks a sync up by id or name, as people type it on the command line. */
export async function findSyncId(ctx: Context, idOrName: string): Promise<number> {
  const query = ctx.db.selectFrom('syncs').select('id').where('deleted_at', 'is', null);
  const row = /^\d+$/.test(idOrName)
    ? await query.where('id', '=', Number(idOrName)).executeTakeFirst()
    : await query.where((eb) => eb(eb.fn('lower', ['name']), '=', idOrName.toLowerCase())).executeTakeFirst();
  if (!row) throw new AppError('not_found', `No sync is called "${idOrName}". List them with: sourcesible syncs list`);
  return row.id;
}

export async function loadSync(ctx: Context, id: number): Promise<Sync> {
  const row = await ctx.db.selectFrom('syncs').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  if (!row) throw new AppError('not_found', `Sync ${id} does not exist.`);
  return row;
}

type MetaAudienceFields = CreateSyncFields['metaAudience'];

/**
 * The columns of a Meta target. `startReplace` says whether a replace target must
 * first be filled through /usersreplace: when it is new, or newly in replace mode.
 */
function metaAudienceColumns(target: MetaAudienceFields, keptId: string | null, startReplace: boolean) {
  return target.mode === 'create'
    ? { meta_audience_mode: 'create' as const, meta_audience_name: target.name, meta_audience_id: keptId, existing_write_mode: 'append' as const }
    : {
        meta_audience_mode: 'existing' as const,
        meta_audience_name: null,
        meta_audience_id: target.audienceId,
        existing_write_mode: target.writeMode,
        ...(startReplace && { replace_pending: target.writeMode === 'replace' }),
      };
}

function targetChanged(sync: Sync, target: MetaAudienceFields): boolean {
  if (target.mode !== sync.meta_audience_mode) return true;
  return target.mode === 'create' ? target.name !== sync.meta_audience_name : target.audienceId !== sync.meta_audience_id;
}

/** Checks the Meta side of Step 3b: a new name must be free, an existing audience must be a customer list. */
async function assertMetaAudienceUsable(
  ctx: Context,
  destinationId: number,
  target: MetaAudienceFields,
  syncId: number | null,
): Promise<void> {
  const destination = await loadDestination(ctx, destinationId);
  if (target.mode === 'existing') await assertTargetFree(ctx, target.audienceId, syncId);
  const client = graphClientFor(ctx, destination);
  if (target.mode === 'create') {
    const existing = await client.findCustomAudienceByName(destination.ad_account_id, target.name);
    if (existing) {
      throw new AppError(
        'conflict',
        `A Custom Audience named "${target.name}" already exists in ad account act_${destination.ad_account_id}. Choose a unique Audience Name, or select it with "Use an existing Facebook audience".`,
        { field: 'metaAudience.name' },
      );
    }
    return;
  }

  const audience = await client.getCustomAudience(target.audienceId, ['id', 'name', 'subtype', 'account_id']).catch(() => null);
  if (!audience) {
    throw new AppError('not_found', `Custom Audience ${target.audienceId} does not exist in ad account act_${destination.ad_account_id}, or the token cannot see it.`, { field: 'metaAudience.audienceId' });
  }
  if (audience.subtype && audience.subtype !== 'CUSTOM') {
    throw new AppError('invalid_input', `Custom Audience ${target.audienceId} is a ${audience.subtype} audience; only customer-list (CUSTOM) audiences take uploads.`, { field: 'metaAudience.audienceId' });
  }
}

/** Two syncs writing one Meta audience would remove each other's members. */
async function assertTargetFree(ctx: Context, metaAudienceId: string, syncId: number | null): Promise<void> {
  let query = ctx.db
    .selectFrom('syncs')
    .select(['id', 'name'])
    .where('meta_audience_id', '=', metaAudienceId)
    .where('deleted_at', 'is', null);
  if (syncId !== null) query = query.where('id', '<>', syncId);
  const other = await query.executeTakeFirst();
  if (other) {
    throw new AppError(
      'conflict',
      `Facebook audience ${metaAudienceId} is already kept by sync "${other.name}". Add your audiences to that sync, or choose another Facebook audience.`,
      { field: 'metaAudience.audienceId' },
    );
  }
}

async function assertNameFree(ctx: Context, name: string): Promise<void> {
  if (await isNameTaken(ctx.db, 'syncs', name)) {
    throw new AppError('conflict', `A sync named "${name}" already exists. Sync names must be unique.`, { field: 'name' });
  }
}

async function assertAudiencesExist(ctx: Context, ids: number[]): Promise<void> {
  const found = await ctx.db.selectFrom('audiences').select('id').where('id', 'in', ids).where('deleted_at', 'is', null).execute();
  const missing = ids.filter((id) => !found.some((row) => row.id === id));
  if (missing.length > 0) {
    throw new AppError('not_found', `Audience ${missing.join(', ')} does not exist. Pick audiences listed under Segmentation → Audiences.`, { field: 'audienceIds' });
  }
}
