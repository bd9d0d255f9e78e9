import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { startMetaEmulator, type MetaEmulator } from './index.ts';
import { createTestAudience } from './testing.ts';

/**
 * Replays every concrete request body in shared/vectors/payloads.json (RudderStack's
 * fixtures, Meta's doc examples) against the emulator: what real clients send must pass.
 */
interface VectorRequest {
  method: string;
  url: string;
  query?: Record<string, string | number>;
  body_json?: Record<string, unknown>;
  form?: Record<string, string>;
  content_type?: string;
}

interface Vector {
  id: string;
  kind: string;
  expected_requests?: VectorRequest[];
}

const VECTORS_PATH = new URL('../../../../../shared/vectors/payloads.json', import.meta.url);
const vectors: Vector[] = JSON.parse(readFileSync(VECTORS_PATH, 'utf8'));
// The guide's session and replace samples hold `<HASHED_DATA>` placeholders: shapes, not bodies.
const replayable = vectors.filter((vector) => {
  const requests = vector.expected_requests;
  return requests && !JSON.stringify(requests).includes('<HASHED_DATA>');
});

describe('meta emulator: request vectors from payloads.json', () => {
  let meta: MetaEmulator;

  // The vectors were recorded with token ABC and app secret dummySecret.
  before(async () => {
    meta = await startMetaEmulator({ accessToken: 'ABC', appSecret: 'dummySecret' });
  });
  after(async () => {
    await meta.close();
  });

  test('the vectors file holds requests to replay', () => {
    assert.ok(replayable.length >= 10, `only ${replayable.length} replayable vectors`);
  });

  for (const vector of replayable) {
    test(`${vector.id}: every request is accepted with the expected counts`, async () => {
      const valueBased = vector.kind.includes('value_based');
      const audience = await createTestAudience(meta, vector.id, { is_value_based: valueBased });

      // Entries without a url record a client-side refusal: nothing reaches Graph.
      for (const request of (vector.expected_requests ?? []).filter((item) => item.url)) {
        const answer = await send(meta, request, audience);
        assert.equal(answer.status, 200, JSON.stringify(answer.body));

        const payload = payloadOf(request);
        if (!payload) continue;
        const rows = payload.data as unknown[];
        assert.equal(answer.body.num_received, rows.length);
        assert.equal(answer.body.num_invalid_entries, rows.filter(holdsNoIdentifier).length);
      }
    });
  }

  test('the request log returns the JSON body exactly as sent, without the token', async () => {
    const vector = vectors.find((item) => item.id === 'rt-proc-15') as Vector;
    const request = vector.expected_requests?.[0] as VectorRequest;
    const audience = await createTestAudience(meta, 'logged');

    await send(meta, request, audience);
    const [logged] = meta.control.requests(1);

    assert.deepEqual(logged?.body, request.body_json);
    assert.deepEqual(logged?.query, {
      appsecret_proof: 'd103874f3b5f01f57c4f84edfb96ac94055da8f83c2b45e6f26dafca9188ff4d',
      appsecret_time: '1697328000',
    });
    assert.equal(logged?.path, `/v25.0/${audience}/users`);
  });
});

function payloadOf(request: VectorRequest): Record<string, unknown> | undefined {
  const payload = request.body_json?.payload ?? request.form?.payload;
  if (payload === undefined) return undefined;
  return typeof payload === 'string' ? JSON.parse(payload) : (payload as Record<string, unknown>);
}

/** Meta counts a row with no identifier (only a value or consent column) as invalid. */
function holdsNoIdentifier(row: unknown): boolean {
  const cells = Array.isArray(row) ? row : [row];
  return cells.every((cell) => cell === '' || typeof cell === 'number');
}

async function send(meta: MetaEmulator, request: VectorRequest, audience: string) {
  const url = new URL(
    request.url
      .replace('https://graph.facebook.com', meta.url)
      .replace('<VERSION>', 'v25.0')
      .replace(/\/(aud1|\d{17}|<CUSTOM_AUDIENCE_ID>)\//, `/${audience}/`)
      .replace('act_<AD_ACCOUNT_ID>', meta.adAccountId)
      .replace('<ACCESS_TOKEN>', meta.accessToken),
  );
  for (const [name, value] of Object.entries(request.query ?? {})) {
    url.searchParams.set(name, String(value));
  }
  // The docs' examples leave the token out of some bodies; a real call always has one.
  if (!url.searchParams.has('access_token') && !request.form?.access_token) {
    url.searchParams.set('access_token', meta.accessToken);
  }

  const init: RequestInit = { method: request.method };
  if (request.body_json) {
    init.headers = { 'content-type': 'application/json' };
    init.body = JSON.stringify(request.body_json);
  } else if (request.form) {
    const fields = Object.entries(request.form).map(([name, value]): [string, string] => [
      name,
      value === '<ACCESS_TOKEN>' ? meta.accessToken : value,
    ]);
    if (request.content_type?.startsWith('multipart')) {
      const form = new FormData();
      for (const [name, value] of fields) form.set(name, value);
      init.body = form;
    } else {
      init.body = new URLSearchParams(fields);
    }
  }

  const response = await fetch(url, init);
  return { status: response.status, body: (await response.json()) as any };
}
