import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startMetaEmulator, type MetaEmulator } from './index.ts';
import { call, createTestAudience, personRow, sha, type CallOptions } from './testing.ts';

const codes = (answer: { body: any }) => [answer.body.error.code, answer.body.error.error_subcode];
const byEmail = (a: { EMAIL?: string }, b: { EMAIL?: string }) =>
  (a.EMAIL ?? '') < (b.EMAIL ?? '') ? -1 : 1;

describe('meta emulator: adding and removing users', () => {
  let meta: MetaEmulator;
  let audience: string;
  const users = () => `/${audience}/users`;
  const add = (payload: unknown, extra: Record<string, unknown> = {}, options?: CallOptions) =>
    call(meta, 'POST', users(), { payload, ...extra }, options);
  const remove = (payload: unknown, options?: CallOptions) =>
    call(meta, 'DELETE', users(), { payload }, options);

  before(async () => {
    meta = await startMetaEmulator();
  });
  after(async () => {
    await meta.close();
  });
  beforeEach(async () => {
    meta.control.setTermsAccepted(true);
    audience = await createTestAudience(meta);
  });

  test('stores valid multi-key rows and answers audience_id, session_id and counts', async () => {
    const answer = await add({ schema: ['EMAIL', 'PHONE'], data: [personRow(1), personRow(2)] });

    assert.equal(answer.status, 200);
    assert.equal(answer.body.audience_id, audience);
    assert.match(answer.body.session_id, /^\d+$/);
    assert.equal(answer.body.num_received, 2);
    assert.equal(answer.body.num_invalid_entries, 0);
    assert.deepEqual(answer.body.invalid_entry_samples, {});
    const expected = [1, 2].map((n) => ({ EMAIL: personRow(n)[0], PHONE: personRow(n)[1] }));
    assert.deepEqual(meta.control.rows(audience), expected.sort(byEmail));
  });

  test('counts unhashed, uppercase and empty rows as invalid with samples, storing none', async () => {
    const upper = sha('upper@example.com').toUpperCase();
    const data = [
      personRow(1),
      ['plain@example.com', ''],
      [upper, ''],
      ['', ''],
      ['', personRow(2)[1]],
    ];

    const answer = await add({ schema: ['EMAIL', 'PHONE'], data });

    assert.equal(answer.body.num_received, 5);
    assert.equal(answer.body.num_invalid_entries, 3);
    assert.deepEqual(answer.body.invalid_entry_samples, {
      'plain@example.com': 'EMAIL',
      [upper]: 'EMAIL',
      '["",""]': 'ROW',
    });
    assert.equal(meta.control.rows(audience).length, 2);
  });

  test('keeps at most 100 invalid samples however many rows are invalid', async () => {
    const data = Array.from({ length: 150 }, (_, i) => [`not-hashed-${i}`]);

    const answer = await add({ schema: ['EMAIL'], data });

    assert.equal(answer.body.num_invalid_entries, 150);
    assert.equal(Object.keys(answer.body.invalid_entry_samples).length, 100);
  });

  test('MADID, EXTERN_ID and APPUID travel raw and are stored as sent', async () => {
    const data = [['cust-1', 'ab-cd-ef', '12345'], [42, '', '']];

    const answer = await add({ schema: ['EXTERN_ID', 'MADID', 'APPUID'], data });

    assert.equal(answer.body.num_invalid_entries, 0);
    // Sorted by their cells in key order, so the row with an APPUID comes first.
    assert.deepEqual(meta.control.rows(audience), [
      { EXTERN_ID: 'cust-1', MADID: 'ab-cd-ef', APPUID: '12345' },
      { EXTERN_ID: '42' },
    ]);
  });

  test('refuses the whole request with 100 when a row is not as long as the schema', async () => {
    const data = [personRow(1), [personRow(2)[0]]];

    const answer = await add({ schema: ['EMAIL', 'PHONE'], data });

    assert.equal(answer.body.error.code, 100);
    assert.match(answer.body.error.message, /Row 1 .* 1 values but the schema has 2 keys/);
    assert.equal(meta.control.rows(audience).length, 0);
  });

  test('refuses more than 10,000 rows in one request with 100', async () => {
    const data = Array.from({ length: 10_001 }, (_, i) => [String(i)]);

    const answer = await add({ schema: ['EXTERN_ID'], data });

    assert.equal(answer.body.error.code, 100);
    assert.match(answer.body.error.message, /10001 rows; send at most 10000/);
  });

  test('accepts exactly 10,000 rows', async () => {
    const data = Array.from({ length: 10_000 }, (_, i) => [String(i)]);

    const answer = await add({ schema: ['EXTERN_ID'], data });

    assert.equal(answer.body.num_received, 10_000);
    assert.equal(meta.control.inspectAudience(audience).count, 10_000);
  });

  test('refuses an unknown schema key or a missing payload with 100', async () => {
    const unknown = await add({ schema: ['EMAIL', 'SHOE'], data: [] });
    const missing = await call(meta, 'POST', users(), {});

    assert.match(unknown.body.error.message, /unknown key "SHOE"/);
    assert.match(missing.body.error.message, /payload is required/);
  });

  test('a row sent twice, or with its columns in another order, is stored once', async () => {
    const [email, phone] = personRow(7);

    await add({ schema: ['EMAIL', 'PHONE'], data: [[email, phone], [email, phone]] });
    await add({ schema: ['PHONE', 'EMAIL'], data: [[phone, email]] });

    assert.deepEqual(meta.control.rows(audience), [{ EMAIL: email, PHONE: phone }]);
  });

  test('single-key lists work flat or nested, and EMAIL_SHA256 is stored as EMAIL', async () => {
    const [one, two] = [sha('one@example.com'), sha('two@example.com')];

    const flat = await add({ schema: 'EMAIL_SHA256', is_raw: false, data: [one] });
    const nested = await add({ schema: 'EMAIL_SHA256', data: [[two]] });

    assert.equal(flat.status, 200);
    assert.equal(nested.status, 200);
    assert.deepEqual(meta.control.rows(audience), [{ EMAIL: one }, { EMAIL: two }].sort(byEmail));
  });

  test('a removal row removes exactly the member sent with the same cells', async () => {
    await add({ schema: ['EMAIL', 'PHONE'], data: [personRow(1), personRow(2)] });

    const answer = await remove({ schema: ['EMAIL', 'PHONE'], data: [personRow(1)] });

    assert.equal(answer.body.num_received, 1);
    const [email, phone] = personRow(2);
    assert.deepEqual(meta.control.rows(audience), [{ EMAIL: email, PHONE: phone }]);
  });

  test('an EXTERN_ID-only removal removes every member with that id (docs\' form)', async () => {
    const emails = [1, 2, 3].map((n) => personRow(n)[0]);
    const data = [['a', emails[0]], ['a', emails[1]], ['b', emails[2]]];
    await add({ schema: ['EXTERN_ID', 'EMAIL'], data });

    const payload = JSON.stringify({ schema: 'EXTERN_ID', data: ['a'] });
    const answer = await remove(payload, { encoding: 'form' });

    assert.equal(answer.status, 200);
    assert.deepEqual(meta.control.rows(audience), [{ EXTERN_ID: 'b', EMAIL: emails[2] }]);
  });

  test('a removal row holding more cells than a member removes nothing', async () => {
    await add({ schema: ['EMAIL'], data: [[personRow(1)[0]]] });

    await remove({ schema: ['EMAIL', 'PHONE'], data: [personRow(1)] });

    assert.equal(meta.control.rows(audience).length, 1);
  });

  test('POST with method=DELETE removes, and DELETE with params in the query removes', async () => {
    await add({ schema: ['EXTERN_ID'], data: [['x'], ['y'], ['z']] });

    await add({ schema: ['EXTERN_ID'], data: [['x']] }, { method: 'DELETE' });
    await remove({ schema: ['EXTERN_ID'], data: [['y']] }, { encoding: 'query' });

    assert.deepEqual(meta.control.rows(audience), [{ EXTERN_ID: 'z' }]);
  });

  test('payload and session may be JSON strings in a urlencoded or multipart form', async () => {
    const payload = (id: string) => JSON.stringify({ schema: ['EXTERN_ID'], data: [[id]] });
    const session = JSON.stringify({ session_id: 555, batch_seq: 1, last_batch_flag: false });

    const form = await add(payload('f1'), { session }, { encoding: 'form' });
    const multipart = await add(payload('f2'), { session }, { encoding: 'multipart' });

    assert.equal(form.body.session_id, '555');
    assert.equal(multipart.body.num_received, 2);
    assert.equal(meta.control.rows(audience).length, 2);
  });

  test('num_received adds up over a session\'s batches; calls without one get new ids', async () => {
    const answers = [];
    for (const batch of [1, 2, 3]) {
      const session = { session_id: 9778993, batch_seq: batch, last_batch_flag: batch === 3 };
      answers.push(await add({ schema: ['EXTERN_ID'], data: [[`s${batch}`], ['']] }, { session }));
    }
    const loose = [
      await add({ schema: ['EXTERN_ID'], data: [['l1']] }),
      await add({ schema: ['EXTERN_ID'], data: [['l2']] }),
    ];

    assert.deepEqual(answers.map((answer) => answer.body.num_received), [2, 4, 6]);
    assert.deepEqual(answers.map((answer) => answer.body.num_invalid_entries), [1, 1, 1]);
    assert.equal(answers[2]?.body.session_id, '9778993');
    assert.notEqual(loose[0]?.body.session_id, loose[1]?.body.session_id);
    assert.deepEqual(loose.map((answer) => answer.body.num_received), [1, 1]);
  });

  test('GET sessions reports a session\'s totals as strings', async () => {
    for (const batch of [1, 2]) {
      const session = { session_id: 31337, batch_seq: batch, last_batch_flag: batch === 2 };
      await add({ schema: ['EXTERN_ID'], data: [[`q${batch}`], ['']] }, { session });
    }

    const answer = await call(meta, 'GET', `/${audience}/sessions`, { session_id: '31337' });

    assert.equal(answer.body.data.length, 1);
    const { start_time, end_time, ...totals } = answer.body.data[0];
    assert.match(start_time, /^\d+$/);
    assert.match(end_time, /^\d+$/);
    assert.deepEqual(totals, {
      session_id: '31337',
      num_received: '4',
      num_invalid_entries: '2',
      num_matched: '2',
      progress: '100',
      stage: 'completed',
    });
  });

  test('a value-based audience needs LOOKALIKE_VALUE and takes the docs\' form example', async () => {
    const valueBased = await createTestAudience(meta, 'Value based', { is_value_based: true });
    const docsPayload = JSON.stringify({
      schema: ['EMAIL', 'LOOKALIKE_VALUE'],
      data: [
        ['9b431636bd164765d63c573c346708846af4f68fe3701a77a3bdd7e7e5166254', 44.5],
        ['8cc62c145cd0c6dc444168eaeb1b61b351f9b1809a579cc9b4c9e9d7213a39ee', 140],
        ['4eaf70b1f7a797962b9d2a533f122c8039012b31e0a52b34a426729319cb792a', 0],
        ['98df8d46f118f8bef552b0ec0a3d729466a912577830212a844b73960777ac56', 0.9],
      ],
    });
    const path = `/${valueBased}/users`;

    const noValue = { schema: ['EMAIL'], data: [[sha('a')]] };

    const withoutValue = await call(meta, 'POST', path, { payload: noValue });
    const docs = await call(meta, 'POST', path, { payload: docsPayload }, { encoding: 'form' });
    const valueOnPlain = await add({ schema: ['EMAIL', 'LOOKALIKE_VALUE'], data: [[sha('a'), 1]] });

    const message = '(#100) Value-Based Custom Audience requires LOOKALIKE_VALUE attribute.';
    assert.equal(withoutValue.body.error.message, message);
    assert.equal(docs.body.num_received, 4);
    assert.equal(docs.body.num_invalid_entries, 0);
    assert.equal(valueOnPlain.body.error.code, 100);
  });

  test('a negative or non-numeric LOOKALIKE_VALUE makes its row invalid', async () => {
    const valueBased = await createTestAudience(meta, 'Value based 2', { is_value_based: true });
    const data = [[sha('a'), -1], [sha('b'), 'lots'], [sha('c'), '100']];

    const answer = await call(meta, 'POST', `/${valueBased}/users`, {
      payload: { schema: ['EMAIL', 'LOOKALIKE_VALUE'], data },
    });

    assert.equal(answer.body.num_invalid_entries, 2);
    assert.deepEqual(meta.control.rows(valueBased), [{ EMAIL: sha('c'), LOOKALIKE_VALUE: '100' }]);
  });

  test('the first upload fixes the file kind: a single-key list after multi-key gets 2650', async () => {
    await add({ schema: ['EMAIL', 'PHONE'], data: [personRow(1)] });

    const single = await add({ schema: 'EMAIL_SHA256', data: [sha('x@example.com')] });
    const removal = await remove({ schema: 'EXTERN_ID', data: ['nobody'] });
    const read = await call(meta, 'GET', `/${audience}`, { fields: 'data_source' });

    assert.equal(single.body.error.code, 2650);
    assert.equal(single.body.error.type, 'OAuthException');
    assert.equal(
      single.body.error.message,
      '(#2650) Failed to update the custom audience: This audience was created from data source ' +
        'FILE_IMPORTED.MULTI_HASHES, which does not support data source ' +
        'FILE_IMPORTED.HASHES_OR_USER_IDS.',
    );
    assert.equal(removal.status, 200);
    const dataSource = { type: 'FILE_IMPORTED', sub_type: 'MULTI_HASHES', creation_params: '[]' };
    assert.deepEqual(read.body.data_source, dataSource);
  });

  test('a single-key audience refuses a later multi-key upload', async () => {
    await add({ schema: 'EMAIL_SHA256', data: [sha('x@example.com')] });

    const multi = await add({ schema: ['EMAIL', 'PHONE'], data: [personRow(1)] });

    const mismatch = /created from data source FILE_IMPORTED\.HASHES_OR_USER_IDS/;
    assert.match(multi.body.error.message, mismatch);
  });

  test('checks run in order: missing object, then terms, then payload', async () => {
    meta.control.setTermsAccepted(false);
    const bad = { payload: { schema: ['NOPE'], data: [] } };

    const missing = await call(meta, 'POST', '/123456/users', bad);
    const terms = await call(meta, 'POST', users(), bad);
    meta.control.setTermsAccepted(true);
    const payload = await call(meta, 'POST', users(), bad);

    assert.deepEqual(codes(missing), [100, 33]);
    assert.deepEqual(codes(terms), [200, 1870090]);
    assert.deepEqual(codes(payload), [100, undefined]);
  });

  test('large int64 session ids keep all their digits', async () => {
    const body =
      '{"payload":{"schema":["EXTERN_ID"],"data":[["big"]]},' +
      '"session":{"session_id":9223372036854775807,"batch_seq":1}}';
    const url = `${meta.url}/v25.0${users()}?access_token=${meta.accessToken}`;

    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });

    const answer = (await response.json()) as { session_id: string };
    assert.equal(answer.session_id, '9223372036854775807');
  });
});
