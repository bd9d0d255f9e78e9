import type { Context } from '../app.ts';
import { isNameTaken } from '../db/names.ts';
import type { Destination, DestinationStatus } from '../db/schema.ts';
import { AppError, parseInput } from '../errors.ts';
import { GraphClient } from './meta/client.ts';
import { GraphApiError } from './meta/errors.ts';
import {
  ConnectDestinationInput,
  ReconnectDestinationInput,
  type ConnectDestinationInput as ConnectInput,
  type ReconnectDestinationInput as ReconnectInput,
} from './inputs.ts';

const REQUIRED_PERMISSION = 'ads_management';
const ACTIVE_ACCOUNT_STATUSES = new Set([1, 9, 201]);

/** What a check of a Meta connection found. */
export type ConnectionCheck =
  | { ok: true; adAccountName: string | null }
  | { ok: false; reason: string; message: string };

export interface DestinationView {
  id: number;
  name: string;
  type: 'Facebook Custom Audiences';
  adAccountId: string;
  adAccountName: string | null;
  status: 'Connected' | 'Disconnected';
  statusReason: string | null;
  statusMessage: string | null;
  syncCount: number;
  lastUpdate: Date;
  graphBaseUrl: string;
}

/** Connects a Meta ad account after checking the token, the account and the terms; stores nothing otherwise. */
export async function connectDestination(ctx: Context, input: ConnectInput): Promise<DestinationView> {
  const fields = parseInput(ConnectDestinationInput, input, 'destination');
  const graphBaseUrl = fields.graphBaseUrl ?? ctx.config.META_GRAPH_URL;
  const apiVersion = fields.apiVersion ?? ctx.config.META_API_VERSION;
  const appSecret = fields.appSecret ?? ctx.config.META_APP_SECRET ?? null;
  await assertNameFree(ctx, fields.name);

  const client = new GraphClient({ baseUrl: graphBaseUrl, apiVersion, accessToken: fields.accessToken, appSecret, log: ctx.log });
  const check = await checkConnection(client, fields.adAccountId);
  if (!check.ok) {
    throw new AppError('not_connected', `Meta refused the connection: ${check.message}`, { field: 'accessToken' });
  }

  const row = await ctx.db
    .insertInto('destinations')
    .values({
      name: fields.name,
      type: 'meta_custom_audiences',
      ad_account_id: fields.adAccountId,
      ad_account_name: check.adAccountName,
      graph_base_url: graphBaseUrl,
      api_version: apiVersion,
      access_token_enc: ctx.secrets.seal(fields.accessToken),
      app_secret_enc: appSecret ? ctx.secrets.seal(appSecret) : null,
      status: 'connected',
      checked_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  ctx.log.info({ destinationId: row.id, adAccountId: fields.adAccountId }, 'destination connected');
  return getDestination(ctx, row.id);
}

/** Replaces the token of a destination and checks it again; every sync keeps pointing at it. */
export async function reconnectDestination(ctx: Context, id: number, input: ReconnectInput): Promise<DestinationView> {
  const fields = parseInput(ReconnectDestinationInput, input, 'reconnect');
  const destination = await loadDestination(ctx, id);
  const appSecret = fields.appSecret ?? openAppSecret(ctx, destination);
  const client = makeClient(ctx, { ...destination }, fields.accessToken, appSecret);

  const check = await checkConnection(client, destination.ad_account_id);
  if (!check.ok) {
    throw new AppError('not_connected', `Meta refused the connection: ${check.message}`, { field: 'accessToken' });
  }

  await ctx.db
    .updateTable('destinations')
    .set({
      access_token_enc: ctx.secrets.seal(fields.accessToken),
      app_secret_enc: appSecret ? ctx.secrets.seal(appSecret) : null,
      ad_account_name: check.adAccountName,
      ...statusFields('connected', null, null),
    })
    .where('id', '=', id)
    .execute();
  ctx.log.info({ destinationId: id }, 'destination reconnected');
  return getDestination(ctx, id);
}

/** Asks Meta whether the stored connection still works and records the answer as the status. */
export async function refreshDestinationStatus(ctx: Context, id: number): Promise<DestinationView> {
  const destination = await loadDestination(ctx, id);
  const check = await checkConnection(graphClientFor(ctx, destination), destination.ad_account_id);
  if (check.ok) await setDestinationStatus(ctx, id, 'connected', null, null);
  else await setDestinationStatus(ctx, id, 'disconnected', check.reason, check.message);
  return getDestination(ctx, id);
}

export async function setDestinationStatus(
  ctx: Context,
  id: number,
  status: DestinationStatus,
  reason: string | null,
  message: string | null,
): Promise<void> {
  await ctx.db.updateTable('destinations').set(statusFields(status, reason, message)).where('id', '=', id).execute();
  if (status === 'disconnected') ctx.log.warn({ destinationId: id, reason }, 'destination disconnected');
}

function statusFields(status: DestinationStatus, reason: string | null, message: string | null) {
  const now = new Date();
  return { status, status_reason: reason, status_message: message, checked_at: now, updated_at: now };
}

/**
 * Checks, in Meta's own order, that the token works, carries ads_management, can
 * see the ad account, the account is active and its Custom Audience terms are accepted.
 */
export async function checkConnection(client: GraphClient, adAccountId: string): Promise<ConnectionCheck> {
  try {
    const permissions = await client.getPermissions();
    const granted = permissions.some((p) => p.permission === REQUIRED_PERMISSION && p.status === 'granted');
    if (!granted) {
      return {
        ok: false,
        reason: 'permission_missing',
        message: `the token lacks the ${REQUIRED_PERMISSION} permission. Log in again and grant it.`,
      };
    }

    const account = await client.getAdAccount(adAccountId, ['id', 'name', 'account_status', 'tos_accepted']);
    if (account.account_status !== undefined && !ACTIVE_ACCOUNT_STATUSES.has(account.account_status)) {
      return {
        ok: false,
        reason: 'ad_account_unusable',
        message: `ad account act_${adAccountId} is not active (status ${account.account_status}). Settle it in Ads Manager, then Reconnect.`,
      };
    }
    if (account.tos_accepted?.custom_audience_tos !== 1) {
      return {
        ok: false,
        reason: 'terms_not_accepted',
        message: `Meta's Custom Audience terms are not accepted for act_${adAccountId}. Accept them at https://business.facebook.com/ads/manage/customaudiences/tos/?act=${adAccountId}, then Reconnect.`,
      };
    }
    return { ok: true, adAccountName: account.name ?? null };
  } catch (error) {
    if (error instanceof GraphApiError && error.action === 'target_gone') {
      return {
        ok: false,
        reason: 'ad_account_not_found',
        message: `ad account act_${adAccountId} does not exist or this token cannot see it. Check the ad account id, and that the token's user or system user has access to it.`,
      };
    }
    if (error instanceof GraphApiError && error.action === 'reconnect') {
      return { ok: false, reason: error.reason, message: connectionMessage(error) };
    }
    throw error;
  }
}

/** Meta's refusal in words that fit a check of the connection, not a failed sync run. */
function connectionMessage(error: GraphApiError): string {
  if (error.reason === 'terms_not_accepted' || error.reason === 'ad_account_unusable') return error.userMessage;
  if (error.reason.startsWith('token_') || error.reason === 'user_action_required') {
    return `Meta does not accept the access token (${error.reason.replace(/_/g, ' ')}). Use a current, complete token of a user or system user with Advertiser access to the ad account.`;
  }
  return `Meta refused access (${error.reason.replace(/_/g, ' ')}): the token needs the ads_management permission on this ad account.`;
}

export async function listDestinations(ctx: Context): Promise<DestinationView[]> {
  const rows = await destinationQuery(ctx).orderBy('d.id').execute();
  return rows.map(toView);
}

export async function getDestination(ctx: Context, id: number): Promise<DestinationView> {
  const row = await destinationQuery(ctx).where('d.id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('not_found', `Destination ${id} does not exist.`);
  return toView(row);
}

/** Looks a destination up by id or by name, as people type it on the command line. */
export async function findDestination(ctx: Context, idOrName: string): Promise<DestinationView> {
  const byId = /^\d+$/.test(idOrName) ? Number(idOrName) : null;
  const rows = await destinationQuery(ctx).execute();
  const row = rows.find((r) => r.id === byId || r.name.toLowerCase() === idOrName.toLowerCase());
  if (!row) throw new AppError('not_found', `No destination is called "${idOrName}". List them with: sourcesible destinations list`);
  return toView(row);
}

export async function deleteDestination(ctx: Context, id: number): Promise<void> {
  await loadDestination(ctx, id);
  await ctx.db.updateTable('destinations').set({ deleted_at: new Date() }).where('id', '=', id).execute();
}

export async function loadDestination(ctx: Context, id: number): Promise<Destination> {
  const row = await ctx.db
    .selectFrom('destinations')
    .selectAll()
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!row) throw new AppError('not_found', `Destination ${id} does not exist.`);
  return row;
}

/** A Graph client acting with the destination's own stored, decrypted token. */
export function graphClientFor(ctx: Context, destination: Destination): GraphClient {
  return makeClient(ctx, destination, ctx.secrets.open(destination.access_token_enc), openAppSecret(ctx, destination));
}

function makeClient(ctx: Context, destination: Destination, accessToken: string, appSecret: string | null) {
  return new GraphClient({
    baseUrl: destination.graph_base_url,
    apiVersion: destination.api_version,
    accessToken,
    appSecret,
    log: ctx.log,
  });
}

function openAppSecret(ctx: Context, destination: Destination): string | null {
  return destination.app_secret_enc ? ctx.secrets.open(destination.app_secret_enc) : null;
}

async function assertNameFree(ctx: Context, name: string): Promise<void> {
  if (await isNameTaken(ctx.db, 'destinations', name)) {
    throw new AppError('conflict', `A destination named "${name}" already exists. Choose another name.`, { field: 'name' });
  }
}

function destinationQuery(ctx: Context) {
  return ctx.db
    .selectFrom('destinations as d')
    .select([
      'd.id', 'd.name', 'd.ad_account_id', 'd.ad_account_name', 'd.status', 'd.status_reason',
      'd.status_message', 'd.updated_at', 'd.graph_base_url',
    ])
    .select((eb) =>
      eb
        .selectFrom('syncs as s')
        .select((inner) => inner.fn.countAll<number>().as('n'))
        .whereRef('s.destination_id', '=', 'd.id')
        .where('s.deleted_at', 'is', null)
        .as('sync_count'),
    )
    .where('d.deleted_at', 'is', null);
}

type DestinationRow = Awaited<ReturnType<ReturnType<typeof destinationQuery>['executeTakeFirstOrThrow']>>;

function toView(row: DestinationRow): DestinationView {
  return {
    id: row.id,
    name: row.name,
    type: 'Facebook Custom Audiences',
    adAccountId: `act_${row.ad_account_id}`,
    adAccountName: row.ad_account_name,
    status: row.status === 'connected' ? 'Connected' : 'Disconnected',
    statusReason: row.status_reason,
    statusMessage: row.status_message,
    syncCount: Number(row.sync_count ?? 0),
    lastUpdate: row.updated_at,
    graphBaseUrl: row.graph_base_url,
  };
}
