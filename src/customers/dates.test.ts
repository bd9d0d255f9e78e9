import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { detectDateFormat, parseDate } from './dates.ts';

describe('parseDate', () => {
  test('reads each part order into midnight UTC', () => {
    assert.equal(parseDate('2021-07-26', 'YYYY-MM-DD'), '2021-07-26T00:00:00.000Z');
    assert.equal(parseDate('26-08-2020', 'DD-MM-YYYY'), '2020-08-26T00:00:00.000Z');
    assert.equal(parseDate('08-26-2020', 'MM-DD-YYYY'), '2020-08-26T00:00:00.000Z');
  });

  test('accepts slashes, dots, single digits and surrounding blanks', () => {
    assert.equal(parseDate(' 6/8/2020 ', 'DD-MM-YYYY'), '2020-08-06T00:00:00.000Z');
    assert.equal(parseDate('2020.8.6', 'YYYY-MM-DD'), '2020-08-06T00:00:00.000Z');
  });

  test('keeps a time and honours its zone', () => {
    assert.equal(parseDate('2021-07-26T10:30:00Z', 'YYYY-MM-DD'), '2021-07-26T10:30:00.000Z');
    assert.equal(parseDate('2021-07-26 10:30', 'YYYY-MM-DD'), '2021-07-26T10:30:00.000Z');
    const zoned = parseDate('2021-07-26T10:30:00.123456+02:00', 'YYYY-MM-DD');
    assert.equal(zoned, '2021-07-26T08:30:00.123Z');
  });

  test('refuses dates that do not exist or do not match the order', () => {
    assert.equal(parseDate('2021-02-30', 'YYYY-MM-DD'), undefined);
    assert.equal(parseDate('2021-13-01', 'YYYY-MM-DD'), undefined);
    assert.equal(parseDate('26-08-2020', 'MM-DD-YYYY'), undefined);
    assert.equal(parseDate('26-08-2020', 'YYYY-MM-DD'), undefined);
    assert.equal(parseDate('0099-01-01', 'YYYY-MM-DD'), undefined);
    assert.equal(parseDate('2021-07-26T25:00', 'YYYY-MM-DD'), undefined);
    assert.equal(parseDate('yesterday', 'DD-MM-YYYY'), undefined);
  });
});

describe('detectDateFormat', () => {
  test('a header hint wins over the values', () => {
    const detected = detectDateFormat('Subscription Date (DD-MM-YYYY)', ['01-02-2020']);
    assert.deepEqual(detected, { format: 'DD-MM-YYYY', basis: 'header' });
    assert.equal(detectDateFormat('signup mm/dd/yyyy', []).format, 'MM-DD-YYYY');
  });

  test('year-first values mean YYYY-MM-DD', () => {
    const detected = detectDateFormat('Date', ['2021-07-26', '2020-01-02']);
    assert.deepEqual(detected, { format: 'YYYY-MM-DD', basis: 'values' });
  });

  test('a first part above 12 means day first, a second part above 12 month first', () => {
    assert.equal(detectDateFormat('Date', ['01-02-2020', '26-08-2020']).format, 'DD-MM-YYYY');
    assert.equal(detectDateFormat('Date', ['01-02-2020', '08-26-2020']).format, 'MM-DD-YYYY');
  });

  test('no value above 12, or evidence both ways, is ambiguous', () => {
    assert.equal(detectDateFormat('Date', ['01-02-2020', '03-04-2020']).format, undefined);
    assert.equal(detectDateFormat('Date', ['13-02-2020', '03-14-2020']).format, undefined);
  });

  test('a sample without dates falls back to YYYY-MM-DD', () => {
    const detected = detectDateFormat('Date', ['', 'n/a']);
    assert.deepEqual(detected, { format: 'YYYY-MM-DD', basis: 'default' });
  });
});
