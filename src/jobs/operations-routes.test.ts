import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { makeAudience, makeSync, openSyncSetup, putCustomers, type SyncSetup } from '../testing/sync-setup.ts';
import { makeOperationsRoutes } from './operations-routes.ts';
import { openJobQueue } from './queue.ts';
import { runQueuedJobs } from './testing.ts';
import { triggerSyncRun } from './trigger.ts';

describe('operations routes', () => {
  let setup: SyncSetup;

  before(async () => {
    setup = await openSyncSetup();
  });
  after(async () => {
    await setup.close();
  });

  test('/healthz answers while the process runs', async () => {
    const response = await makeOperationsRoutes(setup.ctx).request('/healthz');

    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { ok: true });
  });

  test('/readyz is 503 until the job queue is started, then 200 with the database reachable', async () => {
    const routes = makeOperationsRoutes(setup.ctx);

    const before = await routes.request('/readyz');
    await openJobQueue(setup.ctx.db, setup.ctx.log);
    const after = await routes.request('/readyz');

    assert.equal(before.status, 503);
    assert.deepEqual(await before.json(), { ready: false, database: 'ok', queue: 'not started' });
    assert.equal(after.status, 200);
  });

  test('/metrics counts runs by outcome, members, Graph requests and errors by code, jobs and the queue in Prometheus text', async () => {
    await putCustomers(setup.ctx, [{ key: 'm1', email: 'm1@example.com' }, { key: 'm2', email: 'm2@example.com' }]);
    const audienceId = await makeAudience(setup.ctx, 'Metered', { all: [] });
    const sync = await makeSync(setup, [audienceId], { name: 'Metered sync', metaAudience: { mode: 'create', name: 'Metered' } });
    setup.emulator.control.failNext({ path: /\/users$/, error: { code: 2, message: 'Service temporarily unavailable', is_transient: true } });

    await triggerSyncRun(setup.ctx, sync.id, 'manual');
    await runQueuedJobs(setup.ctx);
    const response = await makeOperationsRoutes(setup.ctx).request('/metrics');
    const text = await response.text();

    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type')!, /^text\/plain; version=0\.0\.4/);
    assert.match(text, /^# TYPE sourcesible_runs_total counter$/m);
    assert.match(text, /^sourcesible_runs_total\{outcome="succeeded"\} 1$/m);
    assert.match(text, /^sourcesible_run_members_total\{change="added"\} 2$/m);
    assert.match(text, /^sourcesible_graph_requests_total\{method="POST",outcome="ok"\} \d+$/m);
    assert.match(text, /^sourcesible_graph_errors_total\{code="2",reason="transient"\} 1$/m);
    assert.match(text, /^sourcesible_jobs_total\{job="sync-run",outcome="completed"\} 1$/m);
    assert.match(text, /^sourcesible_job_wait_seconds_count\{job="sync-run"\} 1$/m);
    assert.match(text, /^# TYPE sourcesible_queue_jobs gauge$/m);
  });
});
