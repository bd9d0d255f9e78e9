import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UpdateSyncInput } from '../syncs/inputs.ts';

const parse = (schedule: unknown) => UpdateSyncInput.safeParse({ schedule });
const problem = (schedule: unknown) => {
  const result = parse(schedule);
  assert.equal(result.success, false);
  const issue = result.error!.issues[0]!;
  return `${issue.path.join('.')}: ${issue.message}`;
};

test('an interval schedule reads every and unit, with a start time and zone when given, UTC otherwise', () => {
  const full = { type: 'interval', every: 1, unit: 'days', startAt: '2025-01-10T02:00', timeZone: 'Europe/Paris' };

  assert.deepEqual(parse(full).data?.schedule, full);
  assert.deepEqual(parse({ type: 'interval', every: 2, unit: 'hours' }).data?.schedule, {
    type: 'interval', every: 2, unit: 'hours', startAt: null, timeZone: 'UTC',
  });
});

test('the first form, every N minutes, reads as N minutes', () => {
  assert.deepEqual(parse({ type: 'interval', everyMinutes: 90 }).data?.schedule, {
    type: 'interval', every: 90, unit: 'minutes', startAt: null, timeZone: 'UTC',
  });
});

test('an interval without every, under 5 minutes or over 30 days is refused, naming the field', () => {
  assert.equal(problem({ type: 'interval' }), 'schedule.every: is required for an Interval schedule, e.g. every 1 with unit hours');
  assert.equal(problem({ type: 'interval', every: 4, unit: 'minutes' }), 'schedule.every: must be between 5 minutes and 30 days');
  assert.equal(problem({ type: 'interval', every: 31, unit: 'days' }), 'schedule.every: must be between 5 minutes and 30 days');
  assert.equal(problem({ type: 'interval', everyMinutes: 2 }), 'schedule.everyMinutes: must be between 5 minutes and 30 days');
});

test('a start time must be a calendar time, and the zone an IANA name', () => {
  assert.match(problem({ type: 'interval', every: 1, unit: 'days', startAt: '2025-02-30T02:00' }), /^schedule\.startAt: must be a local date/);
  assert.match(problem({ type: 'interval', every: 1, unit: 'days', timeZone: 'Paris' }), /^schedule\.timeZone: must be an IANA time zone/);
});
