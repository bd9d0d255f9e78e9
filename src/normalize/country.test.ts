import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { normalizeCountry } from './country.ts';

function code(text: string): string | null {
  const result = normalizeCountry(text);
  return result.ok ? result.value : null;
}

function reason(text: string): string | null {
  const result = normalizeCountry(text);
  return result.ok ? null : result.reason;
}

describe('COUNTRY', () => {
  test('ISO alpha-2 and alpha-3 codes in any case become lowercase alpha-2', () => {
    assert.equal(code('US'), 'us');
    assert.equal(code('de'), 'de');
    assert.equal(code('DEU'), 'de');
    assert.equal(code('  gb  '), 'gb');
  });

  test('English names and common aliases resolve, ignoring case, accents, dots and "the"', () => {
    assert.equal(code('Germany'), 'de');
    assert.equal(code('U.S.'), 'us');
    assert.equal(code('USA'), 'us');
    assert.equal(code('United States of America'), 'us');
    assert.equal(code('UK'), 'gb');
    assert.equal(code('u.k.'), 'gb');
    assert.equal(code('The Netherlands'), 'nl');
    assert.equal(code('Bahamas, The'), 'bs');
    assert.equal(code('Côte d’Ivoire'), 'ci');
    assert.equal(code('St. Lucia'), 'lc');
    assert.equal(code('South Korea'), 'kr');
  });

  test('a bracketed note or a ", Republic of" tail does not stop a name resolving', () => {
    assert.equal(code('Slovakia (Slovak Republic)'), 'sk');
    assert.equal(code('Antarctica (the territory South of 60 deg S)'), 'aq');
    assert.equal(code('Iran (Islamic Republic of)'), 'ir');
    assert.equal(code('Moldova'), 'md');
  });

  test('a name that could mean two countries is ambiguous, never guessed', () => {
    assert.equal(reason('Korea'), 'ambiguous_country');
    assert.equal(reason('Congo'), 'ambiguous_country');
    assert.equal(reason('Virgin Islands'), 'ambiguous_country');
    assert.equal(reason('Netherlands Antilles'), 'ambiguous_country');
  });

  test('what is not a country is unknown_country', () => {
    assert.equal(reason('U'), 'unknown_country');
    assert.equal(reason('12'), 'unknown_country');
    assert.equal(reason('XX'), 'unknown_country');
    assert.equal(reason('Atlantis'), 'unknown_country');
  });

  test('of the 243 sample names only Korea, Congo and Netherlands Antilles fail', () => {
    const here = dirname(fileURLToPath(import.meta.url));
    const csv = readFileSync(resolve(here, '../../../shared/data/customers-10000.csv'));
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    const names = [...new Set(rows.map((row) => row['Country'] ?? ''))];

    const unresolved = names.filter((name) => !normalizeCountry(name).ok).sort();

    assert.equal(names.length, 243);
    assert.deepEqual(unresolved, ['Congo', 'Korea', 'Netherlands Antilles']);
  });
});
