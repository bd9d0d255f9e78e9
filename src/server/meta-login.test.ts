import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Context } from '../app.ts';
import { startMetaEmulator, type MetaEmulator } from '../destinations/meta/emulator/index.ts';
import { openTestContext } from '../testing/context.ts';
import { bodyOf, openServerTest, type ServerTest } from './testing.ts';

const PUBLIC_URL = 'http://sourcesible.test:8080';
const HIDDEN_INPUT = /<input type="hidden" name="([^"]+)" value="([^"]*)">/g;

describe('REST API: Facebook Login against the Meta emulator', () => {
  let meta: MetaEmulator;
  let base: Context & { close(): Promise<void> };
  let t: ServerTest;

  before(async () => {
    meta = await startMetaEmulator();
    base = await openTestContext();
    const config = {
      ...base.config,
      META_APP_ID: meta.appId,
      META_APP_SECRET: meta.appSecret,
      META_GRAPH_URL: meta.url,
      META_LOGIN_URL: meta.url,
    };
    t = await openServerTest({ ctx: { ...base, config }, publicUrl: PUBLIC_URL });
  });
  after(async () => {
    await meta.close();
    await base.close();
  });

  /** What the browser does: our redirect, Meta's dialog, the person's choice, Meta's redirect back. */
  async function logInWithFacebook(decision: 'allow' | 'cancel', query = ''): Promise<URL> {
    const start = await t.call('GET', `/api/meta/login${query}`);
    assert.equal(start.status, 302);
    const dialog = new URL(start.headers.get('location')!);

    const page = await (await fetch(dialog)).text();
    const action = /<form method="post" action="([^"]+)">/.exec(page)![1]!;
    const form = new URLSearchParams();
    for (const [, name, value] of page.matchAll(HIDDEN_INPUT)) form.set(name!, value!.replaceAll('&amp;', '&'));
    form.set('decision', decision);
    const answer = await fetch(`${meta.url}${action}`, { method: 'POST', body: form, redirect: 'manual' });
    const back = new URL(answer.headers.get('location')!);
    assert.equal(`${back.origin}${back.pathname}`, `${PUBLIC_URL}/api/meta/callback`);

    const callback = await t.call('GET', `${back.pathname}${back.search}`);
    assert.equal(callback.status, 302);
    return new URL(callback.headers.get('location')!, PUBLIC_URL);
  }

  test('login redirects to the dialog with the app id, redirect_uri, state and the ads scopes', async () => {
    const response = await t.call('GET', '/api/meta/login');
    const dialog = new URL(response.headers.get('location')!);

    assert.equal(response.status, 302);
    assert.equal(`${dialog.origin}${dialog.pathname}`, `${meta.url}/v25.0/dialog/oauth`);
    assert.equal(dialog.searchParams.get('client_id'), meta.appId);
    assert.equal(dialog.searchParams.get('redirect_uri'), `${PUBLIC_URL}/api/meta/callback`);
    assert.equal(dialog.searchParams.get('scope'), 'ads_management,ads_read,business_management');
    assert.equal(dialog.searchParams.get('response_type'), 'code');
    assert.match(dialog.searchParams.get('state') ?? '', /^[A-Za-z0-9_-]{43}$/);
  });

  test('the whole flow: dialog, code, long-lived token, ad account choice, a Connected destination', async () => {
    const connectPage = await logInWithFacebook('allow');
    const pendingId = connectPage.searchParams.get('pending')!;

    assert.equal(connectPage.pathname, '/destinations/connect');
    const pending = await t.json('GET', `/api/meta/pending/${pendingId}`);
    assert.deepEqual(pending.adAccounts, [
      { id: meta.adAccountId, name: 'Sourcesible Emulator Ad Account', accountStatus: 1 },
    ]);
    assert.equal(pending.reconnectDestinationId, null);

    const completed = await t.call('POST', `/api/meta/pending/${pendingId}/complete`, {
      adAccountId: meta.adAccountId,
      name: 'Meta via Facebook Login',
    });
    const destination = await bodyOf(completed);
    assert.equal(completed.status, 201);
    assert.equal(destination.status, 'Connected');
    assert.equal(destination.adAccountId, meta.adAccountId);

    const exchanges = meta.control
      .requests()
      .filter((request) => request.path.endsWith('/oauth/access_token'))
      .map((request) => (request.query as Record<string, string>).grant_type ?? 'code');
    assert.deepEqual(exchanges.slice(-2), ['code', 'fb_exchange_token']);
    const audiences = await t.call('GET', `/api/destinations/${destination.id}/meta-audiences`);
    assert.equal(audiences.status, 200);

    const again = await t.json('POST', `/api/meta/pending/${pendingId}/complete`, {
      adAccountId: meta.adAccountId,
      name: 'Meta via Facebook Login',
    });
    assert.equal(again.id, destination.id);
  });

  test('reconnect through Facebook Login keeps the destination and its id', async () => {
    const connectPage = await logInWithFacebook('allow');
    const pendingId = connectPage.searchParams.get('pending')!;
    const destination = await t.json('POST', `/api/meta/pending/${pendingId}/complete`, {
      adAccountId: meta.adAccountId,
      name: 'Meta to reconnect',
    });
    meta.control.removePermission('ads_management');
    const broken = await t.json('POST', `/api/destinations/${destination.id}/check`);
    meta.control.grantPermission('ads_management');

    const again = await logInWithFacebook('allow', `?reconnect=${destination.id}`);
    const pending = await t.json('GET', `/api/meta/pending/${again.searchParams.get('pending')}`);
    const reconnected = await t.json('POST', `/api/meta/pending/${pending.id}/complete`, {
      adAccountId: meta.adAccountId,
    });

    assert.equal(broken.status, 'Disconnected');
    assert.equal(broken.statusReason, 'permission_missing');
    assert.equal(pending.reconnectDestinationId, destination.id);
    assert.equal(reconnected.id, destination.id);
    assert.equal(reconnected.status, 'Connected');
  });

  test('Cancel in the dialog comes back to the connect page with the reason, connecting nothing', async () => {
    const before = await t.json('GET', '/api/destinations');

    const connectPage = await logInWithFacebook('cancel');

    assert.equal(connectPage.pathname, '/destinations/connect');
    assert.equal(connectPage.searchParams.get('error'), 'not_connected');
    assert.match(connectPage.searchParams.get('message') ?? '', /cancelled/);
    assert.equal((await t.json('GET', '/api/destinations')).length, before.length);
  });

  test('a callback whose state was not issued here is refused, never exchanged', async () => {
    const requestsBefore = meta.control.requests().length;

    const response = await t.call('GET', '/api/meta/callback?code=stolen&state=forged-state');
    const target = new URL(response.headers.get('location')!, PUBLIC_URL);

    assert.equal(response.status, 302);
    assert.equal(target.searchParams.get('error'), 'invalid_input');
    assert.equal(meta.control.requests().length, requestsBefore);
  });

  test('a state is good for one callback only', async () => {
    const start = await t.call('GET', '/api/meta/login');
    const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
    await t.call('GET', `/api/meta/callback?error=access_denied&state=${state}`);

    const replay = await t.call('GET', `/api/meta/callback?code=abc&state=${state}`);

    assert.equal(new URL(replay.headers.get('location')!, PUBLIC_URL).searchParams.get('error'), 'invalid_input');
  });

  test('completing with an ad account the login cannot reach answers 400 naming adAccountId', async () => {
    const connectPage = await logInWithFacebook('allow');

    const response = await t.call('POST', `/api/meta/pending/${connectPage.searchParams.get('pending')}/complete`, {
      adAccountId: 'act_42',
      name: 'Elsewhere',
    });

    assert.equal(response.status, 400);
    assert.equal((await bodyOf(response)).error.field, 'adAccountId');
  });

  test('an unknown pending connection answers 404', async () => {
    const response = await t.call('GET', '/api/meta/pending/nope');

    assert.equal(response.status, 404);
  });

  test('config says Facebook Login is available when the app credentials are set', async () => {
    assert.deepEqual(await t.json('GET', '/api/meta/config'), { loginAvailable: true });
  });
});

describe('REST API: Facebook Login without app credentials', () => {
  test('config says unavailable and login goes back to the connect page saying what to set', async () => {
    const t = await openServerTest();
    try {
      const config = await t.json('GET', '/api/meta/config');
      const response = await t.call('GET', '/api/meta/login');
      const target = new URL(response.headers.get('location')!, 'http://localhost');

      assert.deepEqual(config, { loginAvailable: false });
      assert.equal(response.status, 302);
      assert.equal(target.pathname, '/destinations/connect');
      assert.match(target.searchParams.get('message') ?? '', /META_APP_ID and META_APP_SECRET/);
    } finally {
      await t.close();
    }
  });
});
