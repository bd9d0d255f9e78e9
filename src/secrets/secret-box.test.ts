import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SecretBox, loadSecretKey } from './secret-box.ts';

test('a sealed secret opens to the same text and never contains it', () => {
  const box = new SecretBox(Buffer.alloc(32, 7));

  const sealed = box.seal('EAAB-token-value');

  assert.ok(!sealed.includes('EAAB-token-value'));
  assert.equal(box.open(sealed), 'EAAB-token-value');
  assert.notEqual(box.seal('EAAB-token-value'), sealed, 'each seal uses a fresh IV');
});

test('a secret sealed with another key is refused with a message that says what to do', () => {
  const sealed = new SecretBox(Buffer.alloc(32, 1)).seal('secret');

  assert.throws(() => new SecretBox(Buffer.alloc(32, 2)).open(sealed), /SOURCESIBLE_SECRET_KEY/);
});

test('a tampered secret is refused', () => {
  const box = new SecretBox(Buffer.alloc(32, 3));
  const sealed = box.seal('secret');
  const parts = sealed.split('.');
  parts[3] = Buffer.from('other').toString('base64url');

  assert.throws(() => box.open(parts.join('.')));
});

test('without an env key a key file is created once with mode 0600 and reused', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sourcesible-key-'));

  const first = loadSecretKey({ dataDir });
  const second = loadSecretKey({ dataDir });

  assert.deepEqual(first, second);
  assert.equal(statSync(join(dataDir, 'secret.key')).mode & 0o777, 0o600);
  assert.equal(readFileSync(join(dataDir, 'secret.key'), 'utf8').trim().length, 64);
});

test('an env key wins over the key file and must be 32 bytes', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sourcesible-key-'));

  assert.deepEqual(loadSecretKey({ dataDir, envKey: 'ab'.repeat(32) }), Buffer.alloc(32, 0xab));
  assert.throws(() => loadSecretKey({ dataDir, envKey: 'abcd' }), /32 bytes/);
});
