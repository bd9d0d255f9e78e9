import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeAppSecretProof, makeTimedAppSecretProof } from './proof.ts';

// Vectors from payloads.json: appsecret-proof-classic and appsecret-proof-rudder.

test('appsecret_proof is the hex HMAC-SHA256 of the access token keyed by the app secret', () => {
  const proof = makeAppSecretProof('dummySecret', 'ABC');

  assert.equal(proof, 'b65114480019ded6a613dfeb8dcc8b3411598ba1405c65c89dc0c360c72a4732');
});

test('the timed appsecret_proof signs "token|time" as other connectors send it', () => {
  const proof = makeTimedAppSecretProof('dummySecret', 'ABC', 1697328000);

  assert.equal(proof, 'd103874f3b5f01f57c4f84edfb96ac94055da8f83c2b45e6f26dafca9188ff4d');
});

test('a different secret gives a different proof for the same token', () => {
  const other = makeAppSecretProof('otherSecret', 'ABC');

  assert.notEqual(other, makeAppSecretProof('dummySecret', 'ABC'));
});
