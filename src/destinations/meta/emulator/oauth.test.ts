import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startMetaEmulator, type MetaEmulator } from './index.ts';
import { call } from './testing.ts';

const REDIRECT = 'http://127.0.0.1:9/oauth/callback';
const HIDDEN_INPUT = /<input type="hidden" name="([^"]+)" value="([^"]*)">/g;
const codes = (answer: { body: any }) => [answer.body.error.code, answer.body.error.error_subcode];

describe('meta emulator: login dialog and tokens', () => {
  let meta: MetaEmulator;
  let now = Date.UTC(2026, 6, 1, 12, 0, 0);

  before(async () => {
    meta = await startMetaEmulator({ clock: () => now });
  });
  after(async () => {
    await meta.close();
  });

  const dialogUrl = (extra: Record<string, string> = {}) => {
    const url = new URL(`${meta.url}/v25.0/dialog/oauth`);
    const params = {
      client_id: meta.appId,
      redirect_uri: REDIRECT,
      state: 'xyz',
      response_type: 'code',
      scope: 'ads_management,ads_read',
      ...extra,
    };
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
    return url;
  };

  /** What a browser does when the person presses a button: post the page's form to its action. */
  const decide = async (decision: 'allow' | 'cancel', extra: Record<string, string> = {}) => {
    const page = await (await fetch(dialogUrl(extra))).text();
    const action = /<form method="post" action="([^"]+)">/.exec(page)?.[1] ?? '';
    const form = new URLSearchParams();
    for (const [, name, value] of page.matchAll(HIDDEN_INPUT)) {
      form.set(name as string, (value as string).replaceAll('&amp;', '&'));
    }
    form.set('decision', decision);

    const init = { method: 'POST', body: form, redirect: 'manual' } as const;
    const response = await fetch(`${meta.url}${action}`, init);
    const location = new URL(response.headers.get('location') ?? 'http://none/');
    return { status: response.status, location };
  };
  const codeFrom = async () => (await decide('allow')).location.searchParams.get('code') ?? '';

  const exchange = (params: Record<string, string>) => {
    const client = { client_id: meta.appId, client_secret: meta.appSecret };
    return call(meta, 'GET', '/oauth/access_token', { ...client, ...params }, { token: null });
  };
  const debug = (input: string, token: string) =>
    call(meta, 'GET', '/debug_token', { input_token: input }, { token });

  test('the dialog page names the requested permissions and offers Allow and Cancel', async () => {
    const response = await fetch(dialogUrl());
    const page = await response.text();

    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /text\/html/);
    assert.match(page, /<code>ads_management<\/code>/);
    assert.match(page, /value="allow">Allow</);
    assert.match(page, /value="cancel">Cancel</);
    assert.match(page, /name="state" value="xyz"/);
  });

  test('the dialog refuses an unknown client_id or a redirect_uri that is not http(s)', async () => {
    const wrongApp = await fetch(dialogUrl({ client_id: '42' }));
    const badRedirect = await fetch(dialogUrl({ redirect_uri: 'javascript:alert(1)' }));

    assert.equal(wrongApp.status, 400);
    assert.match(await wrongApp.text(), /not this emulator&#39;s app id/);
    assert.equal(badRedirect.status, 400);
  });

  test('Allow redirects with code and state, and the code buys a short-lived token', async () => {
    const { status, location } = await decide('allow');
    const code = location.searchParams.get('code') ?? '';

    const token = await exchange({ code, redirect_uri: REDIRECT });
    const me = await call(meta, 'GET', '/me', {}, { token: token.body.access_token });

    assert.equal(status, 302);
    assert.equal(`${location.origin}${location.pathname}`, REDIRECT);
    assert.equal(location.searchParams.get('state'), 'xyz');
    assert.equal(token.status, 200);
    assert.equal(token.body.token_type, 'bearer');
    assert.equal(token.body.expires_in, 7200);
    assert.equal(me.body.id, '1000000000000003');
  });

  test('Cancel redirects with error=access_denied and the state', async () => {
    const { location } = await decide('cancel');

    assert.equal(location.searchParams.get('error'), 'access_denied');
    assert.equal(location.searchParams.get('error_reason'), 'user_denied');
    assert.equal(location.searchParams.get('state'), 'xyz');
    assert.equal(location.searchParams.get('code'), null);
  });

  test('a code works once, only with the dialog\'s redirect_uri, and only for ten minutes', async () => {
    const [reused, mismatched, stale] = [await codeFrom(), await codeFrom(), await codeFrom()];

    await exchange({ code: reused, redirect_uri: REDIRECT });
    const second = await exchange({ code: reused, redirect_uri: REDIRECT });
    const elsewhere = 'http://127.0.0.1:9/elsewhere';
    const wrongRedirect = await exchange({ code: mismatched, redirect_uri: elsewhere });
    now += 11 * 60 * 1000;
    const expired = await exchange({ code: stale, redirect_uri: REDIRECT });

    assert.deepEqual(codes(second), [100, 36009]);
    assert.deepEqual(codes(wrongRedirect), [100, 36008]);
    assert.deepEqual(codes(expired), [100, 36007]);
  });

  test('a wrong client_secret or client_id is refused', async () => {
    const code = await codeFrom();

    const wrongSecret = await exchange({ code, redirect_uri: REDIRECT, client_secret: 'guess' });
    const wrongApp = await exchange({ code, redirect_uri: REDIRECT, client_id: '42' });

    assert.equal(wrongSecret.body.error.message, 'Error validating client secret.');
    assert.equal(wrongApp.body.error.code, 101);
  });

  test('fb_exchange_token trades a valid token for a long-lived one, not an expired one', async () => {
    const shortLived = meta.control.issueToken(3600);
    const expired = meta.control.issueToken(3600);
    meta.control.expireToken(expired);

    const grant = { grant_type: 'fb_exchange_token' };
    const exchanged = await exchange({ ...grant, fb_exchange_token: shortLived });
    const refused = await exchange({ ...grant, fb_exchange_token: expired });

    assert.equal(exchanged.body.expires_in, 5183944);
    assert.notEqual(exchanged.body.access_token, shortLived);
    const me = await call(meta, 'GET', '/me', {}, { token: exchanged.body.access_token });
    assert.equal(me.status, 200);
    assert.deepEqual(codes(refused), [190, 463]);
  });

  test('debug_token describes a valid token and reports an expired one as not valid', async () => {
    const appToken = (await exchange({ grant_type: 'client_credentials' })).body.access_token;
    const expired = meta.control.issueToken();
    meta.control.expireToken(expired);

    const valid = await debug(meta.accessToken, appToken);
    const invalid = await debug(expired, appToken);
    const unknown = await debug('nope', appToken);

    assert.equal(appToken, `${meta.appId}|${meta.appSecret}`);
    const { data } = valid.body;
    assert.equal(data.is_valid, true);
    assert.equal(data.app_id, meta.appId);
    assert.equal(data.type, 'USER');
    assert.equal(data.expires_at, 0);
    assert.ok(data.scopes.includes('ads_management'));
    const adsManagement = (item: { scope: string }) => item.scope === 'ads_management';
    const granular = { scope: 'ads_management', target_ids: ['1000000000000001'] };
    assert.deepEqual(data.granular_scopes.find(adsManagement), granular);
    assert.equal(invalid.body.data.is_valid, false);
    assert.equal(invalid.body.data.error.subcode, 463);
    assert.equal(unknown.body.data.is_valid, false);
  });

  test('logging in again grants back a permission the user had removed', async () => {
    meta.control.removePermission('ads_management');
    const code = await codeFrom();

    await exchange({ code, redirect_uri: REDIRECT });
    const permissions = await call(meta, 'GET', '/me/permissions');

    const granted = { permission: 'ads_management', status: 'granted' };
    const adsManagement = (item: { permission: string }) => item.permission === 'ads_management';
    assert.deepEqual(permissions.body.data.find(adsManagement), granted);
  });

  test('/me/adaccounts lists the seeded ad account with the asked fields', async () => {
    const fields = 'id,account_id,name,account_status,tos_accepted';

    const answer = await call(meta, 'GET', '/me/adaccounts', { fields });

    assert.equal(answer.body.data.length, 1);
    assert.deepEqual(answer.body.data[0], {
      id: 'act_1000000000000001',
      account_id: '1000000000000001',
      name: 'Sourcesible Emulator Ad Account',
      account_status: 1,
      tos_accepted: { custom_audience_tos: 1 },
    });
  });
});
