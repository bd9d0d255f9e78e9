import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startMetaEmulator, type MetaEmulator } from './index.ts';
import { call, createTestAudience, personRow } from './testing.ts';

const HOUR = 60 * 60 * 1000;
const ACCOUNT = '1000000000000001';

const businessUsage = (headers: Headers) =>
  JSON.parse(headers.get('x-business-use-case-usage') ?? '{}')[ACCOUNT]?.[0];
const accountUsage = (headers: Headers) => JSON.parse(headers.get('x-ad-account-usage') ?? '{}');

describe('meta emulator: usage headers and throttling', () => {
  let meta: MetaEmulator;
  let now = Date.UTC(2026, 5, 1, 10, 0, 0);
  const list = () => call(meta, 'GET', `/${meta.adAccountId}/customaudiences`);

  before(async () => {
    meta = await startMetaEmulator({ clock: () => now, usageBudgetPerHour: 4 });
  });
  after(async () => {
    await meta.close();
  });

  test('audience calls report custom_audience usage keyed by ad account; user calls do not', async () => {
    const audiences = await list();
    const me = await call(meta, 'GET', '/me');

    const usage = JSON.parse(audiences.headers.get('x-business-use-case-usage') ?? '{}');
    assert.deepEqual(Object.keys(usage), [ACCOUNT]);
    assert.equal(usage[ACCOUNT][0].type, 'custom_audience');
    assert.equal(usage[ACCOUNT][0].call_count, 25);
    assert.equal(accountUsage(audiences.headers).acc_id_util_pct, 25);
    assert.equal(me.headers.get('x-business-use-case-usage'), null);
  });

  test('once the hour\'s budget is spent calls fail with 80003 until the hour is over', async () => {
    const audience = meta.control.createAudienceDirectly('Throttled').id;
    const payload = { schema: ['EMAIL', 'PHONE'], data: [personRow(1)] };
    const upload = () => call(meta, 'POST', `/${audience}/users`, { payload });

    const allowed = [await upload(), await upload(), await upload()];
    now += 20 * 60 * 1000;
    const throttled = await upload();
    now += HOUR;
    const later = await upload();

    assert.deepEqual(allowed.map((answer) => answer.status), [200, 200, 200]);
    assert.equal(throttled.status, 400);
    assert.equal(throttled.body.error.code, 80003);
    assert.equal(throttled.body.error.is_transient, true);
    assert.equal(businessUsage(throttled.headers).call_count, 100);
    assert.equal(businessUsage(throttled.headers).estimated_time_to_regain_access, 40);
    assert.equal(later.status, 200);
  });

  test('setUsage(100) throttles the next audience call; a lower figure shows in headers', async () => {
    meta.control.setUsage(100);
    const throttled = await list();
    meta.control.setUsage(50);
    const allowed = await list();

    assert.equal(throttled.body.error.code, 80003);
    assert.equal(accountUsage(allowed.headers).acc_id_util_pct, 75);
  });
});

describe('meta emulator: injected failures', () => {
  let meta: MetaEmulator;

  before(async () => {
    meta = await startMetaEmulator();
  });
  after(async () => {
    await meta.close();
  });

  const upload = (audience: string, n: number) => {
    const payload = { schema: ['EMAIL', 'PHONE'], data: [personRow(n)] };
    return call(meta, 'POST', `/${audience}/users`, { payload });
  };

  test('a transient code 2 fails the next matching calls with 500 and stores nothing', async () => {
    const audience = await createTestAudience(meta);
    meta.control.failNext({
      path: '/*/users',
      count: 2,
      error: { code: 2, message: 'Service temporarily unavailable', is_transient: true },
    });

    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await upload(audience, 1));

    assert.deepEqual(answers.map((answer) => answer.status), [500, 500, 200]);
    assert.deepEqual(answers[0]?.body.error, {
      message: '(#2) Service temporarily unavailable',
      type: 'OAuthException',
      code: 2,
      is_transient: true,
      fbtrace_id: answers[0]?.body.error.fbtrace_id,
    });
    assert.equal(meta.control.rows(audience).length, 1);
  });

  test('a failure planned "after" stores the upload and still answers the error', async () => {
    const audience = await createTestAudience(meta);
    const error = { code: 1, message: 'An unknown error occurred' };
    meta.control.failNext({ path: /\/users$/, when: 'after', error });

    const answer = await upload(audience, 2);

    assert.equal(answer.status, 500);
    assert.equal(answer.body.error.code, 1);
    assert.equal(meta.control.rows(audience).length, 1);
  });

  test('an 803 after create can be injected with its own status, on one method only', async () => {
    const audience = await createTestAudience(meta);
    const message = 'Some of the aliases you requested do not exist: users';
    meta.control.failNext({
      path: `/${audience}/users`,
      method: 'POST',
      error: { status: 404, code: 803, message },
    });

    const payload = { schema: 'EXTERN_ID', data: ['x'] };
    const removal = await call(meta, 'DELETE', `/${audience}/users`, { payload });
    const first = await upload(audience, 3);
    const retry = await upload(audience, 3);

    assert.equal(removal.status, 200);
    assert.equal(first.status, 404);
    assert.equal(first.body.error.message, `(#803) ${message}`);
    assert.equal(retry.status, 200);
  });
});
