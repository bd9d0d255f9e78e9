import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bodyOf, logIn, openServerTest, TEST_PASSWORD, type ServerTest } from './testing.ts';

describe('REST API authentication', () => {
  let t: ServerTest;

  before(async () => {
    t = await openServerTest({
      loginLimit: { maxFailures: 3, windowMs: 60_000 },
      clientAddress: (c) => c.req.header('x-test-client') ?? 'default',
    });
  });
  after(async () => {
    await t.close();
  });

  test('health answers without authentication', async () => {
    const response = await t.app.request('/api/health');

    assert.equal(response.status, 200);
    assert.deepEqual(await bodyOf(response), { ok: true });
  });

  test('a route called without a cookie or a token answers 401 unauthorized', async () => {
    const response = await t.app.request('/api/syncs');
    const body = await bodyOf(response);

    assert.equal(response.status, 401);
    assert.equal(body.error.code, 'unauthorized');
    assert.equal(body.error.field, null);
  });

  test('an unknown or malformed Authorization header answers 401', async () => {
    const unknown = await t.app.request('/api/syncs', { headers: { authorization: 'Bearer ssbl_nope' } });
    const malformed = await t.app.request('/api/syncs', { headers: { authorization: 'Basic abc' } });

    assert.equal(unknown.status, 401);
    assert.equal((await bodyOf(unknown)).error.code, 'unauthorized');
    assert.equal(malformed.status, 401);
  });

  test('a bearer token works for reads and writes without any CSRF token', async () => {
    const read = await t.call('GET', '/api/audiences');
    const write = await t.call('POST', '/api/audiences', { name: 'Bearer made', rule: { all: [] } });

    assert.equal(read.status, 200);
    assert.equal(write.status, 201);
  });

  test('login sets an HttpOnly, SameSite=Lax session cookie on / and returns a CSRF token', async () => {
    const { setCookie, csrfToken, response } = await logIn(t.app);

    assert.equal(response.status, 200);
    assert.match(setCookie, /^sourcesible_session=[A-Za-z0-9_-]{40,};/);
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /SameSite=Lax/);
    assert.match(setCookie, /Path=\//);
    assert.doesNotMatch(setCookie, /Secure/);
    assert.ok(csrfToken.length >= 40);
  });

  test('the session cookie is Secure when the browser talks HTTPS through a proxy', async () => {
    const response = await t.app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' },
      body: JSON.stringify({ username: 'admin', password: TEST_PASSWORD }),
    });

    assert.match(response.headers.get('set-cookie') ?? '', /Secure/);
  });

  test('a cookie authenticates reads; /me returns the user and the same CSRF token', async () => {
    const { cookie, csrfToken } = await logIn(t.app);

    const me = await t.app.request('/api/auth/me', { headers: { cookie } });

    assert.equal(me.status, 200);
    assert.deepEqual(await bodyOf(me), { user: { username: 'admin' }, csrfToken });
  });

  test('a cookie-authenticated write without the CSRF token answers 403 forbidden', async () => {
    const { cookie } = await logIn(t.app);
    const request = (headers: Record<string, string>) =>
      t.app.request('/api/audiences', {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ name: `CSRF ${Math.random()}`, rule: { all: [] } }),
      });

    const missing = await request({});
    const wrong = await request({ 'x-csrf-token': 'not-the-token' });

    assert.equal(missing.status, 403);
    assert.equal((await bodyOf(missing)).error.code, 'forbidden');
    assert.equal(wrong.status, 403);
  });

  test('a cookie-authenticated write with the CSRF token goes through', async () => {
    const { cookie, csrfToken } = await logIn(t.app);

    const response = await t.app.request('/api/audiences', {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json', 'x-csrf-token': csrfToken },
      body: JSON.stringify({ name: 'Cookie made', rule: { all: [] } }),
    });

    assert.equal(response.status, 201);
  });

  test('logout ends the session: the cookie no longer authenticates', async () => {
    const { cookie, csrfToken } = await logIn(t.app);

    const headers = { cookie, 'x-csrf-token': csrfToken };

    const out = await t.app.request('/api/auth/logout', { method: 'POST', headers });
    const after = await t.app.request('/api/auth/me', { headers: { cookie } });

    assert.equal(out.status, 204);
    assert.match(out.headers.get('set-cookie') ?? '', /sourcesible_session=;/);
    assert.equal(after.status, 401);
  });

  test('a wrong password answers 401 naming the password field, with no cookie', async () => {
    const response = await t.app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-test-client': 'typo' },
      body: JSON.stringify({ username: 'admin', password: 'wrong' }),
    });
    const body = await bodyOf(response);

    assert.equal(response.status, 401);
    assert.deepEqual(body.error, {
      code: 'unauthorized',
      message: 'Wrong username or password.',
      field: 'password',
    });
    assert.equal(response.headers.get('set-cookie'), null);
  });

  test('after too many failed logins from one address, even the right password waits (429)', async () => {
    const attempt = (password: string, client: string) =>
      t.app.request('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-test-client': client },
        body: JSON.stringify({ username: 'admin', password }),
      });
    for (let i = 0; i < 3; i++) assert.equal((await attempt('guess', 'attacker')).status, 401);

    const blocked = await attempt(TEST_PASSWORD, 'attacker');
    const elsewhere = await attempt(TEST_PASSWORD, 'someone-else');

    assert.equal(blocked.status, 429);
    assert.ok(Number(blocked.headers.get('retry-after')) > 0);
    assert.equal(elsewhere.status, 200);
  });

  test('an unknown username is refused like a wrong password', async () => {
    const response = await t.app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-test-client': 'unknown-user' },
      body: JSON.stringify({ username: 'mallory', password: TEST_PASSWORD }),
    });

    assert.equal(response.status, 401);
    assert.equal((await bodyOf(response)).error.message, 'Wrong username or password.');
  });

  test('API tokens: created once in clear, listed without the secret, revoked tokens stop working', async () => {
    const created = await t.call('POST', '/api/tokens', { name: 'nightly export' });
    const minted = await bodyOf(created);
    const listed = await t.json('GET', '/api/tokens');

    assert.equal(created.status, 201);
    assert.match(minted.token, /^ssbl_/);
    const entry = listed.find((token: { id: number }) => token.id === minted.id);
    assert.deepEqual(Object.keys(entry).sort(), ['createdAt', 'id', 'lastUsedAt', 'name']);

    const usable = await t.app.request('/api/syncs', { headers: { authorization: `Bearer ${minted.token}` } });
    const revoked = await t.call('DELETE', `/api/tokens/${minted.id}`);
    const refused = await t.app.request('/api/syncs', { headers: { authorization: `Bearer ${minted.token}` } });

    assert.equal(usable.status, 200);
    assert.equal(revoked.status, 204);
    assert.equal(refused.status, 401);
    const used = (await t.json('GET', '/api/tokens')).find((token: { id: number }) => token.id === minted.id);
    assert.equal(used, undefined);
  });

  test('a token records when it was last used', async () => {
    const minted = await t.json('POST', '/api/tokens', { name: 'probe' });

    const before = (await t.json('GET', '/api/tokens')).find((token: { id: number }) => token.id === minted.id);
    await t.app.request('/api/customers/count', { headers: { authorization: `Bearer ${minted.token}` } });
    const after = (await t.json('GET', '/api/tokens')).find((token: { id: number }) => token.id === minted.id);

    assert.equal(before.lastUsedAt, null);
    assert.notEqual(after.lastUsedAt, null);
  });

  test('the database keeps digests only: no token or session id in clear', async () => {
    const { cookie } = await logIn(t.app);
    const sessionId = cookie.split('=')[1]!;

    const tokens = await t.ctx.db.selectFrom('api_tokens').select('token_hash').execute();
    const sessions = await t.ctx.db.selectFrom('sessions').select('id_hash').execute();
    const users = await t.ctx.db.selectFrom('users').select('password_hash').execute();

    assert.ok(tokens.every((row) => row.token_hash !== t.token && /^[0-9a-f]{64}$/.test(row.token_hash)));
    assert.ok(sessions.every((row) => row.id_hash !== sessionId));
    assert.match(users[0]!.password_hash, /^scrypt\$32768\$8\$1\$/);
    assert.ok(!users[0]!.password_hash.includes(TEST_PASSWORD));
  });
});
