import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import {
  getCountries,
  getExampleNumber,
  ParseError,
  parsePhoneNumberWithError,
  type CountryCode,
} from 'libphonenumber-js/core';
import metadata from 'libphonenumber-js/max/metadata';
import examples from 'libphonenumber-js/mobile/examples';
import {
  isPossible,
  isValid,
  parseInRegion,
  parseInternational,
  type ParsedPhone,
} from './phone-numbering.ts';

// phone-numbering.ts re-runs libphonenumber-js's parsing with precompiled patterns for speed;
// these tests hold it to the library's own answers, so a library upgrade cannot drift silently.

function byLibrary(text: string, region?: string): string {
  try {
    const phone = parsePhoneNumberWithError(
      text,
      { defaultCountry: region as CountryCode | undefined, extract: false },
      metadata,
    );
    const checks = `possible=${phone.isPossible()} valid=${phone.isValid()}`;
    return `${phone.number} ${phone.country} ${checks}`;
  } catch (error) {
    if (error instanceof ParseError) return error.message;
    throw error;
  }
}

function byUs(parsed: ParsedPhone): string {
  if (!parsed.ok) return parsed.error;
  const number = `+${parsed.callingCode}${parsed.nationalNumber}`;
  return `${number} ${parsed.country} possible=${isPossible(parsed)} valid=${isValid(parsed)}`;
}

function differences(inputs: string[], regions: string[]): string[] {
  const found: string[] = [];
  for (const digits of inputs) {
    const [library, ours] = [byLibrary(`+${digits}`), byUs(parseInternational(digits))];
    if (library !== ours) found.push(`+${digits}: ${library} vs ${ours}`);

    for (const region of regions) {
      const [library, ours] = [byLibrary(digits, region), byUs(parseInRegion(digits, region))];
      if (library !== ours) found.push(`${digits} in ${region}: ${library} vs ${ours}`);
    }
  }
  return found;
}

const here = dirname(fileURLToPath(import.meta.url));
const samplePath = resolve(here, '../../../shared/data/customers-10000.csv');

function samplePhoneDigits(): string[] {
  const rows = parse(readFileSync(samplePath), { columns: true }) as Record<string, string>[];
  return rows
    .map((row) => (row['Phone 1'] ?? '').replace(/x\d+$/, '').replace(/\D/g, ''))
    .filter((digits) => digits.length >= 2);
}

describe('phone numbering: the same answers as libphonenumber-js', () => {
  test('on the 10,000 sample phones, read as international and in six regions', () => {
    const inputs = samplePhoneDigits();
    assert.ok(inputs.length > 9_000);

    const found = differences(inputs, ['US', 'GB', 'DE', 'IN', 'NO', 'AR']);

    assert.deepEqual(found.slice(0, 10), []);
  });

  test('on every country\'s example number, national and international, in every region', () => {
    const countries = getCountries(metadata);
    const inputs: string[] = [];
    for (const country of countries) {
      const example = getExampleNumber(country, examples, metadata);
      if (!example) continue;
      const national = example.formatNational().replace(/\D/g, '');
      inputs.push(national, example.number.slice(1), national.slice(0, -1), `${national}0`);
    }
    assert.ok(inputs.length > 800);

    // Every region would be 250 x 1,000 library calls; a spread of plans with odd rules is enough.
    const regions = ['US', 'CA', 'GB', 'AU', 'JP', 'AR', 'MX', 'BR', 'RU', 'KZ', 'IT', 'VI', 'CO'];
    const found = differences(inputs, regions);

    assert.deepEqual(found.slice(0, 10), []);
  });

  test('in every region, on its own example number typed nationally', () => {
    const found: string[] = [];
    for (const country of getCountries(metadata)) {
      const example = getExampleNumber(country, examples, metadata);
      if (!example) continue;
      const national = example.formatNational().replace(/\D/g, '');
      found.push(...differences([national], [country]));
    }

    assert.deepEqual(found.slice(0, 10), []);
  });
});
