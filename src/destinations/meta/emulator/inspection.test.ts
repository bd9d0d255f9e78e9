import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startMetaEmulator, type MetaEmulator } from './index.ts';
import { call, createTestAudience, personRow } from './testing.ts';

const get = async (url: string): Promise<{ status: number; body: any }> => {
  const response = await fetch(url);
  return { status: response.status, body: await response.json() };
};

describe('meta emulator: inspection routes', () => {
  let meta: MetaEmulator;

  before(async () => {
    meta = await startMetaEmulator();
  });
  after(async () => {
    await meta.close();
  });

  test('GET /_emulator/audiences/{id}/rows lists members sorted, keyed by schema key', async () => {
    const audience = await createTestAudience(meta);
    const [email, phone] = personRow(2);
    const data = [[phone, email], [personRow(1)[1], '']];
    const payload = { schema: ['PHONE', 'EMAIL'], data };
    await call(meta, 'POST', `/${audience}/users`, { payload });

    const answer = await get(`${meta.url}/_emulator/audiences/${audience}/rows`);

    // Sorted by cells in key order: the row holding an EMAIL comes before the PHONE-only one.
    assert.deepEqual(answer.body, {
      audience_id: audience,
      schema_keys: ['PHONE', 'EMAIL'],
      rows: [{ EMAIL: email, PHONE: phone }, { PHONE: personRow(1)[1] }],
      count: 2,
      storage: 'rows',
    });
  });

  test('an unknown audience answers 404 on the inspection route', async () => {
    const answer = await get(`${meta.url}/_emulator/audiences/123/rows`);

    assert.equal(answer.status, 404);
  });

  test('GET /_emulator/requests lists the last calls with parsed bodies and no token', async () => {
    const audience = await createTestAudience(meta);
    meta.control.clearRequests();
    const payload = JSON.stringify({ schema: 'EXTERN_ID', data: ['gone'] });
    const params = { method: 'DELETE', payload };
    await call(meta, 'POST', `/${audience}/users`, params, { encoding: 'form' });
    await call(meta, 'GET', `/${audience}`, { fields: 'name' });

    const all = await get(`${meta.url}/_emulator/requests`);
    const last = await get(`${meta.url}/_emulator/requests?limit=1`);

    assert.equal(all.body.requests.length, 2);
    assert.deepEqual(all.body.requests[0], {
      method: 'DELETE',
      httpMethod: 'POST',
      path: `/v25.0/${audience}/users`,
      query: {},
      contentType: 'application/x-www-form-urlencoded;charset=UTF-8',
      body: { method: 'DELETE', payload },
      status: 200,
    });
    const [only] = last.body.requests;
    assert.deepEqual([last.body.requests.length, only.path, only.query], [
      1,
      `/v25.0/${audience}`,
      { fields: 'name' },
    ]);
  });

  test('the inspection routes are read-only and not Graph calls', async () => {
    const response = await fetch(`${meta.url}/_emulator/requests`, { method: 'DELETE' });
    const graph = await call(meta, 'GET', '/_emulator/requests');

    assert.equal(response.status, 405);
    assert.deepEqual([graph.body.error.code, graph.body.error.error_subcode], [100, 33]);
  });
});

describe('meta emulator: digest storage', () => {
  let meta: MetaEmulator;
  const users = (audience: string) => `/${audience}/users`;

  before(async () => {
    meta = await startMetaEmulator({ storage: 'digests' });
  });
  after(async () => {
    await meta.close();
  });

  test('keeps counts only, with set semantics and exact-row removal', async () => {
    const audience = await createTestAudience(meta);
    const data = Array.from({ length: 1000 }, (_, i) => personRow(i));
    const [email, phone] = personRow(5);

    await call(meta, 'POST', users(audience), { payload: { schema: ['EMAIL', 'PHONE'], data } });
    const again = { schema: ['PHONE', 'EMAIL'], data: [[phone, email]] };
    await call(meta, 'POST', users(audience), { payload: again });
    const removal = { schema: ['EMAIL', 'PHONE'], data: data.slice(0, 10) };
    await call(meta, 'DELETE', users(audience), { payload: removal });
    const view = await get(`${meta.url}/_emulator/audiences/${audience}/rows`);

    assert.deepEqual(view.body, {
      audience_id: audience,
      schema_keys: ['PHONE', 'EMAIL'],
      count: 990,
      storage: 'digests',
    });
    assert.throws(() => meta.control.rows(audience), /digests/);
  });

  test('a replace swaps digests too', async () => {
    const audience = await createTestAudience(meta);
    const before = { schema: ['EXTERN_ID'], data: [['a'], ['b']] };
    await call(meta, 'POST', users(audience), { payload: before });

    await call(meta, 'POST', `/${audience}/usersreplace`, {
      session: { session_id: 1, batch_seq: 1, last_batch_flag: true },
      payload: { schema: ['EXTERN_ID'], data: [['c']] },
    });

    assert.equal(meta.control.inspectAudience(audience).count, 1);
  });

  test('keeps no request bodies by default, so a benchmark does not hold its uploads', () => {
    assert.deepEqual(meta.control.requests(), []);
  });
});
