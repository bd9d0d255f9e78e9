// First: the server's routes call .openapi() on zod schemas made in src/, which exists only
// once @hono/zod-openapi has extended zod, so it must load before any of those modules.
import '@hono/zod-openapi';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Context } from '../../../src/app.ts';
import {
  startMetaEmulator,
  type MetaEmulator,
} from '../../../src/destinations/meta/emulator/index.ts';
import { startBackgroundWork } from '../../../src/jobs/background.ts';
import { readJobsConfig } from '../../../src/jobs/config.ts';
import { createApiToken } from '../../../src/server/auth/api-tokens.ts';
import { ensureAdminUser } from '../../../src/server/auth/users.ts';
import { createHttpApp } from '../../../src/server/app.ts';
import { openTestContext } from '../../../src/testing/context.ts';
import { DIST_DIR, ensureWebBuild } from './build.ts';

export const ADMIN_PASSWORD = 'browser tests only 1234';

export interface AppServer {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  meta: MetaEmulator;
  ctx: Context;
  /** Calls the REST API with the admin's bearer token; throws unless 2xx. */
  api<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  close(): Promise<void>;
}

/**
 * The real server in this process on an ephemeral 127.0.0.1 port: a fresh
 * database, the admin account, the built web app, and a Meta emulator that the
 * server's Graph API and Facebook Login settings point at.
 */
export async function startAppServer(): Promise<AppServer> {
  await ensureWebBuild();
  const meta = await startMetaEmulator();
  const opened = await openTestContext();
  const ctx: Context = {
    ...opened,
    config: {
      ...opened.config,
      META_GRAPH_URL: meta.url,
      META_LOGIN_URL: meta.url,
      META_APP_ID: meta.appId,
      META_APP_SECRET: meta.appSecret,
    },
  };
  // As `sourcesible serve` does: this process runs the syncs it queues.
  const jobs = readJobsConfig({ SOURCESIBLE_QUEUE_POLL_SECONDS: '0.5' });
  const background = await startBackgroundWork(ctx, { worker: true, concurrency: 2, config: jobs });
  const admin = await ensureAdminUser(ctx.db, ADMIN_PASSWORD);
  const { token } = await createApiToken(ctx.db, admin.user.id, 'browser tests');

  let url = '';
  const app = createHttpApp(ctx, { webDir: DIST_DIR, publicUrl: () => url });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const started = serve(
      { fetch: app.fetch, port: 0, hostname: '127.0.0.1' },
      () => resolve(started),
    );
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };

  return {
    url,
    meta,
    ctx,
    api,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
      await background.stop();
      await meta.close();
      await opened.close();
    },
  };
}

/** Customers and an audience through the API, so a test can start at the wizard. */
export async function seedCustomers(server: AppServer, count = 30): Promise<void> {
  const records = Array.from({ length: count }, (_, index) => ({
    external_id: `c-${index + 1}`,
    email: `person${index + 1}@example.com`,
    phone: `+1 555 010 ${String(1000 + index)}`,
    first_name: `Person${index + 1}`,
    last_name: 'Example',
    country: index % 2 === 0 ? 'Norway' : 'Chile',
  }));
  await server.api('POST', '/api/customers/batch', { key: 'external_id', records });
}

export async function connectEmulatorDestination(
  server: AppServer,
  name = 'Meta ads',
): Promise<{ id: number }> {
  return server.api<{ id: number }>('POST', '/api/destinations', {
    name,
    adAccountId: server.meta.adAccountId,
    accessToken: server.meta.accessToken,
  });
}
