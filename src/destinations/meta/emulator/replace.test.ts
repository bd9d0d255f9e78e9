import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startMetaEmulator, type MetaEmulator } from './index.ts';
import { call, createTestAudience, personRow } from './testing.ts';

const SCHEMA = ['EMAIL', 'PHONE'];
const MINUTE = 60_000;
const codes = (answer: { body: any }) => [answer.body.error.code, answer.body.error.error_subcode];

describe('meta emulator: usersreplace', () => {
  let meta: MetaEmulator;
  let now = Date.UTC(2026, 4, 1, 8, 0, 0);
  let audience: string;
  let nextSession = 100;

  const replace = (session: Record<string, unknown>, data: string[][], schema: unknown = SCHEMA) =>
    call(meta, 'POST', `/${audience}/usersreplace`, { session, payload: { schema, data } });
  const add = (data: string[][]) =>
    call(meta, 'POST', `/${audience}/users`, { payload: { schema: SCHEMA, data } });
  const emails = () => meta.control.rows(audience).map((row) => row.EMAIL).sort();
  const emailsOf = (...people: number[]) => people.map((n) => personRow(n)[0]).sort();
  const status = async () => {
    const answer = await call(meta, 'GET', `/${audience}`, { fields: 'operation_status' });
    return answer.body.operation_status.code;
  };

  before(async () => {
    meta = await startMetaEmulator({ clock: () => now });
  });
  after(async () => {
    await meta.close();
  });
  beforeEach(async () => {
    audience = await createTestAudience(meta);
    await add([personRow(1), personRow(2)]);
    nextSession += 1;
  });

  test('batches build the new membership aside and the last batch swaps it in at once', async () => {
    const session_id = nextSession;

    const first = await replace({ session_id, batch_seq: 1 }, [personRow(3), ['bad', '']]);
    const during = { status: await status(), emails: emails() };
    const second = await replace({ session_id, batch_seq: 2 }, [personRow(4)]);
    const last = await replace({ session_id, batch_seq: 3, last_batch_flag: true }, [personRow(5)]);

    assert.deepEqual(during, { status: 414, emails: emailsOf(1, 2) });
    assert.deepEqual(first.body, {
      audience_id: audience,
      account_id: '1000000000000001',
      session_id: String(session_id),
      num_received: 2,
      num_invalid_entries: 1,
      invalid_entry_samples: ['bad'],
    });
    assert.equal(second.body.num_received, 3);
    assert.equal(last.body.num_received, 4);
    assert.deepEqual(emails(), emailsOf(3, 4, 5));
    assert.equal(await status(), 200);
  });

  test('a session whose first batch is not batch_seq 1 is refused with 2650/1870147', async () => {
    const session = { session_id: nextSession, batch_seq: 2, last_batch_flag: true };

    const answer = await replace(session, [personRow(3)]);

    assert.deepEqual(codes(answer), [2650, 1870147]);
    assert.equal(answer.body.error.error_user_title, 'Invalid Upload Batch for Replace');
    assert.deepEqual(emails(), emailsOf(1, 2));
  });

  test('batch 1 sent again to its open session is taken as a retry, not a new replace', async () => {
    const session_id = nextSession;
    await replace({ session_id, batch_seq: 1 }, [personRow(3)]);

    const retried = await replace({ session_id, batch_seq: 1 }, [personRow(3)]);
    await replace({ session_id, batch_seq: 2, last_batch_flag: true }, [personRow(4)]);

    assert.equal(retried.status, 200);
    assert.deepEqual(emails(), emailsOf(3, 4));
  });

  test('a batch after last_batch_flag is refused with 2650/1870159', async () => {
    await replace({ session_id: nextSession, batch_seq: 1, last_batch_flag: true }, [personRow(3)]);

    const late = await replace({ session_id: nextSession, batch_seq: 2 }, [personRow(4)]);

    assert.deepEqual(codes(late), [2650, 1870159]);
    assert.deepEqual(emails(), emailsOf(3));
  });

  test('/users adds and removes during a replace are refused with 2650/1870145', async () => {
    await replace({ session_id: nextSession, batch_seq: 1 }, [personRow(3)]);

    const adding = await add([personRow(9)]);
    const removing = await call(meta, 'DELETE', `/${audience}/users`, {
      payload: { schema: SCHEMA, data: [personRow(1)] },
    });

    assert.deepEqual(codes(adding), [2650, 1870145]);
    assert.deepEqual(codes(removing), [2650, 1870145]);
  });

  test('a second replace session during a replace is refused with 2650/1870145', async () => {
    await replace({ session_id: nextSession, batch_seq: 1 }, [personRow(3)]);

    const session = { session_id: nextSession + 5000, batch_seq: 1, last_batch_flag: true };

    const other = await replace(session, [personRow(4)]);

    assert.deepEqual(codes(other), [2650, 1870145]);
  });

  test('every batch of a session must repeat the first batch\'s schema', async () => {
    await replace({ session_id: nextSession, batch_seq: 1 }, [personRow(3)]);

    const [email, phone] = personRow(4);

    const reordered = await replace({ session_id: nextSession, batch_seq: 2 }, [[phone, email]], [
      'PHONE',
      'EMAIL',
    ]);

    assert.equal(reordered.body.error.code, 100);
    assert.match(reordered.body.error.message, /schema of its first batch \(EMAIL, PHONE\)/);
  });

  test('a replace without a session_id is refused with 100', async () => {
    const payload = { schema: SCHEMA, data: [personRow(3)] };

    const answer = await call(meta, 'POST', `/${audience}/usersreplace`, { payload });

    assert.equal(answer.body.error.code, 100);
    assert.match(answer.body.error.message, /session/);
  });

  test('after 90 minutes a replace ends with what arrived; late batches get 1870158', async () => {
    const session_id = nextSession;
    await replace({ session_id, batch_seq: 1 }, [personRow(3)]);
    now += 89 * MINUTE;
    await replace({ session_id, batch_seq: 2 }, [personRow(4)]);
    now += 1 * MINUTE;

    const late = await replace({ session_id, batch_seq: 3, last_batch_flag: true }, [personRow(5)]);
    const afterwards = await add([personRow(6)]);

    assert.deepEqual(codes(late), [2650, 1870158]);
    assert.equal(late.body.error.error_user_title, 'Replace Session Timed Out');
    assert.equal(afterwards.status, 200);
    assert.deepEqual(emails(), emailsOf(3, 4, 6));
    assert.equal(await status(), 200);
  });

  test('an abandoned replace ends by itself once 90 minutes pass, with no further call', async () => {
    await replace({ session_id: nextSession, batch_seq: 1 }, [personRow(7)]);
    now += 90 * MINUTE;

    const fields = 'approximate_count_lower_bound,operation_status';
    const read = await call(meta, 'GET', `/${audience}`, { fields });

    assert.equal(read.body.approximate_count_lower_bound, 1);
    assert.equal(read.body.operation_status.code, 200);
    assert.deepEqual(emails(), emailsOf(7));
  });

  test('a replace keeps the audience\'s kind of file: single-key after multi-key gets 2650', async () => {
    const answer = await call(meta, 'POST', `/${audience}/usersreplace`, {
      session: { session_id: nextSession, batch_seq: 1, last_batch_flag: true },
      payload: { schema: 'EMAIL_SHA256', data: [personRow(3)[0]] },
    });

    assert.equal(answer.body.error.code, 2650);
    assert.match(answer.body.error.message, /FILE_IMPORTED\.MULTI_HASHES/);
    assert.equal(await status(), 200);
  });

  test('the replace session shows in GET sessions with its outcome', async () => {
    const session = { session_id: nextSession, batch_seq: 1, last_batch_flag: true };
    await replace({ ...session, estimated_num_total: 1 }, [personRow(3)]);

    const params = { session_id: String(nextSession) };
    const answer = await call(meta, 'GET', `/${audience}/sessions`, params);

    assert.equal(answer.body.data[0].stage, 'completed');
    assert.equal(answer.body.data[0].num_received, '1');
  });
});
