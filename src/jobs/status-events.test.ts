import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { GraphClient } from '../destinations/meta/client.ts';
import { connectDestination, getDestination, loadDestination, reconnectDestination } from '../destinations/service.ts';
import { runSync } from '../engine/run-sync.ts';
import { getSync } from '../syncs/service.ts';
import { makeAudience, makeSync, openSyncSetup, putCustomers, type SyncSetup } from '../testing/sync-setup.ts';
import { ManualClock } from './clock.ts';
import { listEvents, recordEvent, type Notifier } from './events.ts';
import { checkDestination } from './health-checks.ts';
import { openJobQueue } from './queue.ts';
import { enqueueDueChecks } from './scheduler.ts';
import { publishStatusChanges } from './status-watch.ts';
import { runQueuedJobs, testJobsConfig } from './testing.ts';
import { deliverEvent, WebhookDeliveryError } from './webhook.ts';

const DAY = 24 * 60 * 60;

describe('status that is true before a run fails, and its events', () => {
  let setup: SyncSetup;
  let notifier: Notifier;
  let seq = 0;
  const config = testJobsConfig();

  before(async () => {
    setup = await openSyncSetup();
    notifier = { queue: await openJobQueue(setup.ctx.db, setup.ctx.log), config };
    await putCustomers(setup.ctx, [{ key: 'a', email: 'a@example.com' }, { key: 'b', email: 'b@example.com' }]);
  });
  after(async () => {
    await setup.close();
  });

  const next = (base: string) => `${base} ${(seq += 1)}`;
  const syncedSync = async (destinationId = setup.destinationId) => {
    const audienceId = await makeAudience(setup.ctx, next('All'), { all: [] });
    const sync = await makeSync(setup, [audienceId], { name: next('Watched'), destinationId, metaAudience: { mode: 'create', name: next('Meta') } });
    const run = await runSync(setup.ctx, sync.id, { trigger: 'test' });
    assert.equal(run.status, 'succeeded', run.errorMessage ?? '');
    return sync;
  };
  const publish = () => publishStatusChanges(setup.ctx, notifier, { config });
  const newEvents = async (sinceId: number) =>
    (await listEvents(setup.ctx, { limit: 200 })).data.filter((event) => event.id > sinceId).reverse();
  const lastEventId = async () => (await listEvents(setup.ctx, { limit: 1 })).data[0]?.id ?? 0;

  test('an expired token turns the destination Disconnected with the reason at the next check, its syncs with it, and reconnecting recovers both', async () => {
    const sync = await syncedSync();
    await publish();
    const since = await lastEventId();

    setup.emulator.control.expireToken();
    await checkDestination(setup.ctx, setup.destinationId);
    await publish();
    const destination = await getDestination(setup.ctx, setup.destinationId);
    const view = await getSync(setup.ctx, sync.id);
    const broken = await newEvents(since);

    await reconnectDestination(setup.ctx, setup.destinationId, { accessToken: setup.emulator.control.issueToken() });
    await publish();
    const fixed = (await newEvents(since)).slice(broken.length);

    assert.equal(destination.status, 'Disconnected');
    assert.equal(destination.statusReason, 'token_expired');
    assert.equal(view.status, 'Disconnected');
    assert.deepEqual(broken.filter((e) => e.sync?.id === sync.id || e.sync === null).map((e) => e.type).sort(), ['destination.disconnected', 'sync.disconnected']);
    assert.match(broken.find((e) => e.type === 'sync.disconnected')!.message, /Disconnected: .*Reconnect/);
    assert.deepEqual(fixed.filter((e) => e.sync?.id === sync.id || e.sync === null).map((e) => e.type).sort(), ['destination.reconnected', 'sync.recovered']);
    assert.equal(await publish(), 0, 'a change is announced once');
  });

  test('a run that fails on its own turns the sync Failed and is announced; the next good run announces the recovery', async () => {
    const sync = await syncedSync();
    await publish();
    const since = await lastEventId();
    const token = setup.ctx.secrets.open((await loadDestination(setup.ctx, setup.destinationId)).access_token_enc);
    const impatient = new GraphClient({ baseUrl: setup.emulator.url, apiVersion: 'v25.0', accessToken: token, sleep: async () => {} });
    await putCustomers(setup.ctx, [{ key: 'c', email: 'c@example.com' }]);
    setup.emulator.control.failNext({ path: /\/users$/, count: 5, error: { code: 2, message: 'Service temporarily unavailable', is_transient: true } });

    const failed = await runSync(setup.ctx, sync.id, { trigger: 'test', client: impatient });
    await publish();
    const recovered = await runSync(setup.ctx, sync.id, { trigger: 'test' });
    await publish();

    assert.equal(failed.status, 'failed');
    assert.equal(recovered.status, 'succeeded');
    const events = (await newEvents(since)).filter((e) => e.sync?.id === sync.id);
    assert.deepEqual(events.map((e) => e.type), ['sync.failed', 'sync.recovered']);
    assert.equal(events[0]!.message, `Sync "${sync.name}" failed: ${failed.errorMessage}`);
  });

  test('a Meta audience deleted in Ads Manager makes its sync Invalid with the cause at the next check', async () => {
    const sync = await syncedSync();
    await publish();
    const since = await lastEventId();

    setup.emulator.control.deleteAudience(sync.metaAudience.id ?? (await getSync(setup.ctx, sync.id)).metaAudience.id!);
    await checkDestination(setup.ctx, setup.destinationId);
    await publish();

    const view = await getSync(setup.ctx, sync.id);
    assert.equal(view.status, 'Invalid');
    assert.match(view.statusReason!, /was deleted, or this token can no longer reach it/);
    assert.deepEqual((await newEvents(since)).filter((e) => e.sync?.id === sync.id).map((e) => e.type), ['sync.invalid']);
  });

  test('a flagged Meta audience makes its sync Invalid; once Meta serves it cleanly the sync is valid again', async () => {
    const sync = await syncedSync();
    const metaId = (await getSync(setup.ctx, sync.id)).metaAudience.id!;

    setup.emulator.control.flagAudience(metaId);
    await checkDestination(setup.ctx, setup.destinationId);
    const flagged = await getSync(setup.ctx, sync.id);
    const healthy = await syncedSync();
    await setup.ctx.db.updateTable('syncs').set({ invalid_reason: 'Meta could not be reached about this audience.' }).where('id', '=', healthy.id).execute();
    await checkDestination(setup.ctx, setup.destinationId);

    assert.equal(flagged.status, 'Invalid');
    assert.match(flagged.statusReason!, /flagged/);
    assert.equal((await getSync(setup.ctx, healthy.id)).status, 'Synced');
  });

  test('a token Meta says expires within the warning days is announced once, days ahead', async () => {
    const destination = await connectDestination(setup.ctx, {
      name: next('Expiring'),
      adAccountId: setup.emulator.adAccountId,
      accessToken: setup.emulator.control.issueToken(3 * DAY),
      appSecret: setup.emulator.appSecret,
      graphBaseUrl: setup.emulator.url,
    });
    const ctx = { ...setup.ctx, config: { ...setup.ctx.config, META_APP_ID: setup.emulator.appId } };
    await publish();
    const since = await lastEventId();

    await checkDestination(ctx, destination.id);
    await publish();
    await publish();

    const expiring = (await newEvents(since)).filter((e) => e.type === 'destination.token_expiring');
    assert.equal(expiring.length, 1);
    assert.equal(expiring[0]!.destination?.id, destination.id);
    assert.match(expiring[0]!.message, /expires on \d{4}-\d{2}-\d{2} \(in 3 days\)/);
  });

  describe('webhook', () => {
    let server: Server;
    let url: string;
    let answer = 204;
    const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
    const secret = 'a-webhook-secret-of-some-length';

    before(async () => {
      server = createServer((request, response) => {
        let body = '';
        request.on('data', (chunk) => (body += chunk));
        request.on('end', () => {
          received.push({ headers: request.headers, body });
          response.writeHead(answer).end();
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/sourcesible`;
    });
    after(async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    test('an event is posted as JSON signed with HMAC-SHA256 over "<t>.<body>" in X-Sourcesible-Signature', async () => {
      const hooked = testJobsConfig({ SOURCESIBLE_WEBHOOK_URL: url, SOURCESIBLE_WEBHOOK_SECRET: secret });
      const eventId = await recordEvent(setup.ctx, { queue: notifier.queue, config: hooked }, {
        type: 'sync.failed',
        syncId: null,
        destinationId: setup.destinationId,
        message: 'Sync "X" failed: test.',
      });

      await runQueuedJobs(setup.ctx, { config: hooked });

      const delivery = received.find((r) => r.headers['x-sourcesible-delivery'] === String(eventId))!;
      const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(delivery.headers['x-sourcesible-signature']))!;
      assert.equal(v1, createHmac('sha256', secret).update(`${t}.${delivery.body}`).digest('hex'));
      assert.equal(delivery.headers['content-type'], 'application/json');
      assert.deepEqual(
        { ...JSON.parse(delivery.body), createdAt: undefined },
        { id: eventId, type: 'sync.failed', createdAt: undefined, message: 'Sync "X" failed: test.', sync: null, destination: { id: setup.destinationId, name: 'Meta (emulator)' }, details: {} },
      );
      const [event] = (await listEvents(setup.ctx, { limit: 1 })).data;
      assert.deepEqual([event!.delivery.status, event!.delivery.attempts], ['delivered', 1]);
    });

    test('a refused delivery throws to be retried, and the last attempt marks the event failed with the reason', async () => {
      const hooked = testJobsConfig({ SOURCESIBLE_WEBHOOK_URL: url, SOURCESIBLE_WEBHOOK_SECRET: secret });
      const eventId = await recordEvent(setup.ctx, { queue: notifier.queue, config: testJobsConfig() }, {
        type: 'sync.recovered',
        message: 'Sync "Y" is Synced again.',
      });
      answer = 500;
      try {
        await assert.rejects(deliverEvent(setup.ctx, hooked, eventId, { retryCount: 0, retryLimit: 2 }), WebhookDeliveryError);
        const retrying = (await listEvents(setup.ctx, { limit: 1 })).data[0]!;
        await deliverEvent(setup.ctx, hooked, eventId, { retryCount: 2, retryLimit: 2 });
        const given = (await listEvents(setup.ctx, { limit: 1 })).data[0]!;

        assert.deepEqual(retrying.delivery, { status: 'pending', attempts: 1, deliveredAt: null, error: 'HTTP 500' });
        assert.deepEqual(given.delivery, { status: 'failed', attempts: 2, deliveredAt: null, error: 'HTTP 500' });
      } finally {
        answer = 204;
      }
    });
  });

  test('events are listed newest first, a page at a time, and by sync', async () => {
    const sync = await syncedSync();
    for (const n of [1, 2, 3]) {
      await recordEvent(setup.ctx, notifier, { type: 'sync.failed', syncId: sync.id, message: `failure ${n}` });
    }

    const first = await listEvents(setup.ctx, { syncId: sync.id, limit: 2 });
    const second = await listEvents(setup.ctx, { syncId: sync.id, limit: 2, before: first.nextCursor! });

    assert.deepEqual(first.data.map((e) => e.message), ['failure 3', 'failure 2']);
    assert.deepEqual(second.data.map((e) => e.message), ['failure 1']);
    assert.equal(second.nextCursor, null);
    assert.equal(first.data[0]!.sync?.name, sync.name);
  });

  test('each destination is checked once per interval, however many schedulers tick', async () => {
    const clock = new ManualClock('2031-01-01T00:00:00Z');
    const destinations = await setup.ctx.db.selectFrom('destinations').select('id').where('deleted_at', 'is', null).execute();
    const options = { clock, intervalMinutes: 15 };

    const [a, b] = await Promise.all([enqueueDueChecks(setup.ctx, notifier.queue, options), enqueueDueChecks(setup.ctx, notifier.queue, options)]);
    clock.advance({ minutes: 14 });
    const early = await enqueueDueChecks(setup.ctx, notifier.queue, options);
    clock.advance({ minutes: 1 });
    const due = await enqueueDueChecks(setup.ctx, notifier.queue, options);

    assert.deepEqual([...a!, ...b!].sort(), destinations.map((d) => d.id).sort());
    assert.deepEqual(early, []);
    assert.deepEqual(due.sort(), destinations.map((d) => d.id).sort());
  });
});
