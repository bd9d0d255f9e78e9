import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startMetaEmulator, type MetaEmulator } from '../destinations/meta/emulator/index.ts';
import { runQueuedJobs } from '../jobs/testing.ts';
import { putCustomers } from '../testing/sync-setup.ts';
import { bodyOf, openServerTest, type ServerTest } from './testing.ts';

describe('REST API: syncs and runs', () => {
  let t: ServerTest;
  let meta: MetaEmulator;
  let audienceId: number;
  let destinationId: number;
  let seq = 0;

  /** A valid create body with a name (and Meta audience name) of its own. */
  const syncInput = (overrides: Record<string, unknown> = {}) => {
    seq += 1;
    return {
      name: `Sync ${seq}`,
      audienceIds: [audienceId],
      destinationId,
      metaAudience: { mode: 'create', name: `Meta audience ${seq}` },
      mapping: [
        { source: 'email', destination: 'EMAIL' },
        { source: 'phone', destination: 'PHONE' },
        { source: null, destination: 'MADID' },
        { source: null, destination: 'APPUID' },
      ],
      ...overrides,
    };
  };
  const audienceCreations = () =>
    meta.control
      .requests(200)
      .filter((request) => request.method === 'POST' && request.path.endsWith('/customaudiences'))
      .length;

  before(async () => {
    t = await openServerTest();
    meta = await startMetaEmulator();
    await putCustomers(t.ctx, [
      { key: 'c1', email: 'ann@example.com', phone: '+47 412 34 567', country: 'Norway' },
      { key: 'c2', email: 'bo@example.com', country: 'Norway' },
    ]);
    audienceId = (await t.json('POST', '/api/audiences', { name: 'Everyone', rule: { all: [] } })).id;
    destinationId = (
      await t.json('POST', '/api/destinations', {
        name: 'Meta',
        adAccountId: meta.adAccountId,
        accessToken: meta.accessToken,
        graphBaseUrl: meta.url,
      })
    ).id;
  });
  after(async () => {
    await runQueuedJobs(t.ctx);
    await meta.close();
    await t.close();
  });

  test('create answers 201 with the sync and queues its initial audience export', async () => {
    const input = syncInput({ description: 'Weekly', defaultCountry: 'no', schedule: { type: 'manual' } });

    const response = await t.call('POST', '/api/syncs', input);
    const sync = await bodyOf(response);
    await runQueuedJobs(t.ctx);
    const after = await t.json('GET', `/api/syncs/${sync.id}`);

    assert.equal(response.status, 201);
    assert.equal(sync.name, input.name);
    assert.equal(sync.description, 'Weekly');
    assert.deepEqual(sync.audiences, [{ id: audienceId, name: 'Everyone', deleted: false }]);
    assert.equal(sync.destination.id, destinationId);
    assert.deepEqual(sync.mapping, [
      { source: 'email', destination: 'EMAIL' },
      { source: 'phone', destination: 'PHONE' },
    ]);
    assert.equal(sync.hashPii, true);
    assert.equal(sync.defaultCountry, 'no');
    assert.equal(after.status, 'Synced');
    assert.equal(after.lastRun.added, 2);
    assert.match(after.metaAudience.id, /^\d+$/);
    const size = meta.control.inspectAudience(after.metaAudience.id).count;
    assert.equal(size, 2);
    assert.equal(typeof after.metaAudience.approximateCountLowerBound, 'number');
  });

  test('a name over 50 characters answers 400 naming the name field', async () => {
    const response = await t.call('POST', '/api/syncs', syncInput({ name: 'x'.repeat(51) }));
    const body = await bodyOf(response);

    assert.equal(response.status, 400);
    assert.deepEqual([body.error.code, body.error.field], ['invalid_input', 'name']);
    assert.match(body.error.message, /at most 50 characters/);
  });

  test('a mapping without an identifier answers 400 naming the mapping', async () => {
    const response = await t.call('POST', '/api/syncs', syncInput({ mapping: [{ source: 'first_name', destination: 'FN' }] }));
    const body = await bodyOf(response);

    assert.equal(response.status, 400);
    assert.equal(body.error.field, 'mapping');
  });

  test('a wrong value deep in the body names its path, e.g. mapping.0.destination', async () => {
    const response = await t.call('POST', '/api/syncs', syncInput({ mapping: [{ source: 'email', destination: 'MAIL' }] }));

    assert.equal((await bodyOf(response)).error.field, 'mapping.0.destination');
  });

  test('a Meta audience name already in the ad account answers 409 on metaAudience.name', async () => {
    meta.control.createAudienceDirectly('Already there');

    const input = syncInput({ metaAudience: { mode: 'create', name: 'Already there' } });

    const response = await t.call('POST', '/api/syncs', input);
    const body = await bodyOf(response);

    assert.equal(response.status, 409);
    assert.deepEqual([body.error.code, body.error.field], ['conflict', 'metaAudience.name']);
  });

  test('a body that is not JSON answers 400 invalid_input', async () => {
    const response = await t.call('POST', '/api/syncs', undefined, { 'content-type': 'application/json' });
    const broken = await t.app.request('/api/syncs', {
      method: 'POST',
      headers: { authorization: `Bearer ${t.token}`, 'content-type': 'application/json' },
      body: '{"name": ',
    });

    assert.equal(response.status, 400);
    assert.equal(broken.status, 400);
    assert.equal((await bodyOf(broken)).error.code, 'invalid_input');
  });

  test('get, list, patch and delete', async () => {
    const sync = await t.json('POST', '/api/syncs', syncInput());

    const patched = await t.call('PATCH', `/api/syncs/${sync.id}`, {
      description: 'Edited',
      schedule: { type: 'interval', every: 2, unit: 'hours', timeZone: 'Europe/Oslo' },
    });
    const view = await bodyOf(patched);
    const listed = await t.json('GET', '/api/syncs');
    const deleted = await t.call('DELETE', `/api/syncs/${sync.id}`);
    const gone = await t.call('GET', `/api/syncs/${sync.id}`);

    assert.equal(patched.status, 200);
    assert.equal(view.description, 'Edited');
    assert.deepEqual(view.schedule, {
      type: 'interval', every: 2, unit: 'hours', startAt: null, timeZone: 'Europe/Oslo', everyMinutes: 120,
    });
    assert.ok(listed.some((item: { id: number }) => item.id === sync.id));
    assert.equal(deleted.status, 204);
    assert.equal(gone.status, 404);
  });

  test('pause stops the schedule (no next run) and resume starts it again', async () => {
    const sync = await t.json('POST', '/api/syncs', syncInput({ schedule: { type: 'interval', every: 1, unit: 'hours' } }));

    const paused = await t.json('POST', `/api/syncs/${sync.id}/pause`);
    const resumed = await t.json('POST', `/api/syncs/${sync.id}/resume`);

    assert.notEqual(sync.nextRunAt, null);
    assert.deepEqual([paused.paused, paused.nextRunAt], [true, null]);
    assert.equal(resumed.paused, false);
    assert.notEqual(resumed.nextRunAt, null);
  });

  test('Sync now queues a run (202); a second while one is queued answers 409 already_running', async () => {
    const sync = await t.json('POST', '/api/syncs', syncInput());
    await runQueuedJobs(t.ctx);

    const first = await t.call('POST', `/api/syncs/${sync.id}/runs`);
    const second = await t.call('POST', `/api/syncs/${sync.id}/runs`);
    await runQueuedJobs(t.ctx);
    const runs = await t.json('GET', `/api/syncs/${sync.id}/runs?limit=10`);
    const detail = await t.json('GET', `/api/runs/${runs[0].id}`);

    assert.equal(first.status, 202);
    assert.deepEqual(await bodyOf(first), { status: 'queued' });
    assert.equal(second.status, 409);
    assert.equal((await bodyOf(second)).error.code, 'already_running');
    assert.equal(runs.length, 2);
    assert.ok(runs.every((run: { status: string }) => run.status === 'succeeded'));
    assert.equal(detail.id, runs[0].id);
    assert.ok(Array.isArray(detail.batches));
  });

  test('the same Idempotency-Key twice: one sync, one Meta audience, the first answer replayed', async () => {
    const input = syncInput();
    const headers = { 'idempotency-key': 'finish-clicked-twice' };
    const before = audienceCreations();

    const first = await t.call('POST', '/api/syncs', input, headers);
    const second = await t.call('POST', '/api/syncs', input, headers);
    await runQueuedJobs(t.ctx);

    assert.equal(first.status, 201);
    assert.equal(second.status, 201);
    assert.equal(second.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(await bodyOf(second), await bodyOf(first));
    const named = (await t.json('GET', '/api/syncs')).filter((sync: { name: string }) => sync.name === input.name);
    assert.equal(named.length, 1);
    assert.equal(audienceCreations() - before, 1);
  });

  test('concurrent requests with one Idempotency-Key create one sync and answer alike', async () => {
    const input = syncInput();
    const headers = { 'idempotency-key': 'finish-raced' };

    const answers = await Promise.all([1, 2, 3].map(() => t.call('POST', '/api/syncs', input, headers)));
    const bodies = await Promise.all(answers.map(bodyOf));

    assert.deepEqual(answers.map((answer) => answer.status), [201, 201, 201]);
    assert.equal(new Set(bodies.map((body) => body.id)).size, 1);
    const named = (await t.json('GET', '/api/syncs')).filter((sync: { name: string }) => sync.name === input.name);
    assert.equal(named.length, 1);
  });

  test('the same Idempotency-Key with a different body answers 422 and creates nothing', async () => {
    const headers = { 'idempotency-key': 'reused-key' };
    await t.call('POST', '/api/syncs', syncInput(), headers);
    const other = syncInput();

    const response = await t.call('POST', '/api/syncs', other, headers);
    const body = await bodyOf(response);

    assert.equal(response.status, 422);
    assert.equal(body.error.field, 'Idempotency-Key');
    const named = (await t.json('GET', '/api/syncs')).filter((sync: { name: string }) => sync.name === other.name);
    assert.equal(named.length, 0);
  });

  test('a refused create is replayed with the same refusal', async () => {
    const headers = { 'idempotency-key': 'refused-once' };
    const input = syncInput({ destinationId: 999999 });

    const first = await t.call('POST', '/api/syncs', input, headers);
    const second = await t.call('POST', '/api/syncs', input, headers);

    assert.equal(first.status, 404);
    assert.equal(second.status, 404);
    assert.deepEqual(await bodyOf(second), await bodyOf(first));
  });

  test('Sync now with the same Idempotency-Key twice queues one run', async () => {
    const sync = await t.json('POST', '/api/syncs', syncInput());
    await runQueuedJobs(t.ctx);
    const headers = { 'idempotency-key': `sync-now-${sync.id}` };

    const first = await t.call('POST', `/api/syncs/${sync.id}/runs`, undefined, headers);
    const second = await t.call('POST', `/api/syncs/${sync.id}/runs`, undefined, headers);
    await runQueuedJobs(t.ctx);

    assert.equal(first.status, 202);
    assert.equal(second.status, 202);
    assert.equal((await t.json('GET', `/api/syncs/${sync.id}/runs`)).length, 2);
  });

  test('an Idempotency-Key with spaces answers 400 naming the header', async () => {
    const response = await t.call('POST', '/api/syncs', syncInput(), { 'idempotency-key': 'has spaces' });

    assert.equal(response.status, 400);
    assert.equal((await bodyOf(response)).error.field, 'idempotency-key');
  });

  test('deleting its audience makes a sync Invalid, with the cause and the fix', async () => {
    const doomed = await t.json('POST', '/api/audiences', { name: 'Doomed', rule: { all: [] } });
    const sync = await t.json('POST', '/api/syncs', syncInput({ audienceIds: [doomed.id] }));

    await t.call('DELETE', `/api/audiences/${doomed.id}`);
    const view = await t.json('GET', `/api/syncs/${sync.id}`);

    assert.equal(view.status, 'Invalid');
    assert.match(view.statusReason, /"Doomed" was deleted/);
  });

  test('the quality preview answers for the chosen audiences and mapping', async () => {
    const preview = await t.json('POST', '/api/syncs/quality-preview', {
      audienceIds: [audienceId],
      mapping: [{ source: 'email', destination: 'EMAIL' }, { source: 'phone', destination: 'PHONE' }],
      hashPii: true,
      defaultCountry: null,
    });

    assert.equal(preview.members, 2);
    assert.equal(preview.wouldSend, 2);
    const valid = preview.fields.map((field: { destination: string; valid: number }) => [
      field.destination,
      field.valid,
    ]);
    assert.deepEqual(valid, [['EMAIL', 1], ['PHONE', 0.5]]);
  });

  test('runs of an unknown sync and an unknown run answer 404', async () => {
    assert.equal((await t.call('GET', '/api/syncs/999999/runs')).status, 404);
    assert.equal((await t.call('POST', '/api/syncs/999999/runs')).status, 404);
    assert.equal((await t.call('GET', '/api/runs/999999')).status, 404);
  });
});
