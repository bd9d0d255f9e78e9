import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from '../../app.ts';
import { GraphClient } from '../../destinations/meta/client.ts';
import { loadDestination } from '../../destinations/service.ts';
import { triggerSyncRun } from '../../jobs/trigger.ts';
import { CreateSyncInput, UpdateSyncInput } from '../../syncs/inputs.ts';
import { previewSyncQuality } from '../../syncs/quality.ts';
import {
  createSync,
  deleteSync,
  getSync,
  listSyncs,
  pauseSync,
  resumeSync,
  updateSync,
  type SyncView as SyncRecord,
} from '../../syncs/service.ts';
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
import { IdParam, QualityPreview, SyncView } from '../schemas.ts';

const tags = ['Syncs'];
// Re-wrapped: a schema built before @hono/zod-openapi loaded has no .openapi() of its own.
const CreateInput = z.object(CreateSyncInput.shape).openapi('SyncInput', {
  example: {
    name: 'Subscribers to Meta',
    audienceIds: [1],
    destinationId: 1,
    metaAudience: { mode: 'create', name: 'Subscribers since 2021' },
    mapping: [
      { source: 'email', destination: 'EMAIL' },
      { source: 'phone', destination: 'PHONE' },
    ],
    hashPii: true,
    defaultCountry: 'US',
    schedule: { type: 'manual' },
  },
});
const UpdateInput = z.object(UpdateSyncInput.shape).openapi('SyncUpdate');
const { audienceIds, mapping, hashPii, defaultCountry } = CreateSyncInput.shape;
const QualityInput = z
  .object({ audienceIds, mapping, hashPii, defaultCountry })
  .openapi('QualityPreviewInput');

const list = createRoute({
  method: 'get',
  path: '/api/syncs',
  tags,
  summary: 'Every sync with its status and last run',
  security: SECURITY,
  responses: { 200: jsonAnswer(z.array(SyncView), 'Syncs'), ...COMMON_ERRORS },
});
const create = createRoute({
  method: 'post',
  path: '/api/syncs',
  tags,
  summary: 'Create a sync (the four wizard steps) and begin its initial audience export',
  description:
    'Send an Idempotency-Key: a retried Finish then returns the first answer and never ' +
    'creates a second sync or a second Meta audience.',
  security: SECURITY,
  request: { headers: IdempotencyHeaders, body: jsonBody(CreateInput) },
  responses: {
    201: jsonAnswer(SyncView, 'Created; the first run is queued'),
    ...COMMON_ERRORS,
    ...NOT_FOUND,
    ...CONFLICT,
    ...REPLAY_MISMATCH,
    ...META_ERROR,
  },
});
const getOne = createRoute({
  method: 'get',
  path: '/api/syncs/{id}',
  tags,
  summary: 'A sync: its status (with cause and fix when Disconnected or Invalid), its last run',
  security: SECURITY,
  request: { params: IdParam },
  responses: { 200: jsonAnswer(SyncView, 'The sync'), ...COMMON_ERRORS, ...NOT_FOUND },
});
const update = createRoute({
  method: 'patch',
  path: '/api/syncs/{id}',
  tags,
  summary: 'Change any wizard setting',
  security: SECURITY,
  request: { params: IdParam, body: jsonBody(UpdateInput) },
  responses: {
    200: jsonAnswer(SyncView, 'The sync'),
    ...COMMON_ERRORS,
    ...NOT_FOUND,
    ...CONFLICT,
    ...META_ERROR,
  },
});
const remove = createRoute({
  method: 'delete',
  path: '/api/syncs/{id}',
  tags,
  summary: 'Delete a sync (its Meta audience stays in Ads Manager)',
  security: SECURITY,
  request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...COMMON_ERRORS, ...NOT_FOUND },
});
const pause = createRoute({
  method: 'post',
  path: '/api/syncs/{id}/pause',
  tags,
  summary: 'Stop scheduled runs (Sync now still runs)',
  security: SECURITY,
  request: { params: IdParam },
  responses: { 200: jsonAnswer(SyncView, 'The sync, paused'), ...COMMON_ERRORS, ...NOT_FOUND },
});
const resume = createRoute({
  method: 'post',
  path: '/api/syncs/{id}/resume',
  tags,
  summary: 'Start scheduled runs again from the next slot',
  security: SECURITY,
  request: { params: IdParam },
  responses: { 200: jsonAnswer(SyncView, 'The sync, resumed'), ...COMMON_ERRORS, ...NOT_FOUND },
});
const quality = createRoute({
  method: 'post',
  path: '/api/syncs/quality-preview',
  tags,
  summary: 'Before Finish: what the mapping makes of the audiences’ members',
  description:
    'Per mapped field the share present and valid after normalization, the reasons for the ' +
    'rest and masked examples with their SHA-256, and how many members would be sent. At most ' +
    '50,000 members are read; `capped` and `note` say so.',
  security: SECURITY,
  request: { body: jsonBody(QualityInput) },
  responses: { 200: jsonAnswer(QualityPreview, 'The preview'), ...COMMON_ERRORS, ...NOT_FOUND },
});

export function registerSyncRoutes(app: ApiApp, { ctx }: RouteDeps): void {
  app.openapi(list, async (c) => c.json(await listSyncs(ctx), 200));

  app.openapi(quality, async (c) => {
    return c.json(await previewSyncQuality(ctx, c.req.valid('json')), 200);
  });

  app.openapi(create, async (c) => {
    const input = c.req.valid('json');
    const response = await runIdempotent(c, ctx.db, input, async () => {
      const sync = await createSync(ctx, input);
      // The sync exists now: a failure to queue its first run must not turn into an error
      // that a retry would answer with "name taken". Sync now (or the schedule) runs it.
      await triggerSyncRun(ctx, sync.id, 'created').catch((error: unknown) => {
        const fields = { requestId: c.get('requestId'), syncId: sync.id, err: error };
        ctx.log.error(fields, 'first run not queued');
      });
      return { status: 201, body: await getSync(ctx, sync.id) };
    });
    return response as never;
  });

  app.openapi(getOne, async (c) => {
    const sync = await getSync(ctx, c.req.valid('param').id);
    return c.json(await withAudienceSize(ctx, sync), 200);
  });

  app.openapi(update, async (c) => {
    const sync = await updateSync(ctx, c.req.valid('param').id, c.req.valid('json'));
    return c.json(sync, 200);
  });

  app.openapi(remove, async (c) => {
    await deleteSync(ctx, c.req.valid('param').id);
    return c.body(null, 204);
  });

  app.openapi(pause, async (c) => c.json(await pauseSync(ctx, c.req.valid('param').id), 200));

  app.openapi(resume, async (c) => c.json(await resumeSync(ctx, c.req.valid('param').id), 200));
}

// Meta's own view of the audience is a nicety on the detail page: one quick try, no retries,
// and the page shows without it when Meta is slow or refuses.
const SIZE_TIMEOUT_MS = 5000;

/** The sync with its Meta audience's approximate size, as Meta reports it now. */
async function withAudienceSize(ctx: Context, sync: SyncRecord) {
  const unknown = { approximateCountLowerBound: null, approximateCountUpperBound: null };
  const audienceId = sync.metaAudience.id;
  if (!audienceId || sync.destination.status !== 'Connected') {
    return { ...sync, metaAudience: { ...sync.metaAudience, ...unknown } };
  }

  try {
    const destination = await loadDestination(ctx, sync.destination.id);
    const client = new GraphClient({
      baseUrl: destination.graph_base_url,
      apiVersion: destination.api_version,
      accessToken: ctx.secrets.open(destination.access_token_enc),
      appSecret: destination.app_secret_enc ? ctx.secrets.open(destination.app_secret_enc) : null,
      log: ctx.log,
      maxAttempts: 1,
      timeoutMs: SIZE_TIMEOUT_MS,
    });
    const fields = ['id', 'approximate_count_lower_bound', 'approximate_count_upper_bound'];
    const audience = await client.getCustomAudience(audienceId, fields);
    const size = {
      approximateCountLowerBound: audience.approximate_count_lower_bound ?? null,
      approximateCountUpperBound: audience.approximate_count_upper_bound ?? null,
    };
    return { ...sync, metaAudience: { ...sync.metaAudience, ...size } };
  } catch (error) {
    ctx.log.debug({ syncId: sync.id, err: error }, 'Meta audience size unavailable');
    return { ...sync, metaAudience: { ...sync.metaAudience, ...unknown } };
  }
}
