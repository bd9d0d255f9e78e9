import { createRoute, z } from '@hono/zod-openapi';
import type { Context as HonoContext } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { SESSION_COOKIE } from '../auth/middleware.ts';
import { createSession, deleteSession, SESSION_TTL_MS } from '../auth/sessions.ts';
import { checkLogin } from '../auth/users.ts';
import { HttpProblem } from '../errors.ts';
import {
  COMMON_ERRORS,
  jsonAnswer,
  jsonBody,
  SECURITY,
  type ApiApp,
  type ApiEnv,
  type RouteDeps,
} from '../openapi.ts';
import { ErrorBody, SessionInfo } from '../schemas.ts';

const LoginInput = z
  .object({
    username: z.string().trim().min(1, 'is required').max(100),
    password: z.string().min(1, 'is required').max(1000),
  })
  .openapi('LoginInput');

const login = createRoute({
  method: 'post',
  path: '/api/auth/login',
  tags: ['Auth'],
  summary: 'Log in: sets the session cookie and returns the CSRF token for writes',
  request: { body: jsonBody(LoginInput) },
  responses: {
    200: jsonAnswer(SessionInfo, 'Logged in'),
    400: COMMON_ERRORS[400],
    401: jsonAnswer(ErrorBody, 'Wrong username or password'),
    429: jsonAnswer(ErrorBody, 'Too many failed logins from this address; see Retry-After'),
  },
});

const logout = createRoute({
  method: 'post',
  path: '/api/auth/logout',
  tags: ['Auth'],
  summary: 'End this session',
  security: SECURITY,
  responses: { 204: { description: 'Logged out' }, ...COMMON_ERRORS },
});

const me = createRoute({
  method: 'get',
  path: '/api/auth/me',
  tags: ['Auth'],
  summary: 'Who is logged in, and the CSRF token for writes',
  security: SECURITY,
  responses: { 200: jsonAnswer(SessionInfo, 'The session'), ...COMMON_ERRORS },
});

export function registerAuthRoutes(app: ApiApp, deps: RouteDeps): void {
  app.openapi(login, async (c) => {
    const client = deps.clientAddress(c);
    const waitMs = deps.loginLimiter.retryAfterMs(client);
    if (waitMs > 0) {
      const minutes = Math.ceil(waitMs / 60_000);
      const wait = `${minutes} minute${minutes === 1 ? '' : 's'}`;
      throw new HttpProblem(
        429,
        'forbidden',
        `Too many failed logins from your address. Try again in ${wait}.`,
        { headers: { 'Retry-After': String(Math.ceil(waitMs / 1000)) } },
      );
    }

    const { username, password } = c.req.valid('json');
    const user = await checkLogin(deps.ctx.db, username, password);
    if (!user) {
      deps.loginLimiter.recordFailure(client);
      deps.ctx.log.warn({ requestId: c.get('requestId') }, 'login refused');
      const message = 'Wrong username or password.';
      throw new HttpProblem(401, 'unauthorized', message, { field: 'password' });
    }

    deps.loginLimiter.reset(client);
    const session = await createSession(deps.ctx.db, user.id);
    setCookie(c, SESSION_COOKIE, session.id, {
      httpOnly: true,
      sameSite: 'Lax',
      path: '/',
      secure: isHttps(c, deps.publicUrl),
      maxAge: Math.floor(SESSION_TTL_MS / 1000),
    });
    deps.ctx.log.info({ requestId: c.get('requestId'), userId: user.id }, 'user logged in');
    return c.json({ user: { username: user.username }, csrfToken: session.csrfToken }, 200);
  });

  app.openapi(logout, async (c) => {
    const principal = c.get('principal');
    if (principal.sessionIdHash) await deleteSession(deps.ctx.db, principal.sessionIdHash);
    deleteCookie(c, SESSION_COOKIE, { path: '/', secure: isHttps(c, deps.publicUrl) });
    return c.body(null, 204);
  });

  app.openapi(me, (c) => {
    const principal = c.get('principal');
    const user = { username: principal.user.username };
    return c.json({ user, csrfToken: principal.csrfToken ?? '' }, 200);
  });
}

/** The cookie gets Secure when the browser talks HTTPS, directly or through a TLS proxy. */
function isHttps(c: HonoContext<ApiEnv>, publicUrl: string): boolean {
  return (
    new URL(c.req.url).protocol === 'https:' ||
    c.req.header('x-forwarded-proto')?.split(',')[0]?.trim() === 'https' ||
    publicUrl.startsWith('https:')
  );
}
