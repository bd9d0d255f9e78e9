import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SchemaKey } from '../destinations/meta/keys.ts';
import { normalizeKey, type NormalizeContext } from './key-normalizers.ts';

function value(key: SchemaKey, input: unknown, context?: NormalizeContext): string | null {
  const result = normalizeKey(key, input, context);
  return result.ok ? result.value : null;
}

function reason(key: SchemaKey, input: unknown, context?: NormalizeContext): string | null {
  const result = normalizeKey(key, input, context);
  return result.ok ? null : result.reason;
}

const US: NormalizeContext = { country: 'us' };
const GB: NormalizeContext = { country: 'gb' };

describe('every key', () => {
  test('a missing or blank value is empty, which is not an error reason of its own', () => {
    assert.equal(reason('EMAIL', null), 'empty');
    assert.equal(reason('FN', '   '), 'empty');
    assert.equal(reason('PHONE', undefined), 'empty');
  });

  test('a hashed key\'s 64-hex value is passed through lowercased as pre-hashed', () => {
    const digest = 'F1904CF1A9D73A55FA5DE0AC823C4403DED71AFD4C3248D00BDCD0866552BB79';

    const result = normalizeKey('EMAIL', ` ${digest} `);

    assert.deepEqual(result, { ok: true, value: digest.toLowerCase(), prehashed: true });
  });

  test('text is NFC: a decomposed é equals the composed one', () => {
    assert.equal(value('LN', 'Vale\u0301ry'), 'val\u00e9ry');
  });

  test('numbers are read as text; objects are unsupported', () => {
    assert.equal(value('PHONE', 15559876543), '15559876543');
    assert.equal(reason('EMAIL', { email: 'a@b.co' }), 'unsupported_value');
  });
});

describe('EMAIL', () => {
  test('is trimmed and lowercased', () => {
    assert.equal(value('EMAIL', '  User@Example.COM  '), 'user@example.com');
  });

  test('a value not shaped like an address is dropped', () => {
    for (const input of ['test', 'a@b', 'a b@c.com', '@example.com', 'a@@b.com', 'a@b..com']) {
      assert.equal(reason('EMAIL', input), 'invalid_email', input);
    }
  });
});

describe('FN, LN, FI', () => {
  test('punctuation, symbols and digits go; letters of any script stay; spaces collapse', () => {
    assert.equal(value('FN', "O'Brien"), 'obrien');
    assert.equal(value('FN', 'Mary-Jane'), 'maryjane');
    assert.equal(value('FN', '  Mary   Ann  '), 'mary ann');
    assert.equal(value('LN', 'José 3rd'), 'josé rd');
    assert.equal(value('FN', '정'), '정');
    assert.equal(value('LN', 'Müller-Lüdenscheidt'), 'müllerlüdenscheidt');
  });

  test('a name with no letters left is dropped as no_letters', () => {
    assert.equal(reason('FN', '!!!'), 'no_letters');
    assert.equal(reason('LN', '123'), 'no_letters');
  });

  test('FI is the first letter of the normalized first name', () => {
    assert.equal(value('FI', "  'Émile"), 'é');
    assert.equal(value('FI', 'john'), 'j');
    assert.equal(value('FI', '정민'), '정');
    assert.equal(reason('FI', '...'), 'no_letters');
  });
});

describe('CT, ST, ZIP', () => {
  test('CT keeps letters of any script only', () => {
    assert.equal(value('CT', 'San José'), 'sanjosé');
    assert.equal(value('CT', 'New York'), 'newyork');
    assert.equal(value('CT', 'St. Louis 2'), 'stlouis');
  });

  test('ST maps US state names to their code when the country is the US or unknown', () => {
    assert.equal(value('ST', 'North Carolina', US), 'nc');
    assert.equal(value('ST', 'TEXAS'), 'tx');
    assert.equal(value('ST', 'CA', US), 'ca');
    assert.equal(value('ST', 'District of Columbia'), 'dc');
  });

  test('ST elsewhere is letters only, and a non-US Georgia is not the state', () => {
    assert.equal(value('ST', 'British Columbia', { country: 'ca' }), 'britishcolumbia');
    assert.equal(value('ST', 'Georgia', { country: 'ge' }), 'georgia');
    assert.equal(value('ST', 'Île-de-France', { country: 'fr' }), 'îledefrance');
  });

  test('ZIP in the US keeps the first five digits and restores zeros a spreadsheet dropped', () => {
    assert.equal(value('ZIP', '94035-1234', US), '94035');
    assert.equal(value('ZIP', '940351234', US), '94035');
    assert.equal(value('ZIP', '2134', US), '02134');
    assert.equal(reason('ZIP', 'ABC12', US), 'invalid_zip');
  });

  test('ZIP elsewhere keeps the whole code without whitespace: the full UK postcode', () => {
    assert.equal(value('ZIP', 'SW1A 1AA', GB), 'sw1a1aa');
    assert.equal(value('ZIP', 'M1 1AE'), 'm11ae');
    assert.equal(value('ZIP', '01310-100', { country: 'br' }), '01310-100');
  });

  test('ZIP with no known country cuts only the unmistakable ZIP+4 shape', () => {
    assert.equal(value('ZIP', '94035-1234'), '94035');
    assert.equal(value('ZIP', '100-0001'), '100-0001');
  });
});

describe('GEN', () => {
  test('m, male, f, female in any case map to m or f', () => {
    assert.equal(value('GEN', 'Male'), 'm');
    assert.equal(value('GEN', 'F'), 'f');
    assert.equal(value('GEN', 'FEMALE'), 'f');
  });

  test('anything else is dropped, never defaulted', () => {
    for (const input of ['x', 'other', 'woman', 'unknown', 'mf']) {
      assert.equal(reason('GEN', input), 'unknown_gender', input);
    }
  });
});

describe('MADID, EXTERN_ID, APPUID', () => {
  test('MADID is lowercased with its hyphens; EXTERN_ID keeps its case', () => {
    const idfa = '6D92078A-8246-4BA4-AE5B-76104861E7DC';

    assert.equal(value('MADID', ` ${idfa} `), idfa.toLowerCase());
    assert.equal(value('EXTERN_ID', ' AbC-123 '), 'AbC-123');
  });

  test('a 64-hex MADID or EXTERN_ID is an id like any other, not lowercased as a hash', () => {
    const id = 'A'.repeat(64);

    assert.deepEqual(normalizeKey('EXTERN_ID', id), { ok: true, value: id });
  });

  test('APPUID is digits only', () => {
    assert.equal(value('APPUID', '1234567890'), '1234567890');
    assert.equal(reason('APPUID', 'abc'), 'invalid_app_user_id');
  });
});

describe('DOBY, DOBM, DOBD', () => {
  test('are two-digit padded and range-checked', () => {
    assert.equal(value('DOBY', '1990'), '1990');
    assert.equal(value('DOBM', '5'), '05');
    assert.equal(value('DOBM', 'Sept'), '09');
    assert.equal(value('DOBD', '5th'), '05');
  });

  test('outside the ranges they are dropped', () => {
    assert.equal(reason('DOBY', '1899'), 'invalid_year');
    assert.equal(reason('DOBY', '90'), 'invalid_year');
    assert.equal(reason('DOBY', String(new Date().getUTCFullYear() + 1)), 'invalid_year');
    assert.equal(reason('DOBM', '13'), 'invalid_month');
    assert.equal(reason('DOBD', '32'), 'invalid_day');
  });
});

test('an EXTERN_ID or MADID holding a tab or a line break is dropped, as stored rows are tab-joined', () => {
  assert.deepEqual(normalizeKey('EXTERN_ID', 'a\tb'), { ok: false, reason: 'control_character' });
  assert.deepEqual(normalizeKey('MADID', 'ab\ncd'), { ok: false, reason: 'control_character' });
  assert.deepEqual(normalizeKey('EXTERN_ID', 'A b'), { ok: true, value: 'A b' });
});
