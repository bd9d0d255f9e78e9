import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { makeLogger } from '../log.ts';
import { openTestContext } from '../testing/context.ts';
import { bodyOf, openServerTest, type ServerTest } from './testing.ts';

/** Every route the REST contract names, as the OpenAPI document must list it. */
const CONTRACT_ROUTES = [
  'post /api/auth/login', 'post /api/auth/logout', 'get /api/auth/me',
  'get /api/tokens', 'post /api/tokens', 'delete /api/tokens/{id}',
  'get /api/customers', 'get /api/customers/count', 'get /api/customers/fields',
  'post /api/customers/imports/preview', 'post /api/customers/imports', 'get /api/customers/imports/{id}',
  'post /api/customers/batch',
  'get /api/audiences', 'post /api/audiences', 'get /api/audiences/{id}', 'patch /api/audiences/{id}',
  'delete /api/audiences/{id}', 'post /api/audiences/count', 'post /api/audiences/preview',
  'get /api/destinations', 'post /api/destinations', 'post /api/destinations/{id}/reconnect',
  'post /api/destinations/{id}/check', 'delete /api/destinations/{id}',
  'get /api/destinations/{id}/meta-audiences', 'get /api/destinations/{id}/meta-audiences/name-available',
  'get /api/meta/login', 'get /api/meta/callback', 'get /api/meta/pending/{id}',
  'post /api/meta/pending/{id}/complete',
  'get /api/syncs', 'post /api/syncs', 'get /api/syncs/{id}', 'patch /api/syncs/{id}', 'delete /api/syncs/{id}',
  'post /api/syncs/{id}/runs', 'get /api/syncs/{id}/runs', 'get /api/runs/{id}', 'post /api/syncs/quality-preview',
  'get /api/health',
];

describe('REST API: the OpenAPI document and the reference page', () => {
  let t: ServerTest;

  before(async () => {
    t = await openServerTest();
  });
  after(async () => {
    await t.close();
  });

  test('the OpenAPI 3.1 document lists every route of the contract, with its security', async () => {
    const doc = await t.json('GET', '/api/openapi.json');
    const listed = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method} ${path}`),
    );

    assert.equal(doc.openapi, '3.1.0');
    assert.deepEqual(CONTRACT_ROUTES.filter((route) => !listed.includes(route)), []);
    assert.deepEqual(Object.keys(doc.components.securitySchemes).sort(), ['bearer', 'session']);
    assert.ok(doc.paths['/api/syncs'].post.requestBody.content['application/json'].schema);
    assert.deepEqual(doc.paths['/api/syncs'].post.parameters.map((p: { name: string }) => p.name), ['idempotency-key']);
  });

  test('the document and the reference page are public, while the operations they describe are not', async () => {
    const document = await t.app.request('/api/openapi.json');
    const page = await t.app.request('/api/docs');
    const operation = await t.app.request('/api/syncs');

    assert.equal(document.status, 200);
    assert.equal(page.status, 200);
    assert.equal(operation.status, 401);
  });

  test('the reference page renders the document on the server, with no script at all', async () => {
    const response = await t.call('GET', '/api/docs');
    const page = await response.text();

    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /text\/html/);
    assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    assert.match(page, /<code>\/api\/syncs\/\{id\}\/runs<\/code>/);
    assert.match(page, /Idempotency-Key/i);
    assert.doesNotMatch(page, /<script/i);
    assert.doesNotMatch(page, /https?:\/\/(?!localhost)[a-z]/i);
  });
});

describe('REST API: errors nobody planned for', () => {
  test('answer 500 with a generic message, logged with request id, method, route and duration', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) });
    const base = await openTestContext();
    const t = await openServerTest({ ctx: { ...base, log: makeLogger({ level: 'error', destination: sink }) } });
    try {
      t.app.post('/api/boom', () => {
        throw new Error('constraint broke for ann@example.com, +1 650 555 1212');
      });

      const response = await t.call('POST', '/api/boom', { email: 'body@example.com' });
      const body = await bodyOf(response);

      assert.equal(response.status, 500);
      assert.equal(body.error.code, 'internal');
      assert.doesNotMatch(body.error.message, /constraint|ann@/);
      const entry = JSON.parse(lines.find((line) => line.includes('request failed'))!);
      assert.equal(entry.requestId, response.headers.get('x-request-id'));
      assert.equal(entry.method, 'POST');
      assert.equal(entry.route, '/api/boom');
      assert.equal(typeof entry.durationMs, 'number');
      assert.doesNotMatch(lines.join(''), /ann@example\.com|body@example\.com|650 555 1212/);
      assert.doesNotMatch(lines.join(''), new RegExp(t.token));
    } finally {
      await base.close();
    }
  });
});

describe('the web app beside the API', () => {
  let dir: string;
  let t: ServerTest;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sourcesible-web-'));
    await mkdir(join(dir, 'assets'));
    await writeFile(join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
    await writeFile(join(dir, 'assets', 'app-1a2b.js'), 'console.log(1)');
    t = await openServerTest({ webDir: dir });
  });
  after(async () => {
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('serves built files, fingerprinted assets cached for good', async () => {
    const script = await t.app.request('/assets/app-1a2b.js');

    assert.equal(script.status, 200);
    assert.match(script.headers.get('content-type') ?? '', /javascript/);
    assert.match(script.headers.get('cache-control') ?? '', /immutable/);
    assert.equal(await script.text(), 'console.log(1)');
  });

  test('answers index.html for app paths (deep links), never for /api or a missing asset', async () => {
    const deep = await t.app.request('/activation/syncs/12');
    const api = await t.app.request('/api/unknown', { headers: { authorization: `Bearer ${t.token}` } });
    const asset = await t.app.request('/assets/missing.js');

    assert.equal(deep.status, 200);
    assert.match(await deep.text(), /id="root"/);
    assert.equal(api.status, 404);
    assert.equal((await bodyOf(api)).error.code, 'not_found');
    assert.equal(asset.status, 404);
  });

  test('never serves a file outside the build folder', async () => {
    for (const path of ['/../package.json', '/%2e%2e/package.json', '/assets/..%2f..%2fpackage.json']) {
      const response = await t.app.request(path);
      assert.doesNotMatch(await response.text(), /"name"/, path);
    }
  });

  test('without a build, every page says how to build the web app', async () => {
    const bare = await openServerTest({ ctx: t.ctx, webDir: join(dir, 'nothing-here') });

    const response = await bare.app.request('/');

    assert.equal(response.status, 200);
    assert.match(await response.text(), /npm run build:web/);
  });
});
