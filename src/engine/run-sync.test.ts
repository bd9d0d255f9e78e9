import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, beforeEach, describe, test } from 'node:test';
import { deleteAudience } from '../audiences/repository.ts';
import { parseGraphError } from '../destinations/meta/errors.ts';
import { getDestination, reconnectDestination, graphClientFor, loadDestination } from '../destinations/service.ts';
import { deleteCustomers } from '../customers/repository.ts';
import { getSync, updateSync } from '../syncs/service.ts';
import { overrideClient } from '../testing/graph-faults.ts';
import { makeAudience, makeSync, openSyncSetup, putCustomers, type SyncSetup } from '../testing/sync-setup.ts';
import { runSync } from './run-sync.ts';

const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const everyone = { all: [] };
const people = (n: number, from = 1) =>
  Array.from({ length: n }, (_, i) => ({ key: `c${from + i}`, email: ` Person${from + i}@Example.com ` }));
const hashedEmails = (ids: number[]) => ids.map((i) => sha(`person${i}@example.com`)).sort();

describe('runSync', () => {
  let setup: SyncSetup;
  let seq = 0;

  before(async () => {
    setup = await openSyncSetup();
  });
  after(async () => {
    await setup.close();
  });
  beforeEach(async () => {
    // Each test works on its own customers, audiences and sync in the shared database.
    await setup.ctx.db.deleteFrom('sync_members').execute();
    await setup.ctx.db.deleteFrom('customers').execute();
  });

  const emailsInMeta = (audienceId: string) =>
    setup.emulator.control.rows(audienceId).map((row: Record<string, string>) => row.EMAIL).sort();
  const usersRequests = () => setup.emulator.control.requests().filter((r: { path: string }) => /\/users(replace)?$/.test(r.path));
  const nextName = (base: string) => `${base} ${(seq += 1)}`;

  test('a first run creates the Meta audience once and uploads the SHA-256 of every normalized email', async () => {
    await putCustomers(setup.ctx, people(25));
    const audienceId = await makeAudience(setup.ctx, nextName('All'), everyone);
    const sync = await makeSync(setup, [audienceId], { name: nextName('First run'), metaAudience: { mode: 'create', name: nextName('Meta') } });

    const run = await runSync(setup.ctx, sync.id, { trigger: 'test', pageSize: 10 });

    assert.equal(run.status, 'succeeded', run.errorMessage ?? '');
    assert.deepEqual([run.audienceSize, run.added, run.removed, run.changed, run.skipped], [25, 25, 0, 0, 0]);
    const view = await getSync(setup.ctx, sync.id);
    assert.equal(view.status, 'Synced');
    assert.deepEqual(emailsInMeta(view.metaAudience.id!), hashedEmails(Array.from({ length: 25 }, (_, i) => i + 1)));
  });

  test('a second run with nothing changed sends nothing to Meta', async () => {
    await putCustomers(setup.ctx, people(12));
    const audienceId = await makeAudience(setup.ctx, nextName('All'), everyone);
    const sync = await makeSync(setup, [audienceId], { name: nextName('Idle'), metaAudience: { mode: 'create', name: nextName('Meta') } });
    await runSync(setup.ctx, sync.id, { trigger: 'test' });
    const requestsBefore = usersRequests().length;

    const run = await runSync(setup.ctx, sync.id, { trigger: 'test' });

    assert.deepEqual([run.added, run.removed, run.changed, run.unchanged], [0, 0, 0, 12]);
    assert.equal(usersRequests().length, requestsBefore);
  });

  test('an incremental run adds new members, removes departed ones with their sent row and replaces changed ones', async () => {
    await putCustomers(setup.ctx, people(10).map((p) => ({ ...p, attributes: { tier: 'gold' } })));
    const audienceId = await makeAudience(setup.ctx, nextName('Gold'), { all: [{ field: 'attributes.tier', op: 'equals', value: 'gold' }] });
    const sync = await makeSync(setup, [audienceId], { name: nextName('Diff'), metaAudience: { mode: 'create', name: nextName('Meta') } });
    await runSync(setup.ctx, sync.id, { trigger: 'test' });

    await putCustomers(setup.ctx, [
      { key: 'c1', email: 'person1@example.com', attributes: { tier: 'silver' } },
      { key: 'c2', email: 'renamed2@example.com', attributes: { tier: 'gold' } },
      { key: 'c11', email: 'person11@example.com', attributes: { tier: 'gold' } },
    ]);
    const run = await runSync(setup.ctx, sync.id, { trigger: 'test' });

    assert.deepEqual([run.added, run.removed, run.changed, run.unchanged, run.audienceSize], [1, 1, 1, 8, 10]);
    const expected = [...hashedEmails([3, 4, 5, 6, 7, 8, 9, 10, 11]), sha('renamed2@example.com')].sort();
    assert.deepEqual(emailsInMeta((await getSync(setup.ctx, sync.id)).metaAudience.id!), expected);
  });

  test('members of several audiences are their union, each sent once', async () => {
    await putCustomers(setup.ctx, [
      { key: 'a', email: 'a@example.com', country: 'Norway' },
      { key: 'b', email: 'b@example.com', country: 'Nepal' },
      { key: 'c', email: 'c@example.com', country: 'Chile' },
    ]);
    const norway = await makeAudience(setup.ctx, nextName('NO'), { all: [{ field: 'country', op: 'in', value: ['Norway', 'Nepal'] }] });
    const nepal = await makeAudience(setup.ctx, nextName('NP'), { all: [{ field: 'country', op: 'equals', value: 'Nepal' }] });
    const sync = await makeSync(setup, [norway, nepal], { name: nextName('Union'), metaAudience: { mode: 'create', name: nextName('Meta') } });

    const run = await runSync(setup.ctx, sync.id, { trigger: 'test' });

    assert.equal(run.added, 2);
    assert.deepEqual(emailsInMeta((await getSync(setup.ctx, sync.id)).metaAudience.id!), [sha('a@example.com'), sha('b@example.com')].sort());
  });

  test('a row shared by two members stays in Meta when only one of them leaves', async () => {
    await putCustomers(setup.ctx, [
      { key: 'x1', email: 'shared@example.com', attributes: { keep: 'yes' } },
      { key: 'x2', email: 'SHARED@example.com', attributes: { keep: 'yes' } },
    ]);
    const audienceId = await makeAudience(setup.ctx, nextName('Keep'), { all: [{ field: 'attributes.keep', op: 'equals', value: 'yes' }] });
    const sync = await makeSync(setup, [audienceId], { name: nextName('Shared'), metaAudience: { mode: 'create', name: nextName('Meta') } });
    await runSync(setup.ctx, sync.id, { trigger: 'test' });

    await putCustomers(setup.ctx, [{ key: 'x1', email: 'shared@example.com', attributes: { keep: 'no' } }]);
    const run = await runSync(setup.ctx, sync.id, { trigger: 'test' });

    assert.equal(run.removed, 1);
    assert.deepEqual(emailsInMeta((await getSync(setup.ctx, sync.id)).metaAudience.id!), [sha('shared@example.com')]);
  });

  test('a run stopped after its first batch is resumed by the next run with no member missing or sent twice', async () => {
    await putCustomers(setup.ctx, people(30));
    const audienceId = await makeAudience(setup.ctx, nextName('All'), everyone);
    const sync = await makeSync(setup, [audienceId], { name: nextName('Resume'), metaAudience: { mode: 'create', name: nextName('Meta') } });
    const stop = new AbortController();
    const requestsBefore = usersRequests().length;

    const first = await runSync(setup.ctx, sync.id, { trigger: 'test', pageSize: 10, signal: stop.signal, onProgress: () => stop.abort() });
    const second = await runSync(setup.ctx, sync.id, { trigger: 'test', pageSize: 10 });

    assert.equal(first.status, 'interrupted');
    assert.equal(first.added, 10);
    assert.equal(second.status, 'succeeded');
    assert.equal(second.added, 20);
    const sentRows = usersRequests().slice(requestsBefore).reduce((sum: number, r: any) => sum + r.body.payload.data.length, 0);
    assert.equal(sentRows, 30);
    assert.deepEqual(emailsInMeta((await getSync(setup.ctx, sync.id)).metaAudience.id!), hashedEmails(Array.from({ length: 30 }, (_, i) => i + 1)));
  });

  test('a batch Meta received but whose answer was lost is sent again and nothing is lost', async () => {
    await putCustomers(setup.ctx, people(20));
    const audienceId = await makeAudience(setup.ctx, nextName('All'), everyone);
    const sync = await makeSync(setup, [audienceId], { name: nextName('Lost answer'), metaAudience: { mode: 'create', name: nextName('Meta') } });
    const real = graphClientFor(setup.ctx, await loadDestination(setup.ctx, setup.destinationId));
    let calls = 0;
    const flaky = overrideClient(real, {
      addUsers: async (...args) => {
        const response = await real.addUsers(...args);
        calls += 1;
        if (calls === 2) throw new Error('connection reset after Meta answered');
        return response;
      },
    });

    const first = await runSync(setup.ctx, sync.id, { trigger: 'test', pageSize: 5, client: flaky });
    const second = await runSync(setup.ctx, sync.id, { trigger: 'test', pageSize: 5 });

    assert.equal(first.status, 'failed');
    assert.equal(first.added, 5);
    assert.equal(second.status, 'succeeded');
    assert.equal(second.added, 15);
    assert.deepEqual(emailsInMeta((await getSync(setup.ctx, sync.id)).metaAudience.id!), hashedEmails(Array.from({ length: 20 }, (_, i) => i + 1)));
  });

  test('a create whose answer was lost finds its audience by name instead of making a second', async () => {
    await putCustomers(setup.ctx, people(3));
    const audienceId = await makeAudience(setup.ctx, nextName('All'), everyone);
    const metaName = nextName('Once');
    const sync = await makeSync(setup, [audienceId], { name: nextName('Create once'), metaAudience: { mode: 'create', name: metaName } });
    const real = graphClientFor(setup.ctx, await loadDestination(setup.ctx, setup.destinationId));
    const flaky = overrideClient(real, {
      createCustomAudience: async (...args) => {
        await real.createCustomAudience(...args);
        throw new Error('socket hang up');
      },
    });

    const run = await runSync(setup.ctx, sync.id, { trigger: 'test', client: flaky });

    assert.equal(run.status, 'succeeded', run.errorMessage ?? '');
    const named = [];
    for await (const audience of real.iterateCustomAudiences(setup.emulator.adAccountId, { fields: ['id', 'name'] })) {
      if (audience.name === metaName) named.push(audience);
    }
    assert.equal(named.length, 1);
  });

  test('an existing audience in replace mode ends up holding exactly the sync members', async () => {
    await putCustomers(setup.ctx, people(7));
    const audienceId = await makeAudience(setup.ctx, nextName('All'), everyone);
    const existing = setup.emulator.control.createAudienceDirectly(nextName('Made in Ads Manager'));
    const client = graphClientFor(setup.ctx, await loadDestination(setup.ctx, setup.destinationId));
    await client.addUsers(existing.id, { schema: ['EMAIL'], data: [[sha('stranger@example.com')]] }, { session_id: 9, batch_seq: 1, last_batch_flag: true });
    const sync = await makeSync(setup, [audienceId], {
      name: nextName('Replace'),
      metaAudience: { mode: 'existing', audienceId: existing.id, writeMode: 'replace' },
    });

    const run = await runSync(setup.ctx, sync.id, { trigger: 'test', pageSize: 3 });

    assert.equal(run.status, 'succeeded', run.errorMessage ?? '');
    assert.deepEqual(emailsInMeta(existing.id), hashedEmails([1, 2, 3, 4, 5, 6, 7]));
    const replaceCalls = usersRequests().filter((r: any) => r.path.endsWith('/usersreplace'));
    assert.deepEqual(replaceCalls.slice(-3).map((r: any) => [r.body.session.batch_seq, r.body.session.last_batch_flag]), [[1, false], [2, false], [3, true]]);
  });

  test('a new mapping resends every member in the new shape and removes the old rows', async () => {
    await putCustomers(setup.ctx, [{ key: 'm1', email: 'm1@example.com', phone: '+1 650 555 1212' }]);
    const audienceId = await makeAudience(setup.ctx, nextName('All'), everyone);
    const sync = await makeSync(setup, [audienceId], { name: nextName('Remap'), metaAudience: { mode: 'create', name: nextName('Meta') } });
    await runSync(setup.ctx, sync.id, { trigger: 'test' });

    await updateSync(setup.ctx, sync.id, { mapping: [{ source: 'email', destination: 'EMAIL' }, { source: 'phone', destination: 'PHONE' }] });
    const run = await runSync(setup.ctx, sync.id, { trigger: 'test' });

    assert.equal(run.changed, 1);
    const rows = setup.emulator.control.rows((await getSync(setup.ctx, sync.id)).metaAudience.id!);
    assert.deepEqual(rows, [{ EMAIL: sha('m1@example.com'), PHONE: sha('16505551212') }]);
  });

  test('members without any identifier are skipped and counted by reason, never sent', async () => {
    await putCustomers(setup.ctx, [
      { key: 's1', email: 'ok@example.com' },
      { key: 's2', email: 'not-an-email' },
      { key: 's3', email: null },
    ]);
    const audienceId = await makeAudience(setup.ctx, nextName('All'), everyone);
    const sync = await makeSync(setup, [audienceId], { name: nextName('Skips'), metaAudience: { mode: 'create', name: nextName('Meta') } });

    const run = await runSync(setup.ctx, sync.id, { trigger: 'test' });

    assert.equal(run.added, 1);
    assert.equal(run.skipped, 2);
    assert.equal(Object.values(run.skippedByReason).reduce((a, b) => a + b, 0), 2);
    assert.equal(run.fieldIssues['EMAIL:invalid_email'], 1);
  });

  test('an expired token marks the destination and its sync Disconnected, and Reconnect lets the next run finish', async () => {
    await putCustomers(setup.ctx, people(4));
    const audienceId = await makeAudience(setup.ctx, nextName('All'), everyone);
    const sync = await makeSync(setup, [audienceId], { name: nextName('Expiry'), metaAudience: { mode: 'create', name: nextName('Meta') } });
    setup.emulator.control.expireToken(setup.emulator.accessToken);

    const failed = await runSync(setup.ctx, sync.id, { trigger: 'test' });
    const disconnected = await getSync(setup.ctx, sync.id);
    const fresh = setup.emulator.control.issueToken();
    await reconnectDestination(setup.ctx, setup.destinationId, { accessToken: fresh });
    const resumed = await runSync(setup.ctx, sync.id, { trigger: 'test' });

    assert.equal(failed.status, 'failed');
    assert.equal(failed.errorAction, 'reconnect');
    assert.equal(disconnected.status, 'Disconnected');
    assert.equal(resumed.status, 'succeeded');
    assert.equal((await getDestination(setup.ctx, setup.destinationId)).status, 'Connected');
    assert.equal((await getSync(setup.ctx, sync.id)).status, 'Synced');
  });

  test('a Meta audience deleted in Ads Manager makes the sync Invalid with the cause', async () => {
    await putCustomers(setup.ctx, people(2));
    const audienceId = await makeAudience(setup.ctx, nextName('All'), everyone);
    const sync = await makeSync(setup, [audienceId], { name: nextName('Gone'), metaAudience: { mode: 'create', name: nextName('Meta') } });
    await runSync(setup.ctx, sync.id, { trigger: 'test' });
    setup.emulator.control.deleteAudience((await getSync(setup.ctx, sync.id)).metaAudience.id!);

    const run = await runSync(setup.ctx, sync.id, { trigger: 'test' });
    const view = await getSync(setup.ctx, sync.id);

    assert.equal(run.status, 'failed');
    assert.equal(view.status, 'Invalid');
    assert.match(view.statusReason!, /no longer exists/);
  });

  test('a deleted Sourcesible audience makes the sync Invalid and sends nothing', async () => {
    await putCustomers(setup.ctx, people(2));
    const audienceId = await makeAudience(setup.ctx, nextName('Doomed'), everyone);
    const sync = await makeSync(setup, [audienceId], { name: nextName('Orphan'), metaAudience: { mode: 'create', name: nextName('Meta') } });
    await deleteAudience(setup.ctx.db, audienceId);
    const requestsBefore = usersRequests().length;

    const run = await runSync(setup.ctx, sync.id, { trigger: 'test' });

    assert.equal(run.status, 'failed');
    assert.equal((await getSync(setup.ctx, sync.id)).status, 'Invalid');
    assert.equal(usersRequests().length, requestsBefore);
  });

  test('a row Meta refuses is isolated and skipped while the rest of its batch lands', async () => {
    await putCustomers(setup.ctx, people(9));
    const audienceId = await makeAudience(setup.ctx, nextName('All'), everyone);
    const sync = await makeSync(setup, [audienceId], { name: nextName('Bisect'), metaAudience: { mode: 'create', name: nextName('Meta') } });
    const real = graphClientFor(setup.ctx, await loadDestination(setup.ctx, setup.destinationId));
    const poisoned = sha('person4@example.com');
    const picky = overrideClient(real, {
      addUsers: async (audience, payload, session) => {
        if (!payload.data.some((row) => row[0] === poisoned)) return real.addUsers(audience, payload, session);
        throw parseGraphError(400, { error: { message: '(#100) Invalid parameter', type: 'OAuthException', code: 100, fbtrace_id: 't' } }, new Headers(), { path: `/v25.0/${audience}/users` });
      },
    });

    const run = await runSync(setup.ctx, sync.id, { trigger: 'test', client: picky });

    assert.equal(run.status, 'succeeded', run.errorMessage ?? '');
    assert.equal(run.added, 8);
    assert.equal(run.skippedByReason.rejected_by_meta, 1);
    assert.deepEqual(emailsInMeta((await getSync(setup.ctx, sync.id)).metaAudience.id!), hashedEmails([1, 2, 3, 5, 6, 7, 8, 9]));

    const retried = await runSync(setup.ctx, sync.id, { trigger: 'test' });

    assert.equal(retried.added, 1, 'the refused row is tried again once Meta takes it');
    assert.deepEqual(emailsInMeta((await getSync(setup.ctx, sync.id)).metaAudience.id!), hashedEmails([1, 2, 3, 4, 5, 6, 7, 8, 9]));
  });

  test('a second run of the same sync while one is running is refused', async () => {
    await putCustomers(setup.ctx, people(3));
    const audienceId = await makeAudience(setup.ctx, nextName('All'), everyone);
    const sync = await makeSync(setup, [audienceId], { name: nextName('Exclusive'), metaAudience: { mode: 'create', name: nextName('Meta') } });
    await setup.ctx.db.insertInto('runs').values({ sync_id: sync.id, trigger: 'elsewhere', status: 'running', lease_expires_at: new Date(Date.now() + 60_000), skipped_by_reason: '{}', field_issues: '{}', meta_invalid_samples: '[]' }).execute();

    await assert.rejects(runSync(setup.ctx, sync.id, { trigger: 'test' }), /already running/);
  });

  test('a run whose worker died is taken over once its lease has expired', async () => {
    await putCustomers(setup.ctx, people(3));
    const audienceId = await makeAudience(setup.ctx, nextName('All'), everyone);
    const sync = await makeSync(setup, [audienceId], { name: nextName('Takeover'), metaAudience: { mode: 'create', name: nextName('Meta') } });
    await setup.ctx.db.insertInto('runs').values({ sync_id: sync.id, trigger: 'dead worker', status: 'running', lease_expires_at: new Date(Date.now() - 1000), skipped_by_reason: '{}', field_issues: '{}', meta_invalid_samples: '[]' }).execute();

    const run = await runSync(setup.ctx, sync.id, { trigger: 'test' });

    assert.equal(run.status, 'succeeded');
    const dead = await setup.ctx.db.selectFrom('runs').select('status').where('sync_id', '=', sync.id).where('trigger', '=', 'dead worker').executeTakeFirstOrThrow();
    assert.equal(dead.status, 'interrupted');
  });
  test('a deleted customer leaves Meta at the next run, with the row it was sent as', async () => {
    await putCustomers(setup.ctx, people(3));
    const audienceId = await makeAudience(setup.ctx, nextName('All'), everyone);
    const sync = await makeSync(setup, [audienceId], { name: nextName('Erasure'), metaAudience: { mode: 'create', name: nextName('Meta') } });
    await runSync(setup.ctx, sync.id, { trigger: 'test' });
    const leaver = await setup.ctx.db.selectFrom('customers').select('id').where('customer_key', '=', 'c2').executeTakeFirstOrThrow();

    await deleteCustomers(setup.ctx.db, [leaver.id]);
    const run = await runSync(setup.ctx, sync.id, { trigger: 'test' });

    assert.equal(run.removed, 1);
    assert.deepEqual(emailsInMeta((await getSync(setup.ctx, sync.id)).metaAudience.id!), hashedEmails([1, 3]));
  });

  test('an existing Facebook audience already kept by one sync is refused to a second', async () => {
    const audienceId = await makeAudience(setup.ctx, nextName('All'), everyone);
    const existing = setup.emulator.control.createAudienceDirectly(nextName('Shared target'));
    const target = { mode: 'existing' as const, audienceId: existing.id, writeMode: 'append' as const };
    await makeSync(setup, [audienceId], { name: nextName('Keeper'), metaAudience: target });

    await assert.rejects(makeSync(setup, [audienceId], { name: nextName('Intruder'), metaAudience: target }), /already kept by sync/);
  });

  test('switching an existing audience from append to replace refills it through usersreplace once', async () => {
    await putCustomers(setup.ctx, people(4));
    const audienceId = await makeAudience(setup.ctx, nextName('All'), everyone);
    const existing = setup.emulator.control.createAudienceDirectly(nextName('To replace'));
    const client = graphClientFor(setup.ctx, await loadDestination(setup.ctx, setup.destinationId));
    await client.addUsers(existing.id, { schema: ['EMAIL'], data: [[sha('stranger@example.com')]] }, { session_id: 11, batch_seq: 1, last_batch_flag: true });
    const sync = await makeSync(setup, [audienceId], { name: nextName('Append first'), metaAudience: { mode: 'existing', audienceId: existing.id, writeMode: 'append' } });
    await runSync(setup.ctx, sync.id, { trigger: 'test' });
    assert.equal(emailsInMeta(existing.id).length, 5, 'append keeps the stranger');

    await updateSync(setup.ctx, sync.id, { metaAudience: { mode: 'existing', audienceId: existing.id, writeMode: 'replace' } });
    await runSync(setup.ctx, sync.id, { trigger: 'test' });
    const replaceCalls = usersRequests().filter((r: any) => r.path.endsWith('/usersreplace')).length;
    await updateSync(setup.ctx, sync.id, { metaAudience: { mode: 'existing', audienceId: existing.id, writeMode: 'replace' } });
    await runSync(setup.ctx, sync.id, { trigger: 'test' });

    assert.deepEqual(emailsInMeta(existing.id), hashedEmails([1, 2, 3, 4]));
    assert.equal(usersRequests().filter((r: any) => r.path.endsWith('/usersreplace')).length, replaceCalls, 'saving replace again does not replace again');
  });

  test('the default country may be given as a name and is stored as its code', async () => {
    const audienceId = await makeAudience(setup.ctx, nextName('All'), everyone);

    const sync = await makeSync(setup, [audienceId], { name: nextName('Country'), metaAudience: { mode: 'create', name: nextName('Meta') }, defaultCountry: 'Norway' });

    assert.equal(sync.defaultCountry, 'no');
    await assert.rejects(makeSync(setup, [audienceId], { name: nextName('Korea'), metaAudience: { mode: 'create', name: nextName('Meta') }, defaultCountry: 'Korea' }), /must be a country/);
  });
  test('a run whose lease another worker took over stops and leaves the takeover on record', async () => {
    await putCustomers(setup.ctx, people(30));
    const audienceId = await makeAudience(setup.ctx, nextName('All'), everyone);
    const sync = await makeSync(setup, [audienceId], { name: nextName('Overtaken'), metaAudience: { mode: 'create', name: nextName('Meta') } });
    const takeOver = async () => {
      await setup.ctx.db.updateTable('runs').set({ status: 'interrupted' }).where('sync_id', '=', sync.id).where('status', '=', 'running').execute();
    };
    let pages = 0;

    const run = await runSync(setup.ctx, sync.id, { trigger: 'test', pageSize: 10, onProgress: () => void ((pages += 1) === 1 && takeOver()) });

    assert.equal(run.status, 'interrupted');
    assert.ok(run.added < 30, `stopped early, added ${run.added}`);
  });

  test('a sync Invalid because Meta flagged its audience is valid again once a run gets through', async () => {
    await putCustomers(setup.ctx, people(2));
    const audienceId = await makeAudience(setup.ctx, nextName('All'), everyone);
    const sync = await makeSync(setup, [audienceId], { name: nextName('Unflagged'), metaAudience: { mode: 'create', name: nextName('Meta') } });
    setup.emulator.control.failNext({ path: '/*/users', method: 'POST', count: 1, error: { status: 400, code: 100, subcode: 1713230, message: 'Audience Upload Blocked' } });

    await runSync(setup.ctx, sync.id, { trigger: 'test' });
    const blocked = await getSync(setup.ctx, sync.id);
    await runSync(setup.ctx, sync.id, { trigger: 'test' });

    assert.equal(blocked.status, 'Invalid');
    assert.equal((await getSync(setup.ctx, sync.id)).status, 'Synced');
  });
  test('Meta refusing every request fails the run after a bounded number of requests', async () => {
    await putCustomers(setup.ctx, people(200));
    const audienceId = await makeAudience(setup.ctx, nextName('All'), everyone);
    const sync = await makeSync(setup, [audienceId], { name: nextName('Refused'), metaAudience: { mode: 'create', name: nextName('Meta') } });
    setup.emulator.control.failNext({ path: '/*/users', method: 'POST', count: 100_000, error: { status: 400, code: 100, message: 'Invalid parameter' } });
    const before = usersRequests().length;

    const run = await runSync(setup.ctx, sync.id, { trigger: 'test' });
    setup.emulator.control.clearFailures();

    assert.equal(run.status, 'failed');
    assert.ok(usersRequests().length - before < 200, `sent ${usersRequests().length - before} requests`);
  });
  test('a create Meta carried out but answered with an error is found, not made twice', async () => {
    await putCustomers(setup.ctx, people(2));
    const audienceId = await makeAudience(setup.ctx, nextName('All'), everyone);
    const metaName = nextName('Answered 2654');
    const sync = await makeSync(setup, [audienceId], { name: nextName('Create 2654'), metaAudience: { mode: 'create', name: metaName } });
    setup.emulator.control.failNext({ path: '/act_*/customaudiences', method: 'POST', when: 'after', error: { status: 400, code: 2654, message: 'Failed to create custom audience' } });

    const run = await runSync(setup.ctx, sync.id, { trigger: 'test' });

    const client = graphClientFor(setup.ctx, await loadDestination(setup.ctx, setup.destinationId));
    let named = 0;
    for await (const audience of client.iterateCustomAudiences(setup.emulator.adAccountId, { fields: ['id', 'name'] })) {
      if (audience.name === metaName) named += 1;
    }
    assert.equal(run.status, 'succeeded', run.errorMessage ?? '');
    assert.equal(named, 1);
  });
});
