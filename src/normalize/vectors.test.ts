import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { normalizeField } from './field-value.ts';
import { sha256Hex } from './text.ts';

interface Vector {
  id: string;
  field: string;
  input: string;
  normalized: string | number | null;
  hashed: boolean;
  sha256?: string | null;
  expect: string;
}

// The repo root is two levels up from src/normalize; the shared vectors sit beside it.
const here = dirname(fileURLToPath(import.meta.url));
const vectorsPath = resolve(here, '../../../shared/vectors/normalization.json');
const vectors = JSON.parse(readFileSync(vectorsPath, 'utf8')) as Vector[];

/**
 * Vectors that conflict with a PRODUCT.md decision (or name a key this product
 * does not send). The decision wins: these assert our decided output instead.
 */
const DECIDED_OVERRIDES: Record<string, { normalized: null; reason: string; why: string }> = {
  'py-sdk-063': {
    normalized: null,
    reason: 'invalid_email',
    why: 'EMAIL: "a value not shaped like an address is dropped"; the Python SDK hashes "test".',
  },
  'rt-int-041': {
    normalized: null,
    reason: 'phone_no_country',
    why:
      'PHONE is sent as E.164 with its country code. The vector drops the trunk 0 and sends ' +
      '9432457768 with no code, relying on a COUNTRY column; with no country we do not guess, ' +
      'and with country IN we send 919432457768 (asserted below).',
  },
  'rt-unit-032': {
    normalized: null,
    reason: 'unknown_field',
    why: 'LOOKALIKE_VALUE is for value-based audiences, which are no mapping destination here.',
  },
};

describe('normalization vectors (../shared/vectors/normalization.json)', () => {
  test('the file is there and every override names a vector in it', () => {
    assert.ok(vectors.length >= 60, `expected the shared vectors, got ${vectors.length}`);
    const ids = new Set(vectors.map((vector) => vector.id));
    for (const id of Object.keys(DECIDED_OVERRIDES)) {
      assert.ok(ids.has(id), `${id} is not a vector`);
    }
  });

  for (const vector of vectors) {
    const override = DECIDED_OVERRIDES[vector.id];
    const title = `${vector.id}: ${vector.field} ${JSON.stringify(vector.input)}`;

    if (override) {
      test(`${title} gives the decided ${override.reason}, not ${vector.expect}`, () => {
        const [result] = normalizeField(vector.field, vector.input, { country: null });

        assert.equal(result?.normalized, override.normalized, override.why);
        assert.equal(result?.reason, override.reason);
      });
      continue;
    }

    if (vector.normalized === null) {
      test(`${title} is dropped`, () => {
        const [result] = normalizeField(vector.field, vector.input, { country: null });

        assert.equal(result?.normalized, null);
        assert.equal(result?.sha256, null);
        assert.ok(result?.reason, 'a dropped value carries its reason');
      });
      continue;
    }

    test(`${title} -> ${JSON.stringify(vector.normalized)}`, () => {
      const [result] = normalizeField(vector.field, vector.input, { country: null });

      assert.equal(result?.normalized, vector.normalized);
      assert.equal(result?.sha256, vector.hashed ? vector.sha256 : null);
    });
  }

  test('rt-int-041 with the country its row carried (IN) is sent with its code', () => {
    const [result] = normalizeField('PHONE', '@09432457768', { country: 'in' });

    assert.equal(result?.normalized, '919432457768');
    assert.equal(result?.sha256, sha256Hex('919432457768'));
  });
});
