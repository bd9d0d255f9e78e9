import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startMetaEmulator, type MetaEmulator } from './index.ts';
import { call, createTestAudience, personRow } from './testing.ts';

const codes = (answer: { body: any }) => [answer.body.error.code, answer.body.error.error_subcode];

describe('meta emulator: custom audiences', () => {
  let meta: MetaEmulator;
  let now = Date.UTC(2026, 2, 1, 9, 0, 0);
  const audiences = () => `/${meta.adAccountId}/customaudiences`;
  const read = (id: string, fields: string) => call(meta, 'GET', `/${id}`, { fields });
  const addUsers = (id: string, payload: unknown) =>
    call(meta, 'POST', `/${id}/users`, { payload });

  before(async () => {
    meta = await startMetaEmulator({ clock: () => now });
  });
  after(async () => {
    await meta.close();
  });
  beforeEach(() => {
    meta.control.setTermsAccepted(true);
  });

  test('creates an audience from the docs\' multipart form with quoted values', async () => {
    const form = {
      name: 'My new Custom Audience',
      subtype: '"CUSTOM"',
      description: '"People who purchased on my website"',
      customer_file_source: '"USER_PROVIDED_ONLY"',
      audience_labels: '["HIGH_VALUE_CUSTOMERS"]',
    };

    const answer = await call(meta, 'POST', audiences(), form, { encoding: 'multipart' });

    assert.equal(answer.status, 200);
    assert.match(answer.body.id, /^\d+$/);
    const fields = 'name,subtype,description,customer_file_source,account_id';
    assert.deepEqual((await read(answer.body.id, fields)).body, {
      id: answer.body.id,
      name: 'My new Custom Audience',
      subtype: 'CUSTOM',
      description: 'People who purchased on my website',
      customer_file_source: 'USER_PROVIDED_ONLY',
      account_id: '1000000000000001',
    });
  });

  test('refuses a create without a name or with bad values, with code 100', async () => {
    const noName = await call(meta, 'POST', audiences(), { subtype: 'CUSTOM' });
    const badSource = await call(meta, 'POST', audiences(), {
      name: 'x',
      customer_file_source: 'MINE',
    });
    const badRetention = await call(meta, 'POST', audiences(), { name: 'x', retention_days: 181 });

    for (const answer of [noName, badSource, badRetention]) {
      assert.equal(answer.status, 400);
      assert.equal(answer.body.error.code, 100);
      assert.match(answer.body.error.message, /^\(#100\) /);
    }
  });

  test('an unknown ad account answers 100/33 GraphMethodException', async () => {
    const answer = await call(meta, 'POST', '/act_42/customaudiences', { name: 'x' });

    assert.deepEqual(codes(answer), [100, 33]);
    assert.equal(answer.body.error.type, 'GraphMethodException');
    const unsupported = /^Unsupported post request\. Object with ID 'act_42' does not exist/;
    assert.match(answer.body.error.message, unsupported);
  });

  test('without accepted terms a create fails with 200/1870090 and tos_accepted reads {}', async () => {
    meta.control.setTermsAccepted(false);

    const create = await call(meta, 'POST', audiences(), { name: 'No terms' });
    const terms = await call(meta, 'GET', `/${meta.adAccountId}`, {
      fields: 'tos_accepted,user_tos_accepted',
    });

    assert.deepEqual(codes(create), [200, 1870090]);
    assert.equal(create.body.error.error_user_title, 'Custom Audience Terms Not Accepted');
    const link = new RegExp(`${meta.url}/ads/manage/customaudiences/tos/\\?act=`);
    assert.match(create.body.error.error_user_msg, link);
    assert.deepEqual(terms.body, { id: meta.adAccountId, tos_accepted: {}, user_tos_accepted: {} });
  });

  test('accepting the terms on the page the error links to lets creates through', async () => {
    meta.control.setTermsAccepted(false);
    const link = `${meta.url}/ads/manage/customaudiences/tos/?act=1000000000000001`;

    const page = await fetch(link);
    const body = new URLSearchParams({ decision: 'accept' });
    const accept = await fetch(link, { method: 'POST', body });
    const create = await call(meta, 'POST', audiences(), { name: 'Terms accepted' });
    const terms = await call(meta, 'GET', `/${meta.adAccountId}`, { fields: 'tos_accepted' });

    assert.match(await page.text(), /Accept the terms/);
    assert.equal(accept.status, 200);
    assert.equal(create.status, 200);
    assert.deepEqual(terms.body.tos_accepted, { custom_audience_tos: 1 });
  });

  test('reads the ad account fields a connection check needs', async () => {
    const fields = 'name,account_status,currency,business,user_tasks,tos_accepted';

    const answer = await call(meta, 'GET', `/${meta.adAccountId}`, { fields });

    assert.equal(answer.status, 200);
    assert.equal(answer.body.account_status, 1);
    assert.deepEqual(answer.body.tos_accepted, { custom_audience_tos: 1 });
    assert.equal(answer.body.business.id, '1000000000000004');
  });

  test('an unknown field answers 100 naming the field and the node type', async () => {
    const id = await createTestAudience(meta);

    const answer = await read(id, 'name,shoe_size');

    assert.equal(answer.body.error.code, 100);
    const message = /nonexisting field \(shoe_size\) on node type \(CustomAudience\)/;
    assert.match(answer.body.error.message, message);
  });

  test('a new audience reads as no upload (410), too small (300), with its creation times', async () => {
    const id = await createTestAudience(meta, 'Fresh');

    const answer = await read(
      id,
      'approximate_count_lower_bound,approximate_count_upper_bound,operation_status,' +
        'delivery_status,time_created,time_updated,time_content_updated',
    );

    const seconds = Math.floor(now / 1000);
    const { body } = answer;
    assert.equal(body.approximate_count_lower_bound, 0);
    assert.equal(body.approximate_count_upper_bound, 0);
    assert.equal(body.operation_status.code, 410);
    assert.equal(body.delivery_status.code, 300);
    const times = [body.time_created, body.time_updated, body.time_content_updated];
    assert.deepEqual(times, [seconds, seconds, seconds]);
  });

  test('an upload moves time_content_updated and the counts; 100 members are deliverable', async () => {
    const id = await createTestAudience(meta, 'Growing');
    now += 60_000;

    const data = Array.from({ length: 100 }, (_, i) => personRow(i));
    await addUsers(id, { schema: ['EMAIL', 'PHONE'], data });
    const answer = await read(
      id,
      'approximate_count_lower_bound,operation_status,delivery_status,time_created,' +
        'time_content_updated',
    );

    assert.equal(answer.body.approximate_count_lower_bound, 100);
    assert.equal(answer.body.operation_status.code, 200);
    assert.equal(answer.body.delivery_status.code, 200);
    assert.equal(answer.body.time_content_updated, answer.body.time_created + 60);
  });

  test('an update changes the name and time_updated and answers success', async () => {
    const id = await createTestAudience(meta, 'Old name');
    now += 5_000;

    const changes = { name: 'New name', description: 'Updated' };
    const update = await call(meta, 'POST', `/${id}`, changes, { encoding: 'form' });
    const answer = await read(id, 'name,description,time_created,time_updated');

    assert.deepEqual(update.body, { success: true });
    assert.equal(answer.body.name, 'New name');
    assert.equal(answer.body.description, 'Updated');
    assert.equal(answer.body.time_updated, answer.body.time_created + 5);
  });

  test('an audience deleted by DELETE or by POST method=DELETE answers 100/33 afterwards', async () => {
    const first = await createTestAudience(meta, 'Delete me');
    const second = await createTestAudience(meta, 'Delete me too');

    const deleted = await call(meta, 'DELETE', `/${first}`, {}, { encoding: 'query' });
    const override = { method: 'DELETE' };
    const overridden = await call(meta, 'POST', `/${second}`, override, { encoding: 'form' });
    const answer = await read(first, 'name');
    const upload = await addUsers(second, { schema: 'EXTERN_ID', data: ['a'] });

    assert.deepEqual(deleted.body, { success: true });
    assert.deepEqual(overridden.body, { success: true });
    assert.deepEqual(codes(answer), [100, 33]);
    assert.match(upload.body.error.message, /^Unsupported post request\./);
  });

  test('an audience deleted in Ads Manager answers 100/33 to the next upload', async () => {
    const id = await createTestAudience(meta, 'Deleted elsewhere');
    meta.control.deleteAudience(id);

    const answer = await addUsers(id, { schema: 'EXTERN_ID', data: ['a'] });

    assert.deepEqual(codes(answer), [100, 33]);
  });

  test('a flagged audience reads 471, refuses uploads (1713230) and edits (1713228)', async () => {
    const id = await createTestAudience(meta, 'Flagged');
    meta.control.flagAudience(id);

    const answer = await read(id, 'operation_status');
    const upload = await addUsers(id, { schema: 'EXTERN_ID', data: ['a'] });
    const edit = await call(meta, 'POST', `/${id}`, { name: 'Renamed' });

    assert.equal(answer.body.operation_status.code, 471);
    assert.deepEqual(codes(upload), [100, 1713230]);
    assert.equal(upload.body.error.error_user_title, 'Audience Upload Blocked');
    assert.deepEqual(codes(edit), [100, 1713228]);
  });

  test('enable_fetch_or_create returns the audience of the same name, not a second one', async () => {
    const id = await createTestAudience(meta, 'Created once');

    const again = await call(meta, 'POST', audiences(), {
      name: 'Created once',
      enable_fetch_or_create: true,
    });

    assert.equal(again.body.id, id);
  });
});

describe('meta emulator: listing audiences', () => {
  let meta: MetaEmulator;
  const ids: string[] = [];
  const list = (params: Record<string, unknown> = {}) =>
    call(meta, 'GET', `/${meta.adAccountId}/customaudiences`, params);
  const names = (answer: { body: any }): string[] =>
    answer.body.data.map((item: { name: string }) => item.name);
  const NAMES = ['Alpha buyers', 'Beta buyers', 'Gamma leads', 'Delta leads', 'Epsilon buyers'];

  before(async () => {
    meta = await startMetaEmulator();
    for (const name of NAMES) ids.push(await createTestAudience(meta, name));
  });
  after(async () => {
    await meta.close();
  });

  test('lists only ids by default, newest first', async () => {
    const answer = await list();

    assert.deepEqual(answer.body.data, [...ids].reverse().map((id) => ({ id })));
  });

  test('pages with limit and the next links until next disappears', async () => {
    let answer = await list({ limit: 2, fields: 'name' });
    const seen: string[] = names(answer);
    let pages = 1;
    while (answer.body.paging?.next) {
      const response = await fetch(answer.body.paging.next);
      answer = { status: response.status, headers: response.headers, body: await response.json() };
      seen.push(...names(answer));
      pages += 1;
    }

    assert.equal(pages, 3);
    assert.deepEqual(seen, [...NAMES].reverse());
  });

  test('an after cursor taken from paging.cursors gives the following page', async () => {
    const first = await list({ limit: 3 });

    const second = await list({ limit: 3, after: first.body.paging.cursors.after });

    assert.deepEqual(second.body.data, [{ id: ids[1] }, { id: ids[0] }]);
    assert.equal(second.body.paging.next, undefined);
  });

  test('the previous link of a later page leads back to the page before it', async () => {
    const first = await list({ limit: 2 });
    const second = await list({ limit: 2, after: first.body.paging.cursors.after });
    const third = await list({ limit: 2, after: second.body.paging.cursors.after });

    const response = await fetch(third.body.paging.previous);
    const back = (await response.json()) as { data: unknown[] };

    assert.deepEqual(back.data, second.body.data);
    assert.equal(first.body.paging.previous, undefined);
  });

  test('filters on name with CONTAIN (any case) and EQUAL (exact)', async () => {
    const contain = await list({
      fields: 'name',
      filtering: [{ field: 'name', operator: 'CONTAIN', value: 'BUYERS' }],
    });
    const equal = await list({
      fields: 'name',
      filtering: [{ field: 'name', operator: 'EQUAL', value: 'Gamma leads' }],
    });

    assert.deepEqual(names(contain), ['Epsilon buyers', 'Beta buyers', 'Alpha buyers']);
    assert.deepEqual(equal.body.data, [{ id: ids[2], name: 'Gamma leads' }]);
  });

  test('an unknown filter operator answers 100', async () => {
    const filtering = [{ field: 'name', operator: 'SOUNDS_LIKE', value: 'x' }];

    const answer = await list({ filtering });

    assert.equal(answer.body.error.code, 100);
  });

  test('a limit above 500 answers code 1 "reduce the amount of data"', async () => {
    const answer = await list({ limit: 501 });

    assert.equal(answer.status, 500);
    assert.equal(answer.body.error.code, 1);
    assert.match(answer.body.error.message, /reduce the amount of data/);
  });

  test('the 501st customer-file audience of an ad account is refused with 2654', async () => {
    for (let i = ids.length; i < 500; i++) meta.control.createAudienceDirectly(`Filler ${i}`);

    const path = `/${meta.adAccountId}/customaudiences`;
    const answer = await call(meta, 'POST', path, { name: 'One too many' });

    assert.equal(answer.body.error.code, 2654);
    assert.match(answer.body.error.message, /500/);
  });
});
