import { getCookie } from 'hono/cookie';
import type { MiddlewareHandler } from 'hono';
import { HttpProblem } from '../errors.ts';
import type { ApiEnv, RouteDeps } from '../openapi.ts';
import { findTokenUser } from './api-tokens.ts';
import { safeEqual } from './secrets.ts';
import { findSession } from './sessions.ts';

export const SESSION_COOKIE = 'sourcesible_session';
export const CSRF_HEADER = 'X-CSRF-Token';

// The API's own description is public, as for any documented API; every operation still needs a login.
const PUBLIC_ROUTES = new Set(['POST /api/auth/login', 'GET /api/health', 'GET /api/openapi.json', 'GET /api/docs']);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Lets a request through with a principal, or answers 401/403. A bearer token
 * wins over a cookie; a cookie-authenticated write must echo the session's CSRF
 * token in X-CSRF-Token, which a page on another site cannot read.
 */
export function authenticate(deps: RouteDeps): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    if (PUBLIC_ROUTES.has(`${c.req.method} ${c.req.path.replace(/\/+$/, '')}`)) return next();

    const authorization = c.req.header('authorization');
    if (authorization !== undefined) {
      const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
      const user = token ? await findTokenUser(deps.ctx.db, token) : undefined;
      if (!user) {
        throw unauthorized('The API token is unknown or revoked. Create one under API tokens.');
      }
      c.set('principal', { user, via: 'token' });
      return next();
    }

    const sessionId = getCookie(c, SESSION_COOKIE);
    const session = sessionId ? await findSession(deps.ctx.db, sessionId) : undefined;
    if (!session) {
      throw unauthorized(
        sessionId
          ? 'Your session has expired. Log in again.'
          : 'Log in first, or send an API token as Authorization: Bearer <token>.',
      );
    }

    if (!SAFE_METHODS.has(c.req.method)) {
      const sent = c.req.header(CSRF_HEADER) ?? '';
      if (!safeEqual(sent, session.csrfToken)) {
        throw new HttpProblem(
          403,
          'forbidden',
          `This change needs the ${CSRF_HEADER} header holding the csrfToken from login or /api/auth/me.`,
        );
      }
    }
    c.set('principal', {
      user: session.user,
      via: 'session',
      sessionIdHash: session.idHash,
      csrfToken: session.csrfToken,
    });
    return next();
  };
}

function unauthorized(message: string): HttpProblem {
  return new HttpProblem(401, 'unauthorized', message, {
    headers: { 'WWW-Authenticate': 'Bearer realm="sourcesible"' },
  });
}
