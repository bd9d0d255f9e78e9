import { randomUUID } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getConnInfo } from '@hono/node-server/conninfo';
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { Context as HonoContext } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { routePath } from 'hono/route';
import { secureHeaders } from 'hono/secure-headers';
import type { Context } from '../app.ts';
import { registerEventRoutes } from '../jobs/events-route.ts';
import { makeOperationsRoutes } from '../jobs/operations-routes.ts';
import { authenticate, SESSION_COOKIE } from './auth/middleware.ts';
import { LoginLimiter } from './auth/rate-limit.ts';
import { renderReference } from './docs.ts';
import { HttpProblem, toErrorAnswer } from './errors.ts';
import { jsonAnswer, type ApiApp, type ApiEnv, type RouteDeps } from './openapi.ts';
import { registerAudienceRoutes } from './routes/audiences.ts';
import { registerAuthRoutes } from './routes/auth.ts';
import { registerCustomerRoutes } from './routes/customers.ts';
import { registerDestinationRoutes } from './routes/destinations.ts';
import { registerMetaLoginRoutes } from './routes/meta-login.ts';
import { registerRunRoutes } from './routes/runs.ts';
import { registerSyncRoutes } from './routes/syncs.ts';
import { registerTokenRoutes } from './routes/tokens.ts';
import { serveWebApp } from './static.ts';
import { validationHook } from './validation.ts';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const DEFAULT_WEB_DIR = resolve(REPO_ROOT, 'web/dist');

export interface HttpAppOptions {
  /** The built web app; default web/dist of this checkout. */
  webDir?: string;
  /**
   * The address people open, for Facebook Login's redirect_uri. Default
   * SOURCESIBLE_PUBLIC_URL, else http://localhost:8080. A function is asked at
   * each use, for a server that learns its port after listening.
   */
  publicUrl?: string | (() => string);
  /** The client's address for the login rate limit; default the socket's remote address. */
  clientAddress?: (c: HonoContext) => string;
  /** Failed logins allowed per address per window; default 10 per 15 minutes. */
  loginLimit?: { maxFailures: number; windowMs: number };
}

/**
 * The HTTP side of the service: the REST API under /api (every route documented
 * in the OpenAPI 3.1 document at /api/openapi.json, readable at /api/docs), and
 * the built web app everywhere else.
 *
 *   const app = createHttpApp(ctx, { publicUrl: 'http://localhost:8080' });
 *   serve({ fetch: app.fetch, port: 8080 });        // or app.request('/api/health') in tests
 */
export function createHttpApp(ctx: Context, options: HttpAppOptions = {}): ApiApp {
  const app: ApiApp = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });
  const publicUrl =
    options.publicUrl ?? ctx.config.SOURCESIBLE_PUBLIC_URL ?? 'http://localhost:8080';
  const deps: RouteDeps = {
    ctx,
    loginLimiter: new LoginLimiter(options.loginLimit),
    clientAddress: options.clientAddress ?? socketAddress,
    get publicUrl() {
      return typeof publicUrl === 'function' ? publicUrl() : publicUrl;
    },
  };

  app.use('*', requestLog(ctx));
  // HSTS is the TLS proxy's to set: this server mostly speaks plain HTTP on a private address.
  app.use('*', secureHeaders({ crossOriginEmbedderPolicy: false, strictTransportSecurity: false }));
  app.use('/api/*', authenticate(deps));
  app.use('/api/*', limitBodies());
  app.onError((error, c) => answerError(ctx, c, error));
  app.notFound((c) => {
    const route = `${c.req.method} ${c.req.path}`;
    const message = `There is no route ${route}. The reference is at /api/docs.`;
    return answerError(ctx, c, new HttpProblem(404, 'not_found', message));
  });

  registerHealth(app);
  registerAuthRoutes(app, deps);
  registerTokenRoutes(app, deps);
  registerCustomerRoutes(app, deps);
  registerAudienceRoutes(app, deps);
  registerDestinationRoutes(app, deps);
  registerMetaLoginRoutes(app, deps);
  registerSyncRoutes(app, deps);
  registerRunRoutes(app, deps);
  registerEventRoutes(app, deps);
  registerDocs(app);
  // /healthz, /readyz and /metrics for whatever runs the service: outside /api, no login.
  app.route('/', makeOperationsRoutes(ctx));
  serveWebApp(app, options.webDir ?? DEFAULT_WEB_DIR);
  return app;
}

// JSON bodies are read whole, so they are capped; the customer batch has its own, larger
// cap and CSV uploads are streamed (see multipart.ts), so neither is capped here.
const JSON_BODY_LIMIT = 1024 * 1024;
const UNCAPPED = /^\/api\/customers\/(?:batch|imports)(?:\/|$)/;

function limitBodies() {
  const limit = bodyLimit({ maxSize: JSON_BODY_LIMIT });
  return (c: HonoContext<ApiEnv>, next: () => Promise<void>) =>
    UNCAPPED.test(c.req.path) ? next() : limit(c, next);
}

function registerHealth(app: ApiApp): void {
  const health = createRoute({
    method: 'get',
    path: '/api/health',
    tags: ['Meta'],
    summary: 'Liveness: answers while the server runs',
    responses: { 200: jsonAnswer(z.object({ ok: z.literal(true) }), 'Running') },
  });
  app.openapi(health, (c) => c.json({ ok: true as const }, 200));
}

const DOCUMENT = {
  openapi: '3.1.0',
  info: {
    title: 'Sourcesible Activation API',
    version: '0.1.0',
    description:
      'Keeps customer audiences synced to Meta Custom Audiences. Authenticate with the ' +
      `session cookie (${SESSION_COOKIE}) plus an X-CSRF-Token header on writes, or with ` +
      '`Authorization: Bearer <API token>`. Errors answer {"error": {"code", "message", "field"}}.',
  },
};

function registerDocs(app: ApiApp): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: SESSION_COOKIE,
    description: 'From POST /api/auth/login; writes also need the X-CSRF-Token header.',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API token from POST /api/tokens or `sourcesible tokens create`.',
  });

  let document: ReturnType<ApiApp['getOpenAPI31Document']> | undefined;
  const load = () => (document ??= app.getOpenAPI31Document(DOCUMENT));
  app.get('/api/openapi.json', (c) => c.json(load()));
  app.get('/api/docs', (c) => {
    // The page has no script; inline styles only.
    c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
    return c.html(renderReference(load()));
  });
}

/** One line per request at info (debug for health checks): never a body, a token or a query. */
function requestLog(ctx: Context) {
  return async (c: HonoContext<ApiEnv>, next: () => Promise<void>) => {
    const sent = c.req.header('x-request-id');
    const requestId = sent && /^[A-Za-z0-9._-]{1,64}$/.test(sent) ? sent : randomUUID();
    const started = performance.now();
    c.set('requestId', requestId);
    c.set('startedAt', started);
    c.header('X-Request-Id', requestId);

    await next();

    const fields = {
      requestId,
      method: c.req.method,
      route: routeOf(c),
      status: c.res.status,
      durationMs: Math.round(performance.now() - started),
    };
    if (c.req.path === '/api/health') ctx.log.debug(fields, 'request');
    else ctx.log.info(fields, 'request');
  };
}

function answerError(ctx: Context, c: HonoContext<ApiEnv>, error: unknown) {
  const answer = toErrorAnswer(error);
  if (answer.unexpected) {
    ctx.log.error(
      {
        requestId: c.get('requestId'),
        method: c.req.method,
        route: routeOf(c),
        durationMs: Math.round(performance.now() - (c.get('startedAt') ?? performance.now())),
        err: describeError(error),
      },
      'request failed',
    );
  }
  for (const [name, value] of Object.entries(answer.headers)) c.header(name, value);
  return c.json(answer.body, answer.status);
}

/** The route pattern (`/api/syncs/:id`), not the path: ids out of grouping, queries out of logs. */
function routeOf(c: HonoContext): string {
  try {
    const pattern = routePath(c, -1);
    return pattern === '*' || pattern === '/api/*' ? c.req.path.replace(/\d+/g, ':n') : pattern;
  } catch {
    return 'unknown';
  }
}

// Driver errors can carry row values in their detail; the log gets the kind, message and
// stack, with anything shaped like an email or a phone number blanked.
function describeError(error: unknown) {
  if (!(error instanceof Error)) return { type: typeof error, message: 'a non-error was thrown' };
  return {
    type: error.name,
    code: (error as { code?: unknown }).code,
    message: scrub(error.message),
    stack: error.stack === undefined ? undefined : scrub(error.stack),
  };
}

function scrub(text: string): string {
  return text
    .replace(/[^\s@<>()"',;:]+@[^\s@<>()"',;:]+/g, '[email]')
    .replace(/\+?\d[\d\s().-]{5,}\d/g, '[number]');
}

function socketAddress(c: HonoContext): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
