import { createRoute, z } from '@hono/zod-openapi';
import {
  COMMON_ERRORS,
  jsonAnswer,
  SECURITY,
  type ApiApp,
  type RouteDeps,
} from '../server/openapi.ts';
import { listEvents } from './events.ts';

const EventsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.coerce
    .number()
    .int()
    .positive()
    .optional()
    .openapi({ description: 'nextCursor of the previous page' }),
  syncId: z.coerce.number().int().positive().optional(),
  destinationId: z.coerce.number().int().positive().optional(),
});

const Ref = z.object({ id: z.number().int(), name: z.string() }).nullable();

export const EventView = z
  .object({
    id: z.number().int(),
    type: z.string().openapi({
      description:
        'sync.failed | sync.disconnected | sync.invalid | sync.recovered | destination.disconnected | ' +
        'destination.reconnected | destination.token_expiring',
    }),
    message: z.string(),
    sync: Ref,
    destination: Ref,
    details: z.record(z.string(), z.unknown()),
    createdAt: z.string().openapi({ format: 'date-time' }),
    delivery: z.object({
      status: z
        .enum(['none', 'pending', 'delivered', 'failed'])
        .openapi({ description: 'The webhook delivery; none without a webhook' }),
      attempts: z.number().int(),
      deliveredAt: z.string().openapi({ format: 'date-time' }).nullable(),
      error: z.string().nullable(),
    }),
  })
  .openapi('Event');

const EventsPage = z.object({ data: z.array(EventView), nextCursor: z.number().int().nullable() });

const list = createRoute({
  method: 'get',
  path: '/api/events',
  tags: ['Events'],
  summary: 'Status changes of syncs and destinations, newest first (what the webhook receives)',
  security: SECURITY,
  request: { query: EventsQuery },
  responses: {
    200: jsonAnswer(EventsPage, 'A page of events'),
    ...COMMON_ERRORS,
  },
});

/** GET /api/events, for the API's app: `registerEventRoutes(app, deps)` beside the other routes. */
export function registerEventRoutes(app: ApiApp, { ctx }: RouteDeps): void {
  app.openapi(list, async (c) => c.json(await listEvents(ctx, c.req.valid('query')) as never, 200));
}
