import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { nextRunAt, slotDueAt, type IntervalSchedule, type ScheduleState } from './schedule.ts';

const at = (iso: string) => new Date(iso);
const every = (n: number, unit: IntervalSchedule['unit'], extra: Partial<IntervalSchedule> = {}): IntervalSchedule => ({
  type: 'interval',
  every: n,
  unit,
  startAt: null,
  timeZone: 'UTC',
  ...extra,
});
const state = (anchor: string, lastSlot: string | null, paused = false): ScheduleState => ({
  anchorAt: at(anchor),
  lastSlotAt: lastSlot ? at(lastSlot) : null,
  paused,
});
const iso = (date: Date | null) => date?.toISOString() ?? null;

describe('nextRunAt', () => {
  test('a manual or paused schedule has no next run', () => {
    assert.equal(nextRunAt({ type: 'manual' }, state('2025-01-01T00:00Z', null), at('2025-01-02T00:00Z')), null);
    assert.equal(nextRunAt(every(1, 'hours'), state('2025-01-01T00:00Z', null, true), at('2025-01-02T00:00Z')), null);
  });

  test('without a start time the slots count from when the schedule was set', () => {
    const schedule = every(90, 'minutes');
    const set = state('2025-01-01T10:07Z', '2025-01-01T10:07Z');

    assert.equal(iso(nextRunAt(schedule, set, at('2025-01-01T10:30Z'))), '2025-01-01T11:37:00.000Z');
  });

  test('a slot that came and was not claimed is due now', () => {
    const schedule = every(1, 'hours');

    const next = nextRunAt(schedule, state('2025-01-01T10:00Z', '2025-01-01T10:00Z'), at('2025-01-01T11:00:05Z'));

    assert.equal(iso(next), '2025-01-01T11:00:00.000Z');
  });

  test('slots missed while nothing ran are one run: the latest, never the older ones', () => {
    const schedule = every(1, 'hours');

    const next = nextRunAt(schedule, state('2025-01-01T10:00Z', '2025-01-01T10:00Z'), at('2025-01-01T17:20Z'));

    assert.equal(iso(next), '2025-01-01T17:00:00.000Z');
  });

  test('once the latest slot is claimed the next one is the first after now', () => {
    const schedule = every(1, 'hours');

    const next = nextRunAt(schedule, state('2025-01-01T10:00Z', '2025-01-01T17:00Z'), at('2025-01-01T17:20Z'));

    assert.equal(iso(next), '2025-01-01T18:00:00.000Z');
  });

  test('a start time ahead is the first run; the anchor does not matter', () => {
    const schedule = every(2, 'hours', { startAt: '2025-03-01T06:30', timeZone: 'Europe/Paris' });

    const next = nextRunAt(schedule, state('2025-01-01T10:00Z', null), at('2025-02-01T00:00Z'));

    assert.equal(iso(next), '2025-03-01T05:30:00.000Z');
  });

  test('every day at 09:00 in Paris stays 09:00 local across the spring jump', () => {
    const schedule = every(1, 'days', { startAt: '2025-03-28T09:00', timeZone: 'Europe/Paris' });
    const runs: string[] = [];
    let current = state('2025-01-01T00:00Z', null);

    for (let i = 0; i < 4; i += 1) {
      const next = nextRunAt(schedule, current, at('2025-03-27T00:00Z'))!;
      const claimed = nextRunAt(schedule, current, next)!;
      runs.push(claimed.toISOString());
      current = { ...current, lastSlotAt: claimed };
    }

    assert.deepEqual(runs, [
      '2025-03-28T08:00:00.000Z',
      '2025-03-29T08:00:00.000Z',
      '2025-03-30T07:00:00.000Z',
      '2025-03-31T07:00:00.000Z',
    ]);
  });

  test('a daily time the spring jump skips runs that night an hour later by the wall clock', () => {
    const schedule = every(1, 'days', { startAt: '2025-03-28T02:30', timeZone: 'Europe/Paris' });

    const next = nextRunAt(schedule, state('2025-01-01T00:00Z', '2025-03-29T01:30Z'), at('2025-03-29T12:00Z'));

    assert.equal(iso(next), '2025-03-30T01:30:00.000Z');
  });

  test('every 3 days counts whole calendar days from the start date', () => {
    const schedule = every(3, 'days', { startAt: '2025-01-01T09:00', timeZone: 'America/New_York' });

    const next = nextRunAt(schedule, state('2024-12-01T00:00Z', '2025-01-04T14:00Z'), at('2025-01-05T00:00Z'));

    assert.equal(iso(next), '2025-01-07T14:00:00.000Z');
  });

  test('every 2 hours is absolute time: across the jump the wall time moves by the hour', () => {
    const schedule = every(2, 'hours', { startAt: '2025-03-29T23:00', timeZone: 'Europe/Paris' });

    const next = nextRunAt(schedule, state('2025-01-01T00:00Z', '2025-03-30T00:00Z'), at('2025-03-30T00:30Z'));

    assert.equal(iso(next), '2025-03-30T02:00:00.000Z');
  });

  test('a schedule set now counts the slot already due as claimed, so it never fires by being set', () => {
    const schedule = every(1, 'days', { startAt: '2025-01-01T02:00', timeZone: 'UTC' });
    const now = at('2025-06-10T10:00Z');

    const claimed = slotDueAt(schedule, now, now);

    assert.equal(iso(claimed), '2025-06-10T02:00:00.000Z');
    assert.equal(iso(nextRunAt(schedule, { anchorAt: now, lastSlotAt: claimed, paused: false }, now)), '2025-06-11T02:00:00.000Z');
  });
});
