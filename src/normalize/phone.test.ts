import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { normalizePhone } from './phone.ts';

function kept(value: string, unverified = false) {
  return unverified ? { ok: true, value, unverified: true } : { ok: true, value };
}

function dropped(reason: string) {
  return { ok: false, reason };
}

describe('PHONE on the sample files\' messy shapes (customers-10000.csv)', () => {
  test('an x-extension is removed; a US number in no assigned range is kept, unverified', () => {
    assert.deepEqual(normalizePhone('846-790-4623x4715', 'US'), kept('18467904623', true));
    assert.deepEqual(normalizePhone('(422)787-2331x71127', 'us'), kept('14227872331', true));
  });

  test('001-... is read as international (00 then +1) in the US and with no country at all', () => {
    assert.deepEqual(normalizePhone('001-184-153-9683x1497', 'US'), kept('11841539683', true));
    assert.deepEqual(normalizePhone('001-184-153-9683x1497', null), kept('11841539683', true));
    assert.deepEqual(normalizePhone('001-184-153-9683x1497', 'DE'), kept('11841539683', true));
  });

  test('a + number ignores the row\'s country', () => {
    assert.deepEqual(normalizePhone('+1-134-348-0265x9132', 'GB'), kept('11343480265', true));
    assert.deepEqual(normalizePhone('+1 (650) 555-1212', 'FR'), kept('16505551212'));
  });

  test('a fragment like -5361 is dropped as the wrong length, with or without a country', () => {
    assert.deepEqual(normalizePhone('-5361', 'US'), dropped('phone_wrong_length'));
    assert.deepEqual(normalizePhone('-5361', null), dropped('phone_wrong_length'));
  });

  test('dotted and bare ten-digit US numbers in an assigned range are kept verified', () => {
    assert.deepEqual(normalizePhone('321.441.0588x6218', 'US'), kept('13214410588'));
    assert.deepEqual(normalizePhone('8352752061', 'US'), kept('18352752061'));
  });

  test('a US-shaped number in a row whose country is Norway cannot be Norwegian: dropped', () => {
    assert.deepEqual(normalizePhone('846-790-4623x4715', 'NO'), dropped('phone_wrong_length'));
    assert.deepEqual(normalizePhone('043-797-5229', 'NO'), dropped('phone_wrong_length'));
  });

  test('with no country, bare digits are read as international; a leading 0 is not guessed', () => {
    assert.deepEqual(normalizePhone('15559876543', null), kept('15559876543', true));
    assert.deepEqual(normalizePhone('8352752061', null), dropped('phone_unknown_country_code'));
    assert.deepEqual(normalizePhone('043-797-5229', null), dropped('phone_no_country'));
  });
});

describe('PHONE prefixes, trunk zeros and extensions', () => {
  test('the region\'s own international prefix is understood (011 in the US, 0011 in AU)', () => {
    assert.deepEqual(normalizePhone('011 44 20 7946 0958', 'US'), kept('442079460958'));
    assert.deepEqual(normalizePhone('0011 44 20 7946 0958', 'AU'), kept('442079460958'));
  });

  test('00 is international everywhere, the region\'s own prefix or not', () => {
    assert.deepEqual(normalizePhone('0044 207 123 4567', 'US'), kept('442071234567'));
    assert.deepEqual(normalizePhone('00919876543210', null), kept('919876543210'));
  });

  test('trunk zeros go: national (020 ...) and after a country code (+44 (0)20 ...)', () => {
    assert.deepEqual(normalizePhone('020 7946 0958', 'GB'), kept('442079460958'));
    assert.deepEqual(normalizePhone('+44 (0)20 7946 0958', null), kept('442079460958'));
    assert.deepEqual(normalizePhone('030 12345678', 'de'), kept('493012345678'));
  });

  test('a national number typed with its country code but no + is recognised', () => {
    assert.deepEqual(normalizePhone('447911123456', 'GB'), kept('447911123456'));
    assert.deepEqual(normalizePhone('1-650-253-0000', 'US'), kept('16502530000'));
  });

  test('extensions in their usual spellings are removed', () => {
    assert.deepEqual(normalizePhone('650 253 0000 ext. 12', 'US'), kept('16502530000'));
    assert.deepEqual(normalizePhone('tel:+1-650-253-0000;ext=12', null), kept('16502530000'));
    assert.deepEqual(normalizePhone('(650) 253-0000 #204', 'US'), kept('16502530000'));
  });

  test('digits of other scripts and a full-width + are read', () => {
    assert.deepEqual(normalizePhone('+٩٧١٥٠١٢٣٤٥٦٧', null), kept('971501234567'));
    assert.deepEqual(normalizePhone('＋1 650 253 0000', null), kept('16502530000'));
  });

  test('a country with no numbering plan (Antarctica) falls back to the sync\'s default', () => {
    assert.deepEqual(normalizePhone('(650) 253-0000', 'AQ', 'US'), kept('16502530000'));
  });

  test('with no usable country at all the digits are read as international (+65 here)', () => {
    assert.deepEqual(normalizePhone('(650) 253-0000', 'AQ', null), kept('6502530000', true));
  });

  test('no digits, an unknown country code, or all zeros are dropped with their reason', () => {
    assert.deepEqual(normalizePhone('n/a', 'US'), dropped('phone_not_a_number'));
    assert.deepEqual(normalizePhone('+999 1234 5678', null), dropped('phone_unknown_country_code'));
    assert.deepEqual(normalizePhone('+0000000000', null), dropped('phone_unknown_country_code'));
  });
});
