import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseDateOfBirth } from './birth-date.ts';

function date(value: unknown): string | null {
  const result = parseDateOfBirth(value);
  return result.ok ? `${result.year}-${result.month}-${result.day}` : null;
}

function reason(value: unknown): string | null {
  const result = parseDateOfBirth(value);
  return result.ok ? null : result.reason;
}

describe('DOB', () => {
  test('reads ISO dates, with / or . and with a time after them', () => {
    assert.equal(date('1990-05-17'), '1990-05-17');
    assert.equal(date('1990/5/7'), '1990-05-07');
    assert.equal(date('1990.05.17'), '1990-05-17');
    assert.equal(date('1990-05-17T08:30:00Z'), '1990-05-17');
    assert.equal(date('19900517'), '1990-05-17');
  });

  test('reads day-first and month-first dates when only one reading is a date', () => {
    assert.equal(date('17/05/1990'), '1990-05-17');
    assert.equal(date('26-08-2020'), '2020-08-26');
    assert.equal(date('05/17/1990'), '1990-05-17');
    assert.equal(date('07/07/1990'), '1990-07-07');
  });

  test('drops 03/04/1990 as ambiguous: it could be March or April', () => {
    assert.equal(reason('03/04/1990'), 'ambiguous_date');
  });

  test('reads English month names and ordinals', () => {
    assert.equal(date('17 May 1990'), '1990-05-17');
    assert.equal(date('May 17th, 1990'), '1990-05-17');
    assert.equal(date('17-Sep-1990'), '1990-09-17');
    assert.equal(date('Thursday, 17 May 1990'), '1990-05-17');
  });

  test('reads a Date by its UTC calendar day', () => {
    assert.equal(date(new Date(Date.UTC(1990, 4, 17))), '1990-05-17');
  });

  test('drops two-digit years, impossible days and years outside 1900..this year', () => {
    assert.equal(reason('17/05/90'), 'invalid_date');
    assert.equal(reason('1990-02-30'), 'date_out_of_range');
    assert.equal(reason('1899-12-31'), 'date_out_of_range');
    assert.equal(reason(`${new Date().getUTCFullYear() + 1}-01-01`), 'date_out_of_range');
    assert.equal(reason('not a date'), 'invalid_date');
  });

  test('29 February only in a leap year', () => {
    assert.equal(date('2000-02-29'), '2000-02-29');
    assert.equal(reason('1900-02-29'), 'date_out_of_range');
  });
});
