import { sql } from 'kysely';
import { Hono } from 'hono';
import type { Context } from '../app.ts';
import { metrics, renderMetrics } from './metrics.ts';
import { startedJobQueue } from './queue.ts';

const READY_TIMEOUT_MS = 2000;

/**
 * Probes and metrics for whatever runs the service:
 * - GET /healthz: the process is up (200 while it answers at all);
 * - GET /readyz: the database answers and the job queue is started (else 503, with which);
 * - GET /metrics: Prometheus text: runs by outcome, members by change, Graph
 *   requests and errors by code, jobs, queue depth by state and job latency.
 *
 * @example app.route('/', makeOperationsRoutes(ctx))
 */
export function makeOperationsRoutes(ctx: Context): Hono {
  const app = new Hono();

  app.get('/healthz', (c) => c.json({ ok: true }));

  app.get('/readyz', async (c) => {
    const ping = sql`select 1`.execute(ctx.db).then(() => true);
    const database = await withTimeout(ping, READY_TIMEOUT_MS).catch(() => false);
    const queue = startedJobQueue(ctx.db) !== null;
    const ready = database && queue;
    const answer = {
      ready,
      database: database ? 'ok' : 'unreachable',
      queue: queue ? 'started' : 'not started',
    };
    return c.json(answer, ready ? 200 : 503);
  });

  app.get('/metrics', async (c) => {
    const queue = startedJobQueue(ctx.db);
    if (queue) {
      const depth = await withTimeout(queue.depth(), READY_TIMEOUT_MS).catch(() => null);
      const readings = depth?.map((row) => ({ labels: { job: row.job, state: row.state }, value: row.count }));
      if (readings) metrics.queueJobs.reset(readings);
    }
    const type = 'text/plain; version=0.0.4; charset=utf-8';
    return c.text(renderMetrics(), 200, { 'content-type': type });
  });

  return app;
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
