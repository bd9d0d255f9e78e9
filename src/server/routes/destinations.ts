import { createRoute, z } from '@hono/zod-openapi';
import { ConnectDestinationInput, ReconnectDestinationInput } from '../../destinations/inputs.ts';
import { GraphApiError } from '../../destinations/meta/errors.ts';
import {
  connectDestination,
  deleteDestination,
  graphClientFor,
  listDestinations,
  loadDestination,
  reconnectDestination,
  refreshDestinationStatus,
  setDestinationStatus,
} from '../../destinations/service.ts';
import type { Context } from '../../app.ts';
import { runIdempotent } from '../idempotency.ts';
import {
  COMMON_ERRORS,
  CONFLICT,
  IdempotencyHeaders,
  jsonAnswer,
  jsonBody,
  META_ERROR,
  NOT_FOUND,
  REPLAY_MISMATCH,
  SECURITY,
  type ApiApp,
  type RouteDeps,
} from '../openapi.ts';
import { DestinationView, IdParam, MetaAudience } from '../schemas.ts';

const tags = ['Destinations'];
// Re-wrapped: a schema built before @hono/zod-openapi loaded has no .openapi() of its own.
const ConnectInput = z.object(ConnectDestinationInput.shape).openapi('DestinationInput');
const ReconnectInput = z.object(ReconnectDestinationInput.shape).openapi('ReconnectInput');

const MetaAudienceQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  after: z.string().max(500).optional().openapi({ description: "The previous page's nextCursor" }),
});
const NameQuery = z.object({ name: z.string().trim().min(1, 'is required').max(200) });

const list = createRoute({
  method: 'get',
  path: '/api/destinations',
  tags,
  summary: 'Connected Meta ad accounts with their status and sync count',
  security: SECURITY,
  responses: { 200: jsonAnswer(z.array(DestinationView), 'Destinations'), ...COMMON_ERRORS },
});
const connect = createRoute({
  method: 'post',
  path: '/api/destinations',
  tags,
  summary: 'Connect an ad account with a (system-user) access token; Meta is asked first',
  security: SECURITY,
  request: { headers: IdempotencyHeaders, body: jsonBody(ConnectInput) },
  responses: {
    201: jsonAnswer(DestinationView, 'Connected'),
    ...COMMON_ERRORS,
    ...CONFLICT,
    ...REPLAY_MISMATCH,
    ...META_ERROR,
  },
});
const reconnect = createRoute({
  method: 'post',
  path: '/api/destinations/{id}/reconnect',
  tags,
  summary: 'Replace the token of a destination; every sync keeps it',
  security: SECURITY,
  request: { params: IdParam, body: jsonBody(ReconnectInput) },
  responses: {
    200: jsonAnswer(DestinationView, 'Reconnected'),
    ...COMMON_ERRORS,
    ...NOT_FOUND,
    ...CONFLICT,
    ...META_ERROR,
  },
});
const check = createRoute({
  method: 'post',
  path: '/api/destinations/{id}/check',
  tags,
  summary: 'Ask Meta again whether the connection works, and record the answer',
  security: SECURITY,
  request: { params: IdParam },
  responses: {
    200: jsonAnswer(DestinationView, 'The destination with its fresh status'),
    ...COMMON_ERRORS,
    ...NOT_FOUND,
    ...META_ERROR,
  },
});
const remove = createRoute({
  method: 'delete',
  path: '/api/destinations/{id}',
  tags,
  summary: 'Delete a destination; its syncs become Invalid',
  security: SECURITY,
  request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...COMMON_ERRORS, ...NOT_FOUND },
});
const metaAudiences = createRoute({
  method: 'get',
  path: '/api/destinations/{id}/meta-audiences',
  tags,
  summary: "The ad account's customer-list (CUSTOM) audiences, page by page",
  security: SECURITY,
  request: { params: IdParam, query: MetaAudienceQuery },
  responses: {
    200: jsonAnswer(
      z.object({ data: z.array(MetaAudience), nextCursor: z.string().nullable() }),
      'One page; a page may hold fewer than limit, as other subtypes are left out',
    ),
    ...COMMON_ERRORS,
    ...NOT_FOUND,
    ...CONFLICT,
    ...META_ERROR,
  },
});
const nameAvailable = createRoute({
  method: 'get',
  path: '/api/destinations/{id}/meta-audiences/name-available',
  tags,
  summary: 'Whether no Custom Audience of the ad account has this exact name',
  security: SECURITY,
  request: { params: IdParam, query: NameQuery },
  responses: {
    200: jsonAnswer(z.object({ available: z.boolean() }), 'The answer'),
    ...COMMON_ERRORS,
    ...NOT_FOUND,
    ...CONFLICT,
    ...META_ERROR,
  },
});

export function registerDestinationRoutes(app: ApiApp, { ctx }: RouteDeps): void {
  app.openapi(list, async (c) => c.json(await listDestinations(ctx), 200));

  app.openapi(connect, async (c) => {
    const input = c.req.valid('json');
    const response = await runIdempotent(c, ctx.db, input, async () => ({
      status: 201,
      body: await connectDestination(ctx, input),
    }));
    return response as never;
  });

  app.openapi(reconnect, async (c) => {
    const view = await reconnectDestination(ctx, c.req.valid('param').id, c.req.valid('json'));
    return c.json(view, 200);
  });

  app.openapi(check, async (c) => {
    return c.json(await refreshDestinationStatus(ctx, c.req.valid('param').id), 200);
  });

  app.openapi(remove, async (c) => {
    await deleteDestination(ctx, c.req.valid('param').id);
    return c.body(null, 204);
  });

  app.openapi(metaAudiences, async (c) => {
    const { id } = c.req.valid('param');
    const { limit, after } = c.req.valid('query');
    const page = await askMeta(ctx, id, async (destination, client) =>
      client.listCustomAudiences(destination.ad_account_id, { limit, after }),
    );
    const data = page.data
      .filter((audience) => audience.subtype === undefined || audience.subtype === 'CUSTOM')
      .map((audience) => ({
        id: audience.id,
        name: audience.name ?? null,
        approximateCountLowerBound: audience.approximate_count_lower_bound ?? null,
        approximateCountUpperBound: audience.approximate_count_upper_bound ?? null,
      }));
    return c.json({ data, nextCursor: page.nextCursor }, 200);
  });

  app.openapi(nameAvailable, async (c) => {
    const { id } = c.req.valid('param');
    const { name } = c.req.valid('query');
    const found = await askMeta(ctx, id, (destination, client) =>
      client.findCustomAudienceByName(destination.ad_account_id, name),
    );
    return c.json({ available: found === null }, 200);
  });
}

type Destination = Awaited<ReturnType<typeof loadDestination>>;

/**
 * Calls Meta with a destination's own token. When Meta says the token no longer
 * works, the destination is marked Disconnected on the spot, as a run would.
 */
async function askMeta<T>(
  ctx: Context,
  id: number,
  call: (destination: Destination, client: ReturnType<typeof graphClientFor>) => Promise<T>,
): Promise<T> {
  const destination = await loadDestination(ctx, id);
  try {
    return await call(destination, graphClientFor(ctx, destination));
  } catch (error) {
    if (error instanceof GraphApiError && error.action === 'reconnect') {
      await setDestinationStatus(ctx, id, 'disconnected', error.reason, error.userMessage);
    }
    throw error;
  }
}
