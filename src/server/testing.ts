import type { Context } from '../app.ts';
import { openTestContext } from '../testing/context.ts';
import { createApiToken } from './auth/api-tokens.ts';
import { ensureAdminUser } from './auth/users.ts';
import { createHttpApp, type HttpAppOptions } from './app.ts';
import type { ApiApp } from './openapi.ts';

export const TEST_PASSWORD = 'correct horse battery staple';

export interface ServerTest {
  ctx: Context;
  app: ApiApp;
  /** A bearer token of the admin user. */
  token: string;
  /** Calls the app in process with the admin's bearer token and a JSON body. */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  /** call() and the parsed JSON answer, whatever the status. */
  json(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<any>;
  close(): Promise<void>;
}

/** A test database, the admin user with TEST_PASSWORD, an API token and the HTTP app. */
export async function openServerTest(options: HttpAppOptions & { ctx?: Context } = {}): Promise<ServerTest> {
  const opened = options.ctx ? undefined : await openTestContext();
  const ctx = options.ctx ?? opened!;
  const admin = await ensureAdminUser(ctx.db, TEST_PASSWORD);
  const { token } = await createApiToken(ctx.db, admin.user.id, 'tests');
  const app = createHttpApp(ctx, { webDir: '/nonexistent-web-dist', ...options });

  const call: ServerTest['call'] = (method, path, body, headers = {}) =>
      Promise.resolve(
        app.request(path, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...headers,
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        }),
      );
  return {
    ctx,
    app,
    token,
    call,
    json: async (...args) => bodyOf(await call(...args)),
    close: async () => {
      await opened?.close();
    },
  };
}

/** Logs in with the admin's password and returns the cookie header and CSRF token. */
export async function logIn(app: ApiApp, password = TEST_PASSWORD) {
  const response = await app.request('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password }),
  });
  const setCookie = response.headers.get('set-cookie') ?? '';
  const body = (await response.json()) as { csrfToken: string };
  return { cookie: setCookie.split(';')[0]!, csrfToken: body.csrfToken, setCookie, response };
}

/** A response's JSON, typed loosely for assertions. */
export function bodyOf(response: Response): Promise<any> {
  return response.json();
}
