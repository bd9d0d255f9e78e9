import { createRoute, z } from '@hono/zod-openapi';
import { triggerSyncRun } from '../../jobs/trigger.ts';
import { getRun, listRuns } from '../../syncs/runs.ts';
import { loadSync } from '../../syncs/service.ts';
import { HttpProblem } from '../errors.ts';
import { runIdempotent } from '../idempotency.ts';
import {
  COMMON_ERRORS,
  CONFLICT,
  IdempotencyHeaders,
  jsonAnswer,
  NOT_FOUND,
  REPLAY_MISMATCH,
  SECURITY,
  type ApiApp,
  type RouteDeps,
} from '../openapi.ts';
import { IdParam, Queued, RunDetail, RunView } from '../schemas.ts';

const tags = ['Runs'];
const RunsQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(20) });

const trigger = createRoute({
  method: 'post',
  path: '/api/syncs/{id}/runs',
  tags,
  summary: 'Sync now: queue a run of the sync',
  security: SECURITY,
  request: { params: IdParam, headers: IdempotencyHeaders },
  responses: {
    202: jsonAnswer(Queued, 'Queued; follow it with GET /api/syncs/{id}/runs'),
    ...COMMON_ERRORS,
    ...NOT_FOUND,
    ...CONFLICT,
    ...REPLAY_MISMATCH,
  },
});
const list = createRoute({
  method: 'get',
  path: '/api/syncs/{id}/runs',
  tags,
  summary: "A sync's run history, newest first, with counts and skip reasons",
  security: SECURITY,
  request: { params: IdParam, query: RunsQuery },
  responses: { 200: jsonAnswer(z.array(RunView), 'Runs'), ...COMMON_ERRORS, ...NOT_FOUND },
});
const getOne = createRoute({
  method: 'get',
  path: '/api/runs/{id}',
  tags,
  summary: 'One run with every batch and what Meta answered',
  security: SECURITY,
  request: { params: IdParam },
  responses: { 200: jsonAnswer(RunDetail, 'The run'), ...COMMON_ERRORS, ...NOT_FOUND },
});

export function registerRunRoutes(app: ApiApp, { ctx }: RouteDeps): void {
  app.openapi(trigger, async (c) => {
    const { id } = c.req.valid('param');
    const response = await runIdempotent(c, ctx.db, { syncId: id }, async () => {
      const result = await triggerSyncRun(ctx, id, 'manual');
      if (result.status === 'already_running') {
        throw new HttpProblem(
          409,
          'already_running',
          'This sync is running now. Wait for the run to finish, then sync again.',
        );
      }
      return { status: 202, body: { status: 'queued' } };
    });
    return response as never;
  });

  app.openapi(list, async (c) => {
    const { id } = c.req.valid('param');
    await loadSync(ctx, id);
    return c.json(await listRuns(ctx, id, c.req.valid('query').limit), 200);
  });

  app.openapi(getOne, async (c) => c.json(await getRun(ctx, c.req.valid('param').id), 200));
}
