import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ZodError } from 'zod';
import type { Database } from '../db/database.ts';
import { silentLogger } from '../log.ts';
import { openTestDatabase } from '../testing/database.ts';
import { NotificationDeliveryJob, SyncRunJob } from './job-types.ts';
import { openJobQueue, type JobQueue } from './queue.ts';

describe('the job queue in the app database', () => {
  let database: Database;
  let queue: JobQueue;

  before(async () => {
    database = await openTestDatabase();
    queue = await openJobQueue(database.db, silentLogger);
  });
  after(async () => {
    await queue.close();
    await database.close();
  });

  const waiting = (key: string) => queue.hasPendingJob(NotificationDeliveryJob, key, 0);

  test('a job sent inside an open transaction shares it: there once committed, gone with a rollback, and no deadlock', async () => {
    await database.db.transaction().execute(async (trx) => {
      await queue.send(NotificationDeliveryJob, { eventId: 101 }, { trx });
    });
    const rolledBack = database.db.transaction().execute(async (trx) => {
      await queue.send(NotificationDeliveryJob, { eventId: 102 }, { trx });
      throw new Error('changed my mind');
    });

    await assert.rejects(rolledBack, /changed my mind/);
    assert.equal(await waiting('101'), true);
    assert.equal(await waiting('102'), false);
  });

  test('a second job with the same key is refused while the first waits', async () => {
    const first = await queue.send(SyncRunJob, { syncId: 7, trigger: 'manual' });
    const second = await queue.send(SyncRunJob, { syncId: 7, trigger: 'schedule' });

    assert.match(first!, /^[0-9a-f-]{36}$/);
    assert.equal(second, null);
  });

  test('a payload its schema refuses is never queued', async () => {
    await assert.rejects(queue.send(SyncRunJob, { syncId: -1, trigger: 'manual' }), ZodError);
  });

  test('the queue reports its depth by job type and state', async () => {
    const depth = await queue.depth();

    assert.deepEqual(
      depth.filter((row) => row.state === 'created').sort((a, b) => a.job.localeCompare(b.job)),
      [{ job: 'notification-delivery', state: 'created', count: 1 }, { job: 'sync-run', state: 'created', count: 1 }],
    );
  });
});
