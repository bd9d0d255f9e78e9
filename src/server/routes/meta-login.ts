import { createRoute, z } from '@hono/zod-openapi';
import type { Context as HonoContext } from 'hono';
import { AdAccountId } from '../../destinations/inputs.ts';
import { toErrorAnswer } from '../errors.ts';
import {
  completeMetaLogin,
  finishMetaLogin,
  getPendingConnection,
  metaLoginSettings,
  startMetaLogin,
} from '../meta-login.ts';
import {
  COMMON_ERRORS,
  CONFLICT,
  jsonAnswer,
  jsonBody,
  META_ERROR,
  NOT_FOUND,
  SECURITY,
  type ApiApp,
  type ApiEnv,
  type RouteDeps,
} from '../openapi.ts';
import { AdAccountChoice, DestinationView } from '../schemas.ts';

const tags = ['Facebook Login'];
/** The web app's page that shows the ad account choice, or what went wrong. */
export const CONNECT_PAGE = '/destinations/connect';

const PendingParam = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a pending connection id').openapi({
    param: { name: 'id', in: 'path' },
  }),
});
const redirect = (description: string) => ({
  description,
  headers: { Location: { schema: { type: 'string' as const } } },
});

const config = createRoute({
  method: 'get',
  path: '/api/meta/config',
  tags,
  summary: 'Whether Facebook Login is set up (META_APP_ID and META_APP_SECRET)',
  security: SECURITY,
  responses: {
    200: jsonAnswer(z.object({ loginAvailable: z.boolean() }), 'The answer'),
    ...COMMON_ERRORS,
  },
});
const login = createRoute({
  method: 'get',
  path: '/api/meta/login',
  tags,
  summary: "Start Facebook Login: redirects to Meta's dialog",
  description: `On failure, redirects to ${CONNECT_PAGE}?error=<code>&message=<text>.`,
  security: SECURITY,
  request: {
    query: z.object({
      reconnect: z.coerce.number().int().positive().optional().openapi({
        description: 'A destination to reconnect instead of connecting a new one',
      }),
    }),
  },
  responses: { 302: redirect("Meta's login dialog"), ...COMMON_ERRORS },
});
const callback = createRoute({
  method: 'get',
  path: '/api/meta/callback',
  tags,
  summary: "Meta's dialog returns here; redirects to the ad account choice",
  security: SECURITY,
  request: {
    query: z.object({
      code: z.string().max(2000).optional(),
      state: z.string().max(200).optional(),
      error: z.string().max(200).optional(),
      error_reason: z.string().max(200).optional(),
      error_code: z.string().max(50).optional(),
      error_description: z.string().max(1000).optional(),
    }),
  },
  responses: { 302: redirect(`${CONNECT_PAGE}?pending=<id>, or ?error=...`), ...COMMON_ERRORS },
});
const pending = createRoute({
  method: 'get',
  path: '/api/meta/pending/{id}',
  tags,
  summary: 'The ad accounts a finished login can connect',
  security: SECURITY,
  request: { params: PendingParam },
  responses: {
    200: jsonAnswer(
      z.object({
        adAccounts: z.array(AdAccountChoice),
        reconnectDestinationId: z.number().int().nullable(),
        expiresAt: z.string(),
      }),
      'The pending connection',
    ),
    ...COMMON_ERRORS,
    ...NOT_FOUND,
  },
});
const complete = createRoute({
  method: 'post',
  path: '/api/meta/pending/{id}/complete',
  tags,
  summary: 'Connect the chosen ad account (or reconnect the destination the login was for)',
  security: SECURITY,
  request: {
    params: PendingParam,
    body: jsonBody(
      z
        .object({
          adAccountId: AdAccountId,
          name: z
            .string()
            .trim()
            .min(1)
            .max(100, 'must be at most 100 characters')
            .optional()
            .openapi({ description: 'Required for a new destination; ignored when reconnecting' }),
        })
        .openapi('CompleteLoginInput'),
    ),
  },
  responses: {
    201: jsonAnswer(DestinationView, 'Connected'),
    ...COMMON_ERRORS,
    ...NOT_FOUND,
    ...CONFLICT,
    ...META_ERROR,
  },
});

export function registerMetaLoginRoutes(app: ApiApp, deps: RouteDeps): void {
  const { ctx } = deps;
  const loginAvailable = () => Boolean(ctx.config.META_APP_ID && ctx.config.META_APP_SECRET);

  app.openapi(config, (c) => c.json({ loginAvailable: loginAvailable() }, 200));

  app.openapi(login, async (c) => {
    try {
      const settings = metaLoginSettings(ctx, deps.publicUrl);
      const reconnect = c.req.valid('query').reconnect ?? null;
      const userId = c.get('principal').user.id;
      return c.redirect(await startMetaLogin(ctx, settings, userId, reconnect), 302);
    } catch (error) {
      return redirectWithError(c, deps, error);
    }
  });

  app.openapi(callback, async (c) => {
    try {
      const settings = metaLoginSettings(ctx, deps.publicUrl);
      const userId = c.get('principal').user.id;
      const id = await finishMetaLogin(ctx, settings, userId, c.req.valid('query'));
      return c.redirect(`${CONNECT_PAGE}?pending=${encodeURIComponent(id)}`, 302);
    } catch (error) {
      return redirectWithError(c, deps, error);
    }
  });

  app.openapi(pending, async (c) => {
    const userId = c.get('principal').user.id;
    const connection = await getPendingConnection(ctx, userId, c.req.valid('param').id);
    return c.json(connection, 200);
  });

  app.openapi(complete, async (c) => {
    const { id } = c.req.valid('param');
    const userId = c.get('principal').user.id;
    const destination = await completeMetaLogin(ctx, userId, id, c.req.valid('json'));
    return c.json(destination, 201);
  });
}

/**
 * These two routes are browser navigations, not API calls: a failure goes back
 * to the web app's connect page with the code and message to show.
 */
function redirectWithError(c: HonoContext<ApiEnv>, deps: RouteDeps, error: unknown) {
  const answer = toErrorAnswer(error);
  if (answer.unexpected) throw error;
  const { code, message } = answer.body.error;
  deps.ctx.log.warn({ requestId: c.get('requestId'), code }, 'Facebook Login failed');
  const target = new URLSearchParams({ error: code, message });
  return c.redirect(`${CONNECT_PAGE}?${target.toString()}`, 302);
}
