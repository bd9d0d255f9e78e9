import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fromZonedLocal, isValidTimeZone, parseLocalDateTime, toZonedLocal } from './zoned-time.ts';

const local = (text: string) => parseLocalDateTime(text)!;

describe('zoned time', () => {
  test('a wall time in Paris is an hour ahead of UTC in winter and two in summer', () => {
    assert.equal(fromZonedLocal(local('2025-01-15T02:00'), 'Europe/Paris').toISOString(), '2025-01-15T01:00:00.000Z');
    assert.equal(fromZonedLocal(local('2025-07-15T02:00'), 'Europe/Paris').toISOString(), '2025-07-15T00:00:00.000Z');
  });

  test('a wall time skipped by the spring jump lands as far after the jump (02:30 reads 03:30)', () => {
    const instant = fromZonedLocal(local('2025-03-30T02:30'), 'Europe/Paris');

    assert.equal(instant.toISOString(), '2025-03-30T01:30:00.000Z');
    assert.deepEqual(toZonedLocal(instant, 'Europe/Paris').hour, 3);
  });

  test('a wall time shown twice in the autumn is its first showing', () => {
    assert.equal(fromZonedLocal(local('2025-11-02T01:30'), 'America/New_York').toISOString(), '2025-11-02T05:30:00.000Z');
  });

  test('reading an instant back in its zone gives the wall time it was made from', () => {
    const instant = fromZonedLocal(local('2025-06-01T23:45:10'), 'Asia/Kolkata');

    assert.deepEqual(toZonedLocal(instant, 'Asia/Kolkata'), { ...local('2025-06-01T23:45:10'), millisecond: 0 });
  });

  test('only calendar times and IANA zone names are taken', () => {
    assert.equal(parseLocalDateTime('2025-02-29T10:00'), null);
    assert.equal(parseLocalDateTime('2025-01-01 10:00'), null);
    assert.equal(parseLocalDateTime('2025-01-01T24:00'), null);
    assert.equal(isValidTimeZone('Europe/Paris'), true);
    assert.equal(isValidTimeZone('UTC'), true);
    assert.equal(isValidTimeZone('Europe/Atlantis'), false);
  });
});
