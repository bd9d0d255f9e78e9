import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Command } from 'commander';
import { openApp } from '../../app.ts';
import { startBackgroundWork } from '../../jobs/background.ts';
import { createHttpApp } from '../../server/app.ts';
import { ensureAdminUser } from '../../server/auth/users.ts';
import { prepareDemoWorkspace } from '../../server/demo-workspace.ts';
import { makeLogger } from '../../log.ts';
import { globalOptions, UserError } from '../output.ts';

interface ServeOptions {
  port: string;
  host: string;
  worker: boolean;
  concurrency: string;
  demo: boolean;
}

const HELP = `
On an empty database, serve loads a clearly labelled demo workspace: the sample
customers (../shared/data/customers-10000.csv), two audiences and the destination
"Demo Meta (built-in emulator)" on a Meta Graph API emulator that runs inside this
process. Pass --no-demo to start empty. A real Meta connection needs only
META_APP_ID and META_APP_SECRET in the environment (for Facebook Login), or a
system-user token pasted under Connections → Destinations.

Environment:
  SOURCESIBLE_ADMIN_PASSWORD  the admin password (else one is generated and printed once)
  SOURCESIBLE_PUBLIC_URL      the address people open (default http://localhost:<port>),
                              used as Facebook Login's redirect_uri
  DATABASE_URL                PostgreSQL instead of the embedded database
  META_APP_ID, META_APP_SECRET, META_GRAPH_URL, META_LOGIN_URL   Meta settings`;

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('start the web app, the REST API and the sync worker')
    .option('--port <n>', 'port to listen on (0: any free port)', '8080')
    .option('--host <host>', 'address to listen on (0.0.0.0: every interface)', '127.0.0.1')
    .option('--no-worker', 'do not run syncs in this process (another process runs them)')
    .option('--concurrency <n>', 'syncs this process runs at once', '2')
    .option('--demo-workspace', 'load the demo workspace into an empty database (the default)')
    .option('--no-demo', 'start with an empty database instead of the demo workspace')
    .addHelpText('after', HELP)
    .action(async (options: ServeOptions, command: Command) => {
      await runServer(command, options);
    });
}

async function runServer(command: Command, options: ServeOptions): Promise<void> {
  const port = parseWholeNumber(options.port, '--port', 0, 65535);
  const concurrency = parseWholeNumber(options.concurrency, '--concurrency', 1, 64);
  const say = (line: string) => process.stdout.write(`${line}\n`);

  // The CLI keeps its log silent unless asked; a server must still report warnings and errors.
  const level = process.env.LOG_LEVEL === 'silent' ? 'warn' : process.env.LOG_LEVEL;
  const app = await openApp({ ...globalOptions(command), log: makeLogger({ level }) });
  const opened: Array<{ close(): Promise<void> }> = [app];
  const closeAll = async () => {
    for (const part of opened.reverse()) await part.close();
  };

  let server: ReturnType<typeof serve>;
  let background: Awaited<ReturnType<typeof startBackgroundWork>>;
  // With --port 0 the address is known only once listening, hence the function.
  let publicUrl = app.config.SOURCESIBLE_PUBLIC_URL ?? `http://localhost:${port}`;
  try {
    // Printed at once (never logged): should anything below fail, the password is not lost.
    const admin = await ensureAdminUser(app.db, app.config.SOURCESIBLE_ADMIN_PASSWORD);
    if (admin.generatedPassword) {
      say(`Admin account created. Log in as "admin" with the password: ${admin.generatedPassword}`);
      say('It is shown this once. To choose your own, set SOURCESIBLE_ADMIN_PASSWORD and restart.');
      say('');
    }
    if (admin.passwordReset) say('The admin password was reset to SOURCESIBLE_ADMIN_PASSWORD.\n');

    const demo = await prepareDemoWorkspace(app, { load: options.demo, say });
    opened.push(demo);
    for (const note of demo.notes) say(note);

    background = await startBackgroundWork(app, { worker: options.worker, concurrency });
    opened.push({ close: () => background.stop() });

    const http = createHttpApp(app, { publicUrl: () => publicUrl });
    server = await listen(http.fetch, port, options.host);
    if (!app.config.SOURCESIBLE_PUBLIC_URL) {
      publicUrl = `http://localhost:${(server.address() as AddressInfo).port}`;
    }
  } catch (error) {
    await closeAll();
    throw error;
  }

  say('');
  say(`Sourcesible is running at ${publicUrl}`);
  const worker = options.worker ? `on (${concurrency} at once)` : 'off';
  say(`  API reference: ${publicUrl}/api/docs · worker ${worker}`);
  say('  Stop with Ctrl+C.');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`\n${signal}: stopping…`);
    await closeServer(server);
    await closeAll();
    say('Stopped.');
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
    server.once('error', (error: NodeJS.ErrnoException) => {
      const taken = error.code === 'EADDRINUSE';
      const hint = taken ? ` Port ${port} is taken: choose another with --port.` : '';
      reject(new UserError(`Cannot listen on ${hostname}:${port}: ${error.message}.${hint}`));
    });
  });
}

/** Stops accepting connections, lets requests in flight finish, then drops idle keep-alives. */
async function closeServer(server: ReturnType<typeof serve>): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  if ('closeIdleConnections' in server) server.closeIdleConnections();
  const grace = setTimeout(() => {
    if ('closeAllConnections' in server) server.closeAllConnections();
  }, 10_000);
  await closed;
  clearTimeout(grace);
}

function parseWholeNumber(value: string, option: string, min: number, max: number): number {
  const n = Number(value);
  if (value.trim() !== '' && Number.isInteger(n) && n >= min && n <= max) return n;
  throw new UserError(`${option} must be a whole number from ${min} to ${max}, not "${value}".`);
}
