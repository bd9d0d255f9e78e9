import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startMetaEmulator, type MetaEmulator } from '../destinations/meta/emulator/index.ts';
import { bodyOf, openServerTest, type ServerTest } from './testing.ts';

describe('REST API: destinations', () => {
  let t: ServerTest;
  let meta: MetaEmulator;
  let connect: (name: string, headers?: Record<string, string>) => Promise<Response>;

  before(async () => {
    t = await openServerTest();
    meta = await startMetaEmulator();
    connect = (name, headers = {}) =>
      t.call(
        'POST',
        '/api/destinations',
        { name, adAccountId: meta.adAccountId, accessToken: meta.accessToken, graphBaseUrl: meta.url },
        headers,
      );
  });
  after(async () => {
    await meta.close();
    await t.close();
  });

  test('connect checks the token with Meta and answers 201 with the destination, Connected', async () => {
    const response = await connect('Meta main');
    const destination = await bodyOf(response);

    assert.equal(response.status, 201);
    assert.equal(destination.type, 'Facebook Custom Audiences');
    assert.equal(destination.adAccountId, meta.adAccountId);
    assert.equal(destination.adAccountName, 'Sourcesible Emulator Ad Account');
    assert.equal(destination.status, 'Connected');
    assert.equal(destination.syncCount, 0);
    assert.ok(!JSON.stringify(destination).includes(meta.accessToken));

    const listed = await t.json('GET', '/api/destinations');
    assert.deepEqual(listed.map((item: { name: string }) => item.name), ['Meta main']);
  });

  test('a token Meta refuses answers 409 not_connected on the accessToken field and stores nothing', async () => {
    const response = await t.call('POST', '/api/destinations', {
      name: 'Bad token',
      adAccountId: meta.adAccountId,
      accessToken: 'EAAnotAtokenMetaKnows123',
      graphBaseUrl: meta.url,
    });
    const body = await bodyOf(response);

    assert.equal(response.status, 409);
    assert.deepEqual([body.error.code, body.error.field], ['not_connected', 'accessToken']);
    const listed = await t.json('GET', '/api/destinations');
    assert.ok(!listed.some((item: { name: string }) => item.name === 'Bad token'));
  });

  test('an ad account id in the wrong shape answers 400 naming adAccountId', async () => {
    const response = await t.call('POST', '/api/destinations', {
      name: 'Typo',
      adAccountId: 'account 12',
      accessToken: meta.accessToken,
    });

    assert.equal(response.status, 400);
    assert.equal((await bodyOf(response)).error.field, 'adAccountId');
  });

  test('the same Idempotency-Key twice makes one connection and replays the first answer', async () => {
    const headers = { 'idempotency-key': 'connect-once-1' };

    const first = await connect('Meta replayed', headers);
    const second = await connect('Meta replayed', headers);

    assert.equal(first.status, 201);
    assert.equal(second.status, 201);
    assert.equal(second.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(await bodyOf(second), await bodyOf(first));
    const listed = await t.json('GET', '/api/destinations');
    assert.equal(listed.filter((item: { name: string }) => item.name === 'Meta replayed').length, 1);
  });

  test('check records Disconnected with the reason when Meta refuses the token, reconnect restores it', async () => {
    const first = meta.control.issueToken();
    const destination = await t.json('POST', '/api/destinations', {
      name: 'Meta to expire',
      adAccountId: meta.adAccountId,
      accessToken: first,
      graphBaseUrl: meta.url,
    });
    meta.control.expireToken(first);
    const token = meta.control.issueToken();

    const checked = await t.json('POST', `/api/destinations/${destination.id}/check`);
    const reconnected = await t.call('POST', `/api/destinations/${destination.id}/reconnect`, { accessToken: token });
    const view = await bodyOf(reconnected);

    assert.equal(checked.status, 'Disconnected');
    assert.equal(checked.statusReason, 'token_expired');
    assert.ok(checked.statusMessage);
    assert.equal(reconnected.status, 200);
    assert.equal(view.status, 'Connected');
    assert.equal(view.id, destination.id);
    assert.equal(view.statusReason, null);
  });

  test("meta-audiences lists the ad account's CUSTOM audiences page by page", async () => {
    const destination = await bodyOf(await connect('Meta audiences'));
    for (const name of ['Alpha list', 'Beta list', 'Gamma list']) meta.control.createAudienceDirectly(name);

    const first = await t.json('GET', `/api/destinations/${destination.id}/meta-audiences?limit=2`);
    const after = encodeURIComponent(first.nextCursor);
    const second = await t.json('GET', `/api/destinations/${destination.id}/meta-audiences?limit=2&after=${after}`);

    assert.equal(first.data.length, 2);
    assert.ok(first.nextCursor);
    const names = [...first.data, ...second.data].map((audience: { name: string }) => audience.name);
    assert.ok(['Alpha list', 'Beta list', 'Gamma list'].every((name) => names.includes(name)));
    assert.deepEqual(Object.keys(first.data[0]).sort(), [
      'approximateCountLowerBound',
      'approximateCountUpperBound',
      'id',
      'name',
    ]);
  });

  test('name-available says whether the ad account already has an audience of that exact name', async () => {
    const destination = await bodyOf(await connect('Meta names'));
    meta.control.createAudienceDirectly('Taken name');
    const path = `/api/destinations/${destination.id}/meta-audiences/name-available`;
    const ask = (name: string) => t.json('GET', `${path}?name=${encodeURIComponent(name)}`);

    assert.deepEqual(await ask('Taken name'), { available: false });
    assert.deepEqual(await ask('Taken'), { available: true });
  });

  test('asking Meta with a revoked token answers 409 not_connected and marks the destination Disconnected', async () => {
    const token = meta.control.issueToken();
    const response = await t.call('POST', '/api/destinations', {
      name: 'Meta revoked',
      adAccountId: meta.adAccountId,
      accessToken: token,
      graphBaseUrl: meta.url,
    });
    const destination = await bodyOf(response);
    meta.control.revokeToken(token);

    const listing = await t.call('GET', `/api/destinations/${destination.id}/meta-audiences`);
    const after = await t.json('GET', '/api/destinations');

    assert.equal(listing.status, 409);
    assert.equal((await bodyOf(listing)).error.code, 'not_connected');
    assert.equal(after.find((item: { id: number }) => item.id === destination.id).status, 'Disconnected');
  });

  test('delete removes the destination; an unknown id answers 404', async () => {
    const destination = await bodyOf(await connect('Meta to delete'));

    const deleted = await t.call('DELETE', `/api/destinations/${destination.id}`);
    const again = await t.call('DELETE', `/api/destinations/${destination.id}`);

    assert.equal(deleted.status, 204);
    assert.equal(again.status, 404);
  });
});
