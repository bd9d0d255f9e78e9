import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseUsageHeaders } from './usage.ts';

test('usage is null when Meta sends no usage header', () => {
  assert.equal(parseUsageHeaders(new Headers()), null);
});

test('business use case usage gives the highest percent and the wait in milliseconds', () => {
  const headers = new Headers({
    'x-business-use-case-usage': JSON.stringify({
      '123': [
        {
          type: 'custom_audience',
          call_count: 100,
          total_cputime: 12,
          total_time: 40,
          estimated_time_to_regain_access: 3,
        },
        { type: 'ads_management', call_count: 5, total_cputime: 1, total_time: 2 },
      ],
    }),
  });

  const usage = parseUsageHeaders(headers);

  assert.equal(usage?.maxPercent, 100);
  assert.equal(usage?.regainAccessMs, 180_000);
  assert.deepEqual(usage?.businessUseCases[0], {
    businessId: '123',
    type: 'custom_audience',
    callCount: 100,
    totalCputime: 12,
    totalTime: 40,
    regainAccessMs: 180_000,
  });
  assert.equal(usage?.adAccount, null);
});

test('ad account and app usage join the snapshot; a full account score waits for its reset', () => {
  const account = { acc_id_util_pct: 100, reset_time_duration: 45, ads_api_access_tier: 'standard' };
  const headers = new Headers({
    'x-ad-account-usage': JSON.stringify(account),
    'x-app-usage': JSON.stringify({ call_count: 7, total_cputime: 3, total_time: 9 }),
  });

  const usage = parseUsageHeaders(headers);

  assert.deepEqual(usage?.adAccount, { utilPercent: 100, resetTimeMs: 45_000 });
  assert.deepEqual(usage?.app, { callCount: 7, totalCputime: 3, totalTime: 9 });
  assert.equal(usage?.maxPercent, 100);
  assert.equal(usage?.regainAccessMs, 45_000);
});

test('an ad account score below 100 percent announces no wait', () => {
  const headers = new Headers({
    'x-ad-account-usage': JSON.stringify({ acc_id_util_pct: 30, reset_time_duration: 120 }),
  });

  assert.equal(parseUsageHeaders(headers)?.regainAccessMs, 0);
});

test('a usage header that is not JSON is ignored instead of failing the call', () => {
  const headers = new Headers({
    'x-business-use-case-usage': 'not json',
    'x-app-usage': JSON.stringify({ call_count: '12' }),
  });

  const usage = parseUsageHeaders(headers);

  assert.deepEqual(usage?.businessUseCases, []);
  assert.equal(usage?.maxPercent, 12);
});
