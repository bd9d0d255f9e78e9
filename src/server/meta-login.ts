import { sql } from 'kysely';
import type { Context } from '../app.ts';
import { GraphClient } from '../destinations/meta/client.ts';
import {
  connectDestination,
  getDestination,
  loadDestination,
  reconnectDestination,
  type DestinationView,
} from '../destinations/service.ts';
import { AppError } from '../errors.ts';
import { digestSecret, makeSecret } from './auth/secrets.ts';

/**
 * Facebook Login (meta-graph-api.md §7): the dialog, the code exchange, the
 * long-lived token, the ad account choice. Each login is a row of meta_logins:
 * started with a random state (stored as a digest, bound to the user and valid
 * 10 minutes), then authorized with the token sealed at rest and the ad accounts
 * to choose from (valid 30 minutes), then completed into a destination.
 */
export const LOGIN_SCOPES = ['ads_management', 'ads_read', 'business_management'];
const STATE_TTL_MS = 10 * 60 * 1000;
const PENDING_TTL_MS = 30 * 60 * 1000;

export interface MetaLoginSettings {
  appId: string;
  appSecret: string;
  /** Where the dialog lives: https://www.facebook.com, or the emulator. */
  loginUrl: string;
  graphUrl: string;
  apiVersion: string;
  /** Where Meta sends the browser back: `${publicUrl}/api/meta/callback`. */
  redirectUri: string;
}

export interface PendingConnection {
  id: string;
  adAccounts: Array<{ id: string; name: string | null; accountStatus: number | null }>;
  reconnectDestinationId: number | null;
  expiresAt: Date;
}

/** The app's credentials from the environment, or a not_connected error saying what to set. */
export function metaLoginSettings(ctx: Context, publicUrl: string): MetaLoginSettings {
  const { META_APP_ID, META_APP_SECRET } = ctx.config;
  if (!META_APP_ID || !META_APP_SECRET) {
    throw new AppError(
      'not_connected',
      'Facebook Login needs the Meta app credentials: set META_APP_ID and META_APP_SECRET in ' +
        "the server's environment and restart it, or connect with a system-user access token.",
    );
  }
  return {
    appId: META_APP_ID,
    appSecret: META_APP_SECRET,
    loginUrl: ctx.config.META_LOGIN_URL.replace(/\/+$/, ''),
    graphUrl: ctx.config.META_GRAPH_URL,
    apiVersion: ctx.config.META_API_VERSION,
    redirectUri: `${publicUrl.replace(/\/+$/, '')}/api/meta/callback`,
  };
}

/** Records a new login and returns the dialog address to send the browser to. */
export async function startMetaLogin(
  ctx: Context,
  settings: MetaLoginSettings,
  userId: number,
  reconnectDestinationId: number | null,
): Promise<string> {
  if (reconnectDestinationId !== null) await loadDestination(ctx, reconnectDestinationId);
  const state = makeSecret();
  await ctx.db
    .insertInto('meta_logins')
    .values({
      id: makeSecret(18),
      state_hash: digestSecret(state),
      user_id: userId,
      reconnect_destination_id: reconnectDestinationId,
      status: 'started',
      expires_at: new Date(Date.now() + STATE_TTL_MS),
    })
    .execute();
  await ctx.db
    .deleteFrom('meta_logins')
    .where('expires_at', '<', sql<Date>`now() - interval '1 day'`)
    .execute();

  const dialog = new URL(`${settings.loginUrl}/${settings.apiVersion}/dialog/oauth`);
  dialog.searchParams.set('client_id', settings.appId);
  dialog.searchParams.set('redirect_uri', settings.redirectUri);
  dialog.searchParams.set('state', state);
  dialog.searchParams.set('scope', LOGIN_SCOPES.join(','));
  dialog.searchParams.set('response_type', 'code');
  return dialog.toString();
}

/**
 * Where the dialog sends the browser back: checks the state, trades the code
 * for a token and that for a long-lived one, lists the ad accounts and keeps
 * them as a pending connection. Returns the pending connection's id.
 */
export async function finishMetaLogin(
  ctx: Context,
  settings: MetaLoginSettings,
  userId: number,
  query: { code?: string; state?: string; error?: string; error_reason?: string },
): Promise<string> {
  const login = query.state
    ? await ctx.db
        .selectFrom('meta_logins')
        .selectAll()
        .where('state_hash', '=', digestSecret(query.state))
        .executeTakeFirst()
    : undefined;
  // Claimed by marking it used up front: of two callbacks racing with one state, one goes on.
  const claimed =
    login && login.user_id === userId && login.expires_at > new Date()
      ? await ctx.db
          .updateTable('meta_logins')
          .set({ status: 'failed' })
          .where('id', '=', login.id)
          .where('status', '=', 'started')
          .returning('id')
          .executeTakeFirst()
      : undefined;
  if (!login || !claimed) {
    throw new AppError(
      'invalid_input',
      'This Facebook Login answer does not match a login started here in the last 10 minutes. ' +
        'Start again with Connect Meta.',
      { field: 'state' },
    );
  }
  if (query.error || !query.code) {
    const cancelled = query.error_reason === 'user_denied' || query.error === 'access_denied';
    throw new AppError(
      'not_connected',
      cancelled
        ? 'Facebook Login was cancelled, so nothing was connected. Start again and choose Allow.'
        : 'Facebook Login did not return an authorization code. Start again.',
    );
  }
  // Should the exchange fail, the login stays failed: a code works once.
  return authorize(ctx, settings, login.id, query.code);
}

async function authorize(ctx: Context, settings: MetaLoginSettings, loginId: string, code: string) {
  const oauth = new GraphClient({
    baseUrl: settings.graphUrl,
    apiVersion: settings.apiVersion,
    accessToken: '',
    log: ctx.log,
  });
  const credentials = { appId: settings.appId, appSecret: settings.appSecret };
  const redirectUri = settings.redirectUri;
  const short = await oauth.exchangeCode({ ...credentials, redirectUri, code });
  const long = await oauth.exchangeForLongLivedToken({ ...credentials, token: short.access_token });

  const client = new GraphClient({
    baseUrl: settings.graphUrl,
    apiVersion: settings.apiVersion,
    accessToken: long.access_token,
    appSecret: settings.appSecret,
    log: ctx.log,
  });
  const accounts = await client.listAdAccounts();
  const expiresIn = long.expires_in ?? short.expires_in;
  await ctx.db
    .updateTable('meta_logins')
    .set({
      status: 'authorized',
      access_token_enc: ctx.secrets.seal(long.access_token),
      token_expires_at: expiresIn ? new Date(Date.now() + expiresIn * 1000) : null,
      ad_accounts: JSON.stringify(
        accounts.map((account) => ({
          id: account.id.startsWith('act_') ? account.id : `act_${account.id}`,
          name: account.name ?? null,
          accountStatus: account.account_status ?? null,
        })),
      ),
      expires_at: new Date(Date.now() + PENDING_TTL_MS),
    })
    .where('id', '=', loginId)
    .execute();
  ctx.log.info({ metaLoginId: loginId, adAccounts: accounts.length }, 'Facebook Login authorized');
  return loginId;
}

export async function getPendingConnection(
  ctx: Context,
  userId: number,
  id: string,
): Promise<PendingConnection> {
  const login = await loadPending(ctx, userId, id);
  return {
    id: login.id,
    adAccounts: login.ad_accounts ?? [],
    reconnectDestinationId: login.reconnect_destination_id,
    expiresAt: login.expires_at,
  };
}

/**
 * Turns a pending connection into a destination (Meta checks the token, the
 * account and the Custom Audience terms first), or reconnects the destination
 * the login was started for. Completing twice returns the same destination.
 */
export async function completeMetaLogin(
  ctx: Context,
  userId: number,
  id: string,
  choice: { adAccountId: string; name?: string },
): Promise<DestinationView> {
  const login = await loadPending(ctx, userId, id, true);
  if (login.status === 'completed' && login.destination_id !== null) {
    return getDestination(ctx, login.destination_id);
  }

  const wanted = choice.adAccountId.replace(/^act_/, '');
  const accounts = login.ad_accounts ?? [];
  const offered = accounts.some((account) => account.id.replace(/^act_/, '') === wanted);
  if (!offered) {
    throw new AppError(
      'invalid_input',
      `Ad account act_${wanted} is not among the accounts this Facebook login can reach.`,
      { field: 'adAccountId' },
    );
  }
  const accessToken = ctx.secrets.open(login.access_token_enc!);

  let destination: DestinationView;
  if (login.reconnect_destination_id !== null) {
    const current = await loadDestination(ctx, login.reconnect_destination_id);
    if (current.ad_account_id !== wanted) {
      throw new AppError(
        'invalid_input',
        `Destination "${current.name}" is connected to act_${current.ad_account_id}: ` +
          'reconnect it with that ad account, or connect the other one as a new destination.',
        { field: 'adAccountId' },
      );
    }
    destination = await reconnectDestination(ctx, current.id, { accessToken });
  } else {
    if (!choice.name) {
      throw new AppError('invalid_input', 'Give the destination a name.', { field: 'name' });
    }
    const input = { name: choice.name, adAccountId: wanted, accessToken };
    destination = await connectDestination(ctx, input);
  }

  await ctx.db
    .updateTable('meta_logins')
    .set({ status: 'completed', destination_id: destination.id, access_token_enc: null })
    .where('id', '=', login.id)
    .execute();
  return destination;
}

async function loadPending(ctx: Context, userId: number, id: string, allowCompleted = false) {
  const login = await ctx.db
    .selectFrom('meta_logins')
    .selectAll()
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  const usable =
    login &&
    ((login.status === 'authorized' && login.expires_at > new Date()) ||
      (allowCompleted && login.status === 'completed'));
  if (!usable) {
    throw new AppError(
      'not_found',
      `There is no pending Facebook connection ${id}: it expired after 30 minutes or was used. ` +
        'Start again with Connect Meta.',
    );
  }
  return login;
}
