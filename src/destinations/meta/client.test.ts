import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { after, before, beforeEach, describe, test } from 'node:test';
import pino from 'pino';
import { GraphClient, type GraphClientOptions } from './client.ts';
import { GraphApiError } from './errors.ts';
import type { UploadSession, UsersPayload } from './wire.ts';

/** A scripted stand-in for graph.facebook.com that records every request it gets. */
interface Reply {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Drop the connection without answering, as a network fault would. */
  destroy?: boolean;
  /** Never answer, to exercise the client's timeout. */
  hang?: boolean;
}

interface Recorded {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType: string | undefined;
  body: unknown;
}

const requests: Recorded[] = [];
const replies: Reply[] = [];
const sleeps: number[] = [];
let baseUrl = '';

const NO_REPLY: Reply = { status: 500, body: { error: { message: 'no reply scripted' } } };

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const text = await readBody(req);
  requests.push({
    method: req.method ?? '',
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    contentType: req.headers['content-type'],
    body: text ? JSON.parse(text) : undefined,
  });

  const reply = replies.shift() ?? NO_REPLY;
  if (reply.destroy) return req.socket.destroy();
  if (reply.hang) return;
  res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
  res.end(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {}));
});

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  requests.length = 0;
  replies.length = 0;
  sleeps.length = 0;
});

function makeClient(options: Partial<GraphClientOptions> = {}) {
  return new GraphClient({
    baseUrl,
    apiVersion: 'v25.0',
    accessToken: 'ABC',
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...options,
  });
}

/** What the mock saw, as [method, path, query, body]. */
function sent(request: Recorded | undefined) {
  return request && [request.method, request.path, request.query, request.body];
}

function bodyOf(request: Recorded | undefined): Record<string, unknown> {
  return request?.body as Record<string, unknown>;
}

/** An assert.rejects matcher for a GraphApiError with these fields. */
function graphApiError(expected: Partial<Record<keyof GraphApiError, unknown>>) {
  return (error: unknown) => {
    assert.ok(error instanceof GraphApiError, `expected a GraphApiError, got ${String(error)}`);
    for (const [key, value] of Object.entries(expected)) {
      assert.equal(error[key as keyof GraphApiError], value, key);
    }
    return true;
  };
}

function graphError(code: number, subcode?: number) {
  const error = { message: `(#${code}) error`, type: 'OAuthException', code };
  return { error: { ...error, error_subcode: subcode, fbtrace_id: 'T' } };
}

function usageHeader(regainMinutes: number, callCount = 100) {
  const entry = { type: 'custom_audience', call_count: callCount, total_cputime: 1, total_time: 1 };
  const usage = { '123': [{ ...entry, estimated_time_to_regain_access: regainMinutes }] };
  return { 'x-business-use-case-usage': JSON.stringify(usage) };
}

// payloads.json rt-proc-4: hashing on, 11-key schema, MADID raw, data_source sub_type only.
const RT_PROC_4_PAYLOAD: UsersPayload = {
  is_raw: true,
  data_source: { sub_type: 'ANYTHING' },
  schema: ['EMAIL', 'DOBM', 'DOBD', 'DOBY', 'PHONE', 'GEN', 'FI', 'MADID', 'ZIP', 'ST', 'COUNTRY'],
  data: [
    [
      '85cc9fefa1eff1baab55d10df0cecff2acb25344867a5d0f96e1b1c5e2f10f05',
      'a953f09a1b6b6725b81956e9ad0b1eb49e3ad40004c04307ef8af6246a054116',
      '3fdba35f04dc8c462986c992bcf875546257113072a909c162f7e470e581e278',
      '7931aa2a1bed855457d1ddf6bc06ab4406a9fba0579045a4d6ff78f9c07c440f',
      '0dcd4be87427e008a16adbdc2b2c15a14accf485dd451314dcecfb902c51c686',
      '252f10c83610ebca1a059c0bae8255eba2f95be4d1d7bcfa89d7248a82d9f111',
      'db0683221aebc02cc034b65ebcf7d1bddd1eb199e33fd23a31931947d13a11bc',
      'abc',
      '4a70fe9aa6436e02c2dea340fbd1e352e4ef2d8ce6ca52ad25d4b95471fc8bf2',
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
      '582967534d0f909d196b97f9e6921342777aea87b46fa52df165389db1fb8ccf',
    ],
  ],
};

const SESSION: UploadSession = {
  session_id: 9778993,
  batch_seq: 1,
  last_batch_flag: true,
  estimated_num_total: 1,
};

const USERS_OK = {
  audience_id: 'aud1',
  session_id: '9778993',
  num_received: 1,
  num_invalid_entries: 0,
  invalid_entry_samples: {},
};

const UPLOAD_BODY = { payload: RT_PROC_4_PAYLOAD, session: SESSION, access_token: 'ABC' };

// payloads.json appsecret-proof-classic: HMAC-SHA256('dummySecret', 'ABC').
const PROOF_ABC = 'b65114480019ded6a613dfeb8dcc8b3411598ba1405c65c89dc0c360c72a4732';

describe('exact requests', () => {
  test('addUsers POSTs the payload, the session and the token as one JSON body', async () => {
    replies.push({ body: USERS_OK });

    const result = await makeClient().addUsers('aud1', RT_PROC_4_PAYLOAD, SESSION);

    assert.deepEqual(requests, [
      {
        method: 'POST',
        path: '/v25.0/aud1/users',
        query: {},
        contentType: 'application/json',
        body: UPLOAD_BODY,
      },
    ]);
    assert.deepEqual(result, USERS_OK);
  });

  test('removeUsers sends the same body with DELETE', async () => {
    replies.push({ body: { ...USERS_OK, session_id: 9778993 } });

    const result = await makeClient().removeUsers('aud1', RT_PROC_4_PAYLOAD, SESSION);

    assert.deepEqual(sent(requests[0]), ['DELETE', '/v25.0/aud1/users', {}, UPLOAD_BODY]);
    assert.equal(result.session_id, '9778993', 'a numeric session id comes back as a string');
  });

  test('replaceUsers POSTs one batch of a session to /usersreplace', async () => {
    replies.push({ body: { account_id: 1, session_id: 9778993, num_received: 1 } });
    const session = { session_id: 9778993, batch_seq: 2, last_batch_flag: false };

    await makeClient().replaceUsers('aud1', RT_PROC_4_PAYLOAD, session);

    const body = { payload: RT_PROC_4_PAYLOAD, session, access_token: 'ABC' };
    assert.deepEqual(sent(requests[0]), ['POST', '/v25.0/aud1/usersreplace', {}, body]);
  });

  test('createCustomAudience POSTs a CUSTOM audience, USER_PROVIDED_ONLY by default', async () => {
    replies.push({ body: { id: '238' } }, { body: { id: '239' } });
    const client = makeClient();

    const created = await client.createCustomAudience('act_123', {
      name: 'Students',
      description: 'From Sourcesible',
    });
    await client.createCustomAudience('123', {
      name: 'Partners',
      customer_file_source: 'PARTNER_PROVIDED_ONLY',
    });

    assert.deepEqual(created, { id: '238' });
    const path = '/v25.0/act_123/customaudiences';
    assert.deepEqual(requests.map(sent), [
      ['POST', path, {}, {
        name: 'Students',
        subtype: 'CUSTOM',
        description: 'From Sourcesible',
        customer_file_source: 'USER_PROVIDED_ONLY',
        access_token: 'ABC',
      }],
      ['POST', path, {}, {
        name: 'Partners',
        subtype: 'CUSTOM',
        customer_file_source: 'PARTNER_PROVIDED_ONLY',
        access_token: 'ABC',
      }],
    ]);
  });

  test('deleteCustomAudience sends DELETE with the token in the body', async () => {
    replies.push({ body: { success: true } });

    const result = await makeClient().deleteCustomAudience('238');

    assert.deepEqual(result, { success: true });
    assert.deepEqual(sent(requests[0]), ['DELETE', '/v25.0/238', {}, { access_token: 'ABC' }]);
  });

  test('GET calls carry fields and the token in the query and no body', async () => {
    replies.push(
      { body: { id: '238', name: 'Students', operation_status: { code: 200 } } },
      { body: { id: 'act_123', account_id: '123', tos_accepted: { custom_audience_tos: 1 } } },
      { body: { id: '77', name: 'Ada' } },
      { body: { data: [{ permission: 'ads_management', status: 'granted' }] } },
    );
    const client = makeClient();

    const audience = await client.getCustomAudience('238', ['id', 'name', 'operation_status']);
    const account = await client.getAdAccount('123', ['id', 'account_id', 'tos_accepted']);
    const me = await client.getMe();
    const permissions = await client.getPermissions();

    assert.equal(audience.operation_status?.code, 200);
    assert.deepEqual(account.tos_accepted, { custom_audience_tos: 1 });
    assert.deepEqual(me, { id: '77', name: 'Ada' });
    assert.deepEqual(permissions, [{ permission: 'ads_management', status: 'granted' }]);
    const token = { access_token: 'ABC' };
    assert.deepEqual(requests.map(sent), [
      ['GET', '/v25.0/238', { fields: 'id,name,operation_status', ...token }, undefined],
      ['GET', '/v25.0/act_123', { fields: 'id,account_id,tos_accepted', ...token }, undefined],
      ['GET', '/v25.0/me', { fields: 'id,name', ...token }, undefined],
      ['GET', '/v25.0/me/permissions', token, undefined],
    ]);
  });

  test('debugToken inspects the input token with the app token', async () => {
    const data = { app_id: '1', type: 'USER', is_valid: true, scopes: ['ads_management'] };
    replies.push({ body: { data } });

    const result = await makeClient().debugToken('USER-TOKEN', '1|app-secret');

    assert.deepEqual(result, data);
    const query = { input_token: 'USER-TOKEN', access_token: '1|app-secret' };
    assert.deepEqual(sent(requests[0]), ['GET', '/v25.0/debug_token', query, undefined]);
  });

  test('the OAuth exchanges send exactly the documented parameters, no access token', async () => {
    replies.push(
      { body: { access_token: 'SHORT', token_type: 'bearer', expires_in: 3600 } },
      { body: { access_token: 'LONG', token_type: 'bearer', expires_in: 5183944 } },
    );
    const client = makeClient({ accessToken: '', appSecret: 'shh' });
    const app = { appId: '1', appSecret: 'shh' };

    const short = await client.exchangeCode({ ...app, redirectUri: 'http://x/cb', code: 'CODE' });
    const long = await client.exchangeForLongLivedToken({ ...app, token: short.access_token });

    assert.equal(long.access_token, 'LONG');
    const path = '/v25.0/oauth/access_token';
    assert.deepEqual(requests.map(sent), [
      ['GET', path, {
        client_id: '1',
        redirect_uri: 'http://x/cb',
        client_secret: 'shh',
        code: 'CODE',
      }],
      ['GET', path, {
        grant_type: 'fb_exchange_token',
        client_id: '1',
        client_secret: 'shh',
        fb_exchange_token: 'SHORT',
      }],
    ].map((request) => [...request, undefined]));
  });
});

describe('appsecret_proof', () => {
  test('travels with the token in POST bodies and GET queries when a secret is set', async () => {
    replies.push({ body: USERS_OK }, { body: { id: '238' } });
    const client = makeClient({ appSecret: 'dummySecret' });

    await client.addUsers('aud1', RT_PROC_4_PAYLOAD, SESSION);
    await client.getCustomAudience('238', ['id']);

    assert.deepEqual(bodyOf(requests[0]), { ...UPLOAD_BODY, appsecret_proof: PROOF_ABC });
    const query = { fields: 'id', access_token: 'ABC', appsecret_proof: PROOF_ABC };
    assert.deepEqual(requests[1]?.query, query);
  });

  test('is absent when no app secret is configured', async () => {
    replies.push({ body: USERS_OK }, { body: { id: '238' } });
    const client = makeClient({ appSecret: null });

    await client.addUsers('aud1', RT_PROC_4_PAYLOAD, SESSION);
    await client.getCustomAudience('238', ['id']);

    assert.equal('appsecret_proof' in bodyOf(requests[0]), false);
    assert.equal('appsecret_proof' in (requests[1]?.query ?? {}), false);
  });

  test('signs the token actually sent, which for debug_token is the app token', async () => {
    replies.push({ body: { data: { is_valid: true } } });
    const client = makeClient({ appSecret: 'dummySecret', accessToken: 'XYZ' });

    await client.debugToken('USER', 'ABC');

    assert.equal(requests[0]?.query.appsecret_proof, PROOF_ABC);
  });
});

describe('paging', () => {
  function page(ids: string[], after: string | null) {
    const data = ids.map((id) => ({ id, name: `Audience ${id}` }));
    const cursors = { before: 'B', after: after ?? 'LAST' };
    const next = after ? { next: `https://graph.facebook.com/next?after=${after}` } : {};
    return { body: { data, paging: { cursors, ...next } } };
  }

  test('a list request sends fields, limit and name filter and returns the next cursor', async () => {
    replies.push(page(['1', '2'], 'C1'));
    const options = { limit: 2, fields: ['id', 'name'], nameFilter: 'Stud' };

    const result = await makeClient().listCustomAudiences('act_123', options);

    assert.deepEqual(result.nextCursor, 'C1');
    assert.deepEqual(result.data.map((audience) => audience.id), ['1', '2']);
    assert.deepEqual(requests[0]?.query, {
      fields: 'id,name',
      limit: '2',
      filtering: '[{"field":"name","operator":"CONTAIN","value":"Stud"}]',
      access_token: 'ABC',
    });
  });

  test('the last page has no next cursor even though Meta still sends cursors', async () => {
    replies.push(page(['1'], null));

    const result = await makeClient().listCustomAudiences('123');

    assert.equal(result.nextCursor, null);
    assert.equal(requests[0]?.query.limit, '20');
  });

  test('iterateCustomAudiences follows the after cursor through every page', async () => {
    replies.push(page(['1', '2'], 'C1'), page(['3', '4'], 'C2'), page(['5'], null));

    const ids: string[] = [];
    for await (const audience of makeClient().iterateCustomAudiences('123', { limit: 2 })) {
      ids.push(audience.id);
    }

    assert.deepEqual(ids, ['1', '2', '3', '4', '5']);
    assert.deepEqual(requests.map((r) => r.query.after), [undefined, 'C1', 'C2']);
  });

  test('findCustomAudienceByName returns the newest exact match across pages', async () => {
    const first = [
      { id: '1', name: 'Students 2024', time_created: 10 },
      { id: '2', name: 'Students', time_created: 20 },
    ];
    const second = [
      { id: '3', name: 'Students', time_created: 30 },
      { id: '4', name: 'students', time_created: 40 },
    ];
    const paging = { cursors: { after: 'C1' }, next: 'https://graph.facebook.com/next' };
    replies.push({ body: { data: first, paging } }, { body: { data: second } });

    const found = await makeClient().findCustomAudienceByName('123', 'Students');

    assert.equal(found?.id, '3');
    const filter = '[{"field":"name","operator":"CONTAIN","value":"Students"}]';
    assert.equal(requests[0]?.query.filtering, filter);
  });

  test('findCustomAudienceByName returns null when no name matches exactly', async () => {
    replies.push({ body: { data: [{ id: '1', name: 'Students 2024' }] } });

    assert.equal(await makeClient().findCustomAudienceByName('123', 'Students'), null);
  });
});

describe('retries', () => {
  test('a transient error is retried with growing, jittered backoff until it works', async () => {
    replies.push(
      { status: 500, body: graphError(2) },
      { status: 500, body: graphError(1) },
      { body: USERS_OK },
    );

    const result = await makeClient().addUsers('aud1', RT_PROC_4_PAYLOAD, SESSION);

    assert.equal(result.num_received, 1);
    assert.equal(requests.length, 3);
    assert.equal(sleeps.length, 2);
    assert.ok(sleeps[0]! >= 500 && sleeps[0]! <= 1000, `first wait ${sleeps[0]}`);
    assert.ok(sleeps[1]! >= 1000 && sleeps[1]! <= 2000, `second wait ${sleeps[1]}`);
    assert.deepEqual(requests[2]?.body, requests[0]?.body, 'the same request is sent again');
  });

  test('after maxAttempts the last error is thrown', async () => {
    const gatewayPage = { status: 503, body: '<html>Service Unavailable</html>' };
    replies.push(gatewayPage, gatewayPage, gatewayPage, gatewayPage);

    const call = makeClient({ maxAttempts: 3 }).addUsers('aud1', RT_PROC_4_PAYLOAD, SESSION);

    await assert.rejects(call, graphApiError({ action: 'retry', reason: 'transient' }));
    assert.equal(requests.length, 3);
    assert.equal(sleeps.length, 2);
  });

  test('a throttle waits exactly the time the usage header announces, then retries', async () => {
    replies.push(
      { status: 400, body: graphError(80003), headers: usageHeader(1) },
      { body: USERS_OK, headers: usageHeader(0, 20) },
    );
    const client = makeClient();

    await client.addUsers('aud1', RT_PROC_4_PAYLOAD, SESSION);

    assert.deepEqual(sleeps, [60_000]);
    assert.equal(requests.length, 2);
    assert.equal(client.usage?.maxPercent, 20, 'the latest usage is exposed');
  });

  test('a throttle longer than maxRetryAfterMs is thrown at once to be rescheduled', async () => {
    replies.push({ status: 400, body: graphError(80003), headers: usageHeader(5) });
    const client = makeClient();

    const call = client.addUsers('aud1', RT_PROC_4_PAYLOAD, SESSION);

    await assert.rejects(call, graphApiError({ action: 'retry_later', retryAfterMs: 300_000 }));
    assert.deepEqual(sleeps, []);
    assert.equal(client.usage?.regainAccessMs, 300_000);
  });

  test('an error that retrying cannot fix is thrown after one request', async () => {
    replies.push({ status: 400, body: graphError(190, 463) });

    const call = makeClient().addUsers('aud1', RT_PROC_4_PAYLOAD, SESSION);

    await assert.rejects(call, graphApiError({ action: 'reconnect', reason: 'token_expired' }));
    assert.equal(requests.length, 1);
    assert.deepEqual(sleeps, []);
  });

  test('an upload is retried after the connection drops', async () => {
    replies.push({ destroy: true }, { body: USERS_OK });

    await makeClient().addUsers('aud1', RT_PROC_4_PAYLOAD, SESSION);

    assert.equal(requests.length, 2);
    assert.equal(sleeps.length, 1);
  });

  test('a request with no answer times out and is retried', async () => {
    replies.push({ hang: true }, { hang: true });

    const call = makeClient({ timeoutMs: 50, maxAttempts: 2 }).getCustomAudience('238');

    await assert.rejects(call, graphApiError({ action: 'retry', reason: 'timeout' }));
    assert.equal(requests.length, 2);
  });
});

describe('no blind repeat of a call that may already have taken effect', () => {
  test('a create whose connection drops is not retried; the caller looks the name up', async () => {
    replies.push({ destroy: true }, { body: { id: 'duplicate' } });

    const call = makeClient().createCustomAudience('123', { name: 'Students' });

    await assert.rejects(call, graphApiError({ action: 'retry', ambiguous: true }));
    assert.equal(requests.length, 1);
    assert.deepEqual(sleeps, []);
  });

  test("a create answered with Meta's unknown error is not retried", async () => {
    replies.push({ status: 500, body: graphError(1) }, { body: { id: 'duplicate' } });

    const call = makeClient().createCustomAudience('123', { name: 'Students' });

    await assert.rejects(call, graphApiError({ reason: 'transient', ambiguous: true }));
    assert.equal(requests.length, 1);
  });

  test('a create that was throttled, and so never ran, is retried', async () => {
    replies.push(
      { status: 400, body: graphError(80003), headers: usageHeader(1) },
      { body: { id: '238' } },
    );

    const created = await makeClient().createCustomAudience('123', { name: 'Students' });

    assert.equal(created.id, '238');
    assert.equal(requests.length, 2);
  });

  test('batch 1 of a replace is not resent after a dropped connection; later ones are', async () => {
    replies.push({ destroy: true }, { destroy: true }, { body: USERS_OK });
    const client = makeClient();
    const session = { session_id: 1, batch_seq: 1, last_batch_flag: false };

    const first = client.replaceUsers('aud1', RT_PROC_4_PAYLOAD, session);
    await assert.rejects(first, graphApiError({ ambiguous: true }));
    await client.replaceUsers('aud1', RT_PROC_4_PAYLOAD, { ...session, batch_seq: 2 });

    assert.equal(requests.length, 3);
  });
});

describe('responses', () => {
  test('an error body on a 200 status is still an error', async () => {
    replies.push({ status: 200, body: graphError(100, 33) });

    const call = makeClient().getCustomAudience('238');

    const expected = { action: 'target_gone', reason: 'audience_not_found' };
    await assert.rejects(call, graphApiError(expected));
  });

  test('a success body of the wrong shape fails as an unexpected response', async () => {
    replies.push({ body: { name: 'no id' } });

    const call = makeClient().getCustomAudience('238');

    await assert.rejects(call, graphApiError({ action: 'fail', reason: 'unexpected_response' }));
  });

  test('a Terms error on create links to the Terms page of that ad account', async () => {
    replies.push({ status: 400, body: graphError(200, 1870090) });

    const call = makeClient().createCustomAudience('act_555', { name: 'Students' });

    await assert.rejects(call, (error: unknown) => {
      assert.ok(error instanceof GraphApiError);
      assert.match(error.userMessage, /customaudiences\/tos\/\?act=555 /);
      return true;
    });
  });
});

describe('programming errors are thrown before anything is sent', () => {
  test('more than 10,000 rows in one request', async () => {
    const data = Array.from({ length: 10_001 }, () => ['a']);

    const call = makeClient().addUsers('aud1', { schema: ['EXTERN_ID'], data }, SESSION);

    await assert.rejects(call, RangeError);
    assert.equal(requests.length, 0);
  });

  test('exactly 10,000 rows are accepted', async () => {
    replies.push({ body: USERS_OK });
    const data = Array.from({ length: 10_000 }, (_, i) => [String(i)]);

    await makeClient().addUsers('aud1', { schema: ['EXTERN_ID'], data }, SESSION);

    const payload = bodyOf(requests[0]).payload as UsersPayload;
    assert.equal(payload.data.length, 10_000);
  });

  test('a row whose width differs from the schema', async () => {
    const payload = { schema: ['EMAIL', 'PHONE'], data: [['a', 'b'], ['c']] };

    const call = makeClient().removeUsers('aud1', payload, SESSION);

    await assert.rejects(call, /Row 1 .* 1 cells for 2 schema keys/);
    assert.equal(requests.length, 0);
  });
});

test('the log names method, path, status and code but never the token or the proof', async () => {
  replies.push({ body: { id: '238' } }, { status: 400, body: graphError(190, 463) });
  let output = '';
  const sink = new Writable({
    write(chunk, _encoding, done) {
      output += String(chunk);
      done();
    },
  });
  const log = pino({ level: 'debug' }, sink);
  const client = makeClient({ accessToken: 'SECRET-TOKEN', appSecret: 'dummySecret', log });

  await client.getCustomAudience('238', ['id']);
  await assert.rejects(client.addUsers('aud1', RT_PROC_4_PAYLOAD, SESSION));

  const lines = output.trim().split('\n').map((line) => JSON.parse(line));
  assert.deepEqual(lines.map((line) => [line.method, line.path, line.status, line.code]), [
    ['GET', '/v25.0/238', 200, undefined],
    ['POST', '/v25.0/aud1/users', 400, 190],
  ]);
  assert.equal(output.includes('SECRET-TOKEN'), false);
  assert.equal(output.includes('access_token'), false);
  assert.equal(output.includes('appsecret_proof'), false);
  assert.equal(output.includes(RT_PROC_4_PAYLOAD.data[0]![0]!), false, 'no hashed identifier');
});
