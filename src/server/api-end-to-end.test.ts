import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { startMetaEmulator, type MetaEmulator } from '../destinations/meta/emulator/index.ts';
import { startBackgroundWork, type BackgroundWork } from '../jobs/background.ts';
import { testJobsConfig } from '../jobs/testing.ts';
import { bodyOf, openServerTest, type ServerTest } from './testing.ts';

const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const canonical = (row: Record<string, string>) =>
  Object.keys(row).sort().map((key) => `${key}=${row[key]}`).join('|');

describe('the main job through the REST API alone, with an API token', () => {
  let t: ServerTest;
  let meta: MetaEmulator;
  let worker: BackgroundWork;

  before(async () => {
    t = await openServerTest();
    meta = await startMetaEmulator();
    const config = testJobsConfig();
    worker = await startBackgroundWork(t.ctx, { worker: true, concurrency: 1, scheduler: false, config });
  });
  after(async () => {
    await worker.stop();
    await meta.close();
    await t.close();
  });

  /** Asks for the sync until its last run (newer than `afterRun`) has finished. */
  async function waitForRun(syncId: number, afterRun = 0) {
    for (let attempt = 0; attempt < 600; attempt++) {
      const sync = await t.json('GET', `/api/syncs/${syncId}`);
      const run = sync.lastRun;
      if (run && run.id > afterRun && run.status !== 'running') return sync;
      await delay(100);
    }
    throw new Error(`sync ${syncId} did not finish a run`);
  }

  test('customers → audience → destination → sync → Synced, and Meta holds exactly the expected rows', async () => {
    const batch = await t.call('POST', '/api/customers/batch', {
      key: 'external_id',
      records: [
        { external_id: 'e1', email: ' Ann.Lee@Example.COM ', phone: '+1 (650) 555-1212', student_level: '2' },
        { external_id: 'e2', email: 'bo@example.com', phone: '', student_level: '2' },
        { external_id: 'e3', email: 'nope', phone: '0044 20 7946 0958', student_level: '2' },
        { external_id: 'e4', email: 'not-a-member@example.com', student_level: '1' },
        { external_id: 'e5', email: '', phone: '', student_level: '2' },
      ],
    });
    assert.equal(batch.status, 200);

    const audience = await t.json('POST', '/api/audiences', {
      name: 'Level 2',
      rule: { all: [{ field: 'student_level', op: 'equals', value: '2' }] },
    });
    assert.equal(audience.memberCount, 4);

    const destination = await t.json('POST', '/api/destinations', {
      name: 'Meta (emulator)',
      adAccountId: meta.adAccountId,
      accessToken: meta.accessToken,
      graphBaseUrl: meta.url,
    }, { 'idempotency-key': 'e2e-destination' });
    assert.equal(destination.status, 'Connected');

    const created = await t.call('POST', '/api/syncs', {
      name: 'Level 2 to Meta',
      audienceIds: [audience.id],
      destinationId: destination.id,
      metaAudience: { mode: 'create', name: 'Sourcesible: level 2' },
      mapping: [
        { source: 'email', destination: 'EMAIL' },
        { source: 'phone', destination: 'PHONE' },
      ],
      hashPii: true,
      schedule: { type: 'manual' },
    }, { 'idempotency-key': 'e2e-sync' });
    const sync = await bodyOf(created);
    assert.equal(created.status, 201);

    const first = await waitForRun(sync.id);
    assert.equal(first.status, 'Synced');
    assert.equal(first.lastRun.added, 3);
    assert.deepEqual(first.lastRun.skippedByReason, { no_identifier_missing: 1 });

    await t.call('POST', '/api/customers/batch', {
      key: 'external_id',
      records: [{ external_id: 'e2', email: 'bo.new@example.com' }],
    });
    const trigger = await t.call('POST', `/api/syncs/${sync.id}/runs`, undefined, { 'idempotency-key': 'e2e-run' });
    assert.equal(trigger.status, 202);
    const second = await waitForRun(sync.id, first.lastRun.id);
    assert.equal(second.status, 'Synced');
    assert.equal(second.lastRun.changed, 1);

    const rows = meta.control.rows(second.metaAudience.id);
    const expected: Array<Record<string, string>> = [
      { EMAIL: sha('ann.lee@example.com'), PHONE: sha('16505551212') },
      { EMAIL: sha('bo.new@example.com') },
      { PHONE: sha('442079460958') },
    ];
    assert.deepEqual(rows.map(canonical).sort(), expected.map(canonical).sort());
  });
});
