import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { DEMO_SAMPLE_FILE } from '../../server/demo-workspace.ts';

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));

interface Server {
  child: ChildProcess;
  url: string;
  output: () => string;
  exit: Promise<number | null>;
}

/** Starts `sourcesible <global> serve --port 0 <options>` as its own process and waits for its address. */
async function startServe(global: string[], options: string[] = []): Promise<Server> {
  const env = {
    ...process.env,
    LOG_LEVEL: 'warn',
    SOURCESIBLE_ADMIN_PASSWORD: undefined,
    DATABASE_URL: undefined,
  };
  const args = [MAIN, ...global, 'serve', '--port', '0', ...options];
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      stdout += String(chunk);
      const match = /Sourcesible is running at (\S+)/.exec(stdout);
      if (match) resolve(match[1]!);
    });
    child.stderr!.on('data', (chunk) => (stderr += String(chunk)));
    void exit.then((code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
  });
  return { child, url, exit, output: () => stdout };
}

async function stop(server: Server): Promise<number | null> {
  server.child.kill('SIGTERM');
  return server.exit;
}

async function logIn(server: Server, password: string) {
  const response = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password }),
  });
  assert.equal(response.status, 200);
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0]!;
  return async (path: string): Promise<any> => {
    const answer = await fetch(`${server.url}${path}`, { headers: { cookie } });
    return answer.json();
  };
}

describe('sourcesible serve', () => {
  let dataDir: string;
  let password = '';
  let firstEmulator = '';
  const target: string[] = [];
  let schema: string | undefined;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sourcesible-serve-'));
    target.push('--data-dir', dataDir);
    const url = process.env.TEST_DATABASE_URL;
    if (url) {
      schema = `test_serve_${process.pid}`;
      await withClient(url, (client) => client.query(`create schema ${schema}`));
      target.push('--database-url', `${url}?options=${encodeURIComponent(`-c search_path=${schema}`)}`);
    }
  });
  after(async () => {
    await rm(dataDir, { recursive: true, force: true });
    if (!schema) return;
    const drop = `drop schema ${schema} cascade`;
    await withClient(process.env.TEST_DATABASE_URL!, (client) => client.query(drop));
  });

  test('first start: prints the admin password once, loads the demo workspace, stops cleanly on SIGTERM', async () => {
    const server = await startServe(target);
    password = /password: (\S+)/.exec(server.output())?.[1] ?? '';
    assert.ok(password, server.output());

    const get = await logIn(server, password);
    const count = await get('/api/customers/count');
    const audiences = await get('/api/audiences');
    const destinations = await get('/api/destinations');
    const code = await stop(server);

    assert.equal(count.count, existsSync(DEMO_SAMPLE_FILE) ? 10_000 : 0);
    assert.deepEqual(audiences.map((audience: { name: string }) => audience.name).sort(), [
      'Demo: customers in Norway or Chile',
      'Demo: subscribed since 2021',
    ]);
    assert.equal(destinations.length, 1);
    assert.equal(destinations[0].name, 'Demo Meta (built-in emulator)');
    assert.equal(destinations[0].status, 'Connected');
    assert.equal(code, 0);
    assert.match(server.output(), /Stopped\./);
    firstEmulator = destinations[0].graphBaseUrl;
  });

  test('a restart prints no password, keeps the data and points the demo destination at a fresh emulator', async () => {
    const server = await startServe(target);

    const get = await logIn(server, password);
    const count = await get('/api/customers/count');
    const destinations = await get('/api/destinations');
    const code = await stop(server);

    assert.doesNotMatch(server.output(), /password/);
    assert.match(server.output(), /fresh Meta emulator/);
    assert.equal(count.count, existsSync(DEMO_SAMPLE_FILE) ? 10_000 : 0);
    assert.equal(destinations[0].status, 'Connected');
    assert.notEqual(destinations[0].graphBaseUrl, firstEmulator);
    assert.equal(code, 0);
  });

  test('--no-demo leaves an empty database empty', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'sourcesible-serve-empty-'));
    try {
      const server = await startServe(['--data-dir', empty], ['--no-demo']);
      const generated = /password: (\S+)/.exec(server.output())![1]!;

      const get = await logIn(server, generated);
      const destinations = await get('/api/destinations');
      const audiences = await get('/api/audiences');
      await stop(server);

      assert.deepEqual([destinations, audiences], [[], []]);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});

async function withClient(url: string, work: (client: pg.Client) => Promise<unknown>) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}
