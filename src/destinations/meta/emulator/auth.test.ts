import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startMetaEmulator, type MetaEmulator } from './index.ts';
import { call, createTestAudience } from './testing.ts';

describe('meta emulator: access tokens and permissions', () => {
  let meta: MetaEmulator;
  let now = Date.UTC(2026, 0, 15, 12, 0, 0);

  before(async () => {
    meta = await startMetaEmulator({ clock: () => now });
  });
  after(async () => {
    await meta.close();
  });

  test('a call without a token answers 104 with an invalid_request WWW-Authenticate header', async () => {
    const answer = await call(meta, 'GET', '/me', {}, { token: null });

    assert.equal(answer.status, 400);
    assert.equal(answer.body.error.code, 104);
    assert.equal(answer.body.error.type, 'OAuthException');
    const header = answer.headers.get('www-authenticate') ?? '';
    assert.match(header, /^OAuth "Facebook Platform" "invalid_request"/);
  });

  test('an unknown token answers 190 without subcode and an invalid_token header', async () => {
    const answer = await call(meta, 'GET', '/me', {}, { token: 'EAAnotatoken' });

    assert.equal(answer.status, 400);
    assert.equal(answer.body.error.code, 190);
    assert.equal(answer.body.error.error_subcode, undefined);
    assert.match(answer.body.error.fbtrace_id, /^\w+$/);
    assert.match(answer.headers.get('www-authenticate') ?? '', /"invalid_token"/);
  });

  test('the token is checked before the object: a bad token on an unknown audience is 190', async () => {
    const answer = await call(meta, 'POST', '/999/users', { payload: {} }, { token: 'EAAnot' });

    assert.equal(answer.body.error.code, 190);
  });

  test('a token sent as an Authorization bearer header works like access_token', async () => {
    const headers = { authorization: `Bearer ${meta.accessToken}` };

    const response = await fetch(`${meta.url}/v25.0/me`, { headers });

    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as { id: string }).id, '1000000000000003');
  });

  test('any vN.N version prefix and no prefix at all reach the same API', async () => {
    for (const version of ['v19.0', 'v25.0', 'v26.0']) {
      assert.equal((await call(meta, 'GET', '/me', {}, { version })).status, 200, version);
    }
    const bare = await fetch(`${meta.url}/me?access_token=${meta.accessToken}`);
    assert.equal(bare.status, 200);
  });

  test('an expired token answers 190/463 with the expiry time in the message', async () => {
    const token = meta.control.issueToken();
    meta.control.expireToken(token);

    const answer = await call(meta, 'GET', '/me', {}, { token });

    assert.equal(answer.body.error.code, 190);
    assert.equal(answer.body.error.error_subcode, 463);
    const expiry = /^Error validating access token: Session has expired on \w+day, /;
    assert.match(answer.body.error.message, expiry);
    assert.match(answer.headers.get('www-authenticate') ?? '', /"invalid_token"/);
  });

  test('a token past its lifetime expires by the clock alone', async () => {
    const token = meta.control.issueToken(60);
    assert.equal((await call(meta, 'GET', '/me', {}, { token })).status, 200);

    now += 61_000;
    const answer = await call(meta, 'GET', '/me', {}, { token });

    assert.equal(answer.body.error.error_subcode, 463);
  });

  test('a revoked token answers 190/460 by default and 190/458 when the app was removed', async () => {
    const changedPassword = meta.control.issueToken();
    const removedApp = meta.control.issueToken();
    meta.control.revokeToken(changedPassword);
    meta.control.revokeToken(removedApp, 458);

    const first = await call(meta, 'GET', '/me', {}, { token: changedPassword });
    const second = await call(meta, 'GET', '/me', {}, { token: removedApp });

    assert.deepEqual([first.body.error.code, first.body.error.error_subcode], [190, 460]);
    assert.deepEqual([second.body.error.code, second.body.error.error_subcode], [190, 458]);
  });

  test('a declined ads_management blocks writes with 200 and shows in /me/permissions', async () => {
    const id = await createTestAudience(meta, 'Before decline');
    const payload = { schema: 'EXTERN_ID', data: ['x'] };
    meta.control.removePermission('ads_management');
    try {
      const path = `/${meta.adAccountId}/customaudiences`;
      const create = await call(meta, 'POST', path, { name: 'After decline' });
      const upload = await call(meta, 'POST', `/${id}/users`, { payload });
      const permissions = await call(meta, 'GET', '/me/permissions');

      assert.equal(create.body.error.code, 200);
      assert.equal(upload.body.error.code, 200);
      const adsManagement = (item: { permission: string }) => item.permission === 'ads_management';
      const declined = { permission: 'ads_management', status: 'declined' };
      assert.deepEqual(permissions.body.data.find(adsManagement), declined);
    } finally {
      meta.control.grantPermission('ads_management');
    }
    const afterwards = await call(meta, 'GET', `/${id}`, { fields: 'name' });
    assert.equal(afterwards.body.name, 'Before decline');
  });

  test('an app token cannot manage audiences', async () => {
    const token = `${meta.appId}|${meta.appSecret}`;

    const answer = await call(meta, 'GET', `/${meta.adAccountId}/customaudiences`, {}, { token });

    assert.equal(answer.body.error.code, 200);
  });
});

describe('meta emulator: appsecret_proof', () => {
  let meta: MetaEmulator;
  const timedProof = 'd103874f3b5f01f57c4f84edfb96ac94055da8f83c2b45e6f26dafca9188ff4d';

  // The token and secret of the vectors in shared/vectors/payloads.json.
  before(async () => {
    meta = await startMetaEmulator({ accessToken: 'ABC', appSecret: 'dummySecret' });
  });
  after(async () => {
    await meta.close();
  });

  test('accepts the classic proof, HMAC-SHA256 of the token (vector appsecret-proof-classic)', async () => {
    const proof = 'b65114480019ded6a613dfeb8dcc8b3411598ba1405c65c89dc0c360c72a4732';

    const answer = await call(meta, 'GET', '/me', { appsecret_proof: proof });

    assert.equal(answer.status, 200);
  });

  test('accepts the proof over token|appsecret_time (vector appsecret-proof-rudder)', async () => {
    const params = { appsecret_proof: timedProof, appsecret_time: 1697328000 };

    const answer = await call(meta, 'GET', '/me', params);

    assert.equal(answer.status, 200);
  });

  test('refuses a wrong proof with 100 and a message naming appsecret_proof', async () => {
    const params = { appsecret_proof: timedProof, appsecret_time: 1697328001 };

    const wrongTime = await call(meta, 'GET', '/me', params);
    const garbage = await call(meta, 'GET', '/me', { appsecret_proof: 'abc' });

    for (const answer of [wrongTime, garbage]) {
      assert.equal(answer.status, 400);
      assert.equal(answer.body.error.code, 100);
      assert.equal(answer.body.error.type, 'GraphMethodException');
      assert.match(answer.body.error.message, /appsecret_proof/);
    }
  });
});
