import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Command } from 'commander';
import { openApp } from '../../app.ts';
import { startBackgroundWork } from '../../jobs/background.ts';
import { makeOperationsRoutes } from '../../jobs/operations-routes.ts';
import { makeLogger } from '../../log.ts';
import { globalOptions, UserError } from '../output.ts';

interface WorkerOptions {
  concurrency: string;
  httpPort?: string;
  httpHost: string;
  logLevel: string;
}

const HELP = `
A worker takes sync runs, destination checks and webhook deliveries from the job
queue in the database, and schedules interval syncs. Start as many as you like,
on as many machines, against one PostgreSQL (DATABASE_URL): runs of different
syncs proceed in parallel, runs of one sync never overlap. SIGTERM lets each run
finish its batch in flight and record where it stands; the next worker resumes it.

Environment:
  DATABASE_URL                            the shared PostgreSQL
  SOURCESIBLE_SECRET_KEY                  the key tokens are encrypted with (same everywhere)
  SOURCESIBLE_WEBHOOK_URL, _SECRET        post status changes as signed JSON
  SOURCESIBLE_CHECK_INTERVAL_MINUTES      destination and audience checks (default 15)
  SOURCESIBLE_TOKEN_WARNING_DAYS          announce a token expiry this early (default 7)`;

export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('run syncs and checks from the job queue, with no web app')
    .option('--concurrency <n>', 'syncs this process runs at once', '2')
    .option('--http-port <n>', 'serve /healthz, /readyz and /metrics on this port')
    .option('--http-host <host>', 'address for --http-port', '127.0.0.1')
    .option('--log-level <level>', 'fatal, error, warn, info, debug', 'info')
    .addHelpText('after', HELP)
    .action(async (options: WorkerOptions, command: Command) => {
      await runWorker(command, options);
    });
}

async function runWorker(command: Command, options: WorkerOptions): Promise<void> {
  const concurrency = parseWholeNumber(options.concurrency, '--concurrency', 1, 64);
  const httpPort =
    options.httpPort === undefined ? null : parseWholeNumber(options.httpPort, '--http-port', 0, 65535);
  const log = makeLogger({ level: options.logLevel });
  const app = await openApp({ ...globalOptions(command), log });

  let background: Awaited<ReturnType<typeof startBackgroundWork>>;
  let server: ReturnType<typeof serve> | null = null;
  try {
    background = await startBackgroundWork(app, { worker: true, concurrency });
    if (httpPort !== null) {
      server = await listen(makeOperationsRoutes(app).fetch, httpPort, options.httpHost);
    }
  } catch (error) {
    await app.close();
    throw error;
  }
  const port = server ? (server.address() as AddressInfo).port : null;
  const probes = port === null ? '' : ` · probes on ${options.httpHost}:${port}`;
  app.log.info({ concurrency, pid: process.pid }, `worker running${probes}; stop with SIGTERM or Ctrl+C`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'stopping: runs finish their batch in flight');
    await background.stop();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    await app.close();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stop(signal).catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        process.stderr.write(`error while stopping: ${message}\n`);
        process.exitCode = 1;
      });
    });
  }
}

function listen(fetch: Parameters<typeof serve>[0]['fetch'], port: number, hostname: string) {
  return new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const server = serve({ fetch, port, hostname }, () => resolve(server));
    server.once('error', (error: Error) => {
      reject(new UserError(`Cannot listen on ${hostname}:${port}: ${error.message}.`));
    });
  });
}

function parseWholeNumber(value: string, option: string, min: number, max: number): number {
  const n = Number(value);
  if (value.trim() !== '' && Number.isInteger(n) && n >= min && n <= max) return n;
  throw new UserError(`${option} must be a whole number from ${min} to ${max}, not "${value}".`);
}
