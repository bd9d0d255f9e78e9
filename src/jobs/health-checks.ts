import type { Context } from '../app.ts';
import type { Destination } from '../db/schema.ts';
import type { GraphClient } from '../destinations/meta/client.ts';
import { GraphApiError } from '../destinations/meta/errors.ts';
import {
  graphClientFor,
  loadDestination,
  refreshDestinationStatus,
} from '../destinations/service.ts';
import { AppError } from '../errors.ts';

/** Meta's operation_status code for an audience its integrity checks flagged. */
const FLAGGED = 471;

/**
 * The periodic check of one destination, so that its status is true before a
 * run fails: token, ads_management and Custom Audience terms (Disconnected with
 * the reason, or Connected again), the token's expiry when Meta can tell it, and
 * the Meta audience of each of its syncs (Invalid with the cause, or valid again).
 * A fault on Meta's side throws, and the queue retries the check.
 */
export async function checkDestination(ctx: Context, destinationId: number): Promise<void> {
  const exists = await loadDestination(ctx, destinationId).catch((error: unknown) => {
    if (error instanceof AppError && error.code === 'not_found') return null;
    throw error;
  });
  if (!exists) return;

  const view = await refreshDestinationStatus(ctx, destinationId);
  const outcome = { destinationId, status: view.status, reason: view.statusReason };
  ctx.log.info(outcome, 'destination checked');
  if (view.status !== 'Connected') return;

  const destination = await loadDestination(ctx, destinationId);
  await refreshTokenExpiry(ctx, destination);
  await checkMetaAudiences(ctx, destination);
}

/**
 * Asks debug_token when the token expires; needs the app id and secret (the
 * destination's own secret, else META_APP_SECRET). Never fails the check: an
 * expiry Meta will not tell is simply not announced.
 */
async function refreshTokenExpiry(ctx: Context, destination: Destination): Promise<void> {
  const appId = ctx.config.META_APP_ID;
  const appSecret = destination.app_secret_enc
    ? ctx.secrets.open(destination.app_secret_enc)
    : ctx.config.META_APP_SECRET;
  if (!appId || !appSecret) return;

  try {
    const client = graphClientFor(ctx, destination);
    const token = ctx.secrets.open(destination.access_token_enc);
    const info = await client.debugToken(token, `${appId}|${appSecret}`);
    // expires_at 0 means never (system-user tokens).
    const expiresAt = info.expires_at ? new Date(info.expires_at * 1000) : null;
    await ctx.db
      .updateTable('destinations')
      .set({ token_expires_at: expiresAt })
      .where('id', '=', destination.id)
      .execute();
  } catch (error) {
    const reason = error instanceof GraphApiError ? error.reason : 'unexpected';
    ctx.log.warn({ destinationId: destination.id, reason }, 'token expiry unknown: debug_token did not answer');
  }
}

/** Marks a sync Invalid when its Meta audience is gone, unreachable or flagged; clears it once fixed. */
async function checkMetaAudiences(ctx: Context, destination: Destination): Promise<void> {
  const syncs = await ctx.db
    .selectFrom('syncs')
    .select(['id', 'meta_audience_id', 'invalid_reason'])
    .where('destination_id', '=', destination.id)
    .where('deleted_at', 'is', null)
    .where('meta_audience_id', 'is not', null)
    .execute();
  const client = graphClientFor(ctx, destination);

  for (const sync of syncs) {
    const problem = await audienceProblem(client, sync.meta_audience_id!);
    if (problem === sync.invalid_reason) continue;

    await ctx.db.updateTable('syncs').set({ invalid_reason: problem }).where('id', '=', sync.id).execute();
    const verdict = problem ? 'sync marked Invalid by the audience check' : 'sync valid again';
    ctx.log.info({ syncId: sync.id }, verdict);
  }
}

/** What is wrong with the Meta audience, in the user's words; null when nothing is. */
async function audienceProblem(client: GraphClient, audienceId: string): Promise<string | null> {
  try {
    const audience = await client.getCustomAudience(audienceId, ['id', 'operation_status']);
    if (audience.operation_status?.code !== FLAGGED) return null;
    return `Meta flagged the Facebook audience ${audienceId} for review and blocks uploads to it. Resolve it in Ads Manager, or choose another audience in Step 3.`;
  } catch (error) {
    if (error instanceof GraphApiError && error.action === 'target_gone') {
      return `The Facebook audience ${audienceId} was deleted, or this token can no longer reach it. Choose a new audience in Step 3 (Set up Sync).`;
    }
    throw error;
  }
}
