import {
  addLocalDays,
  fromZonedLocal,
  localDaysBetween,
  parseLocalDateTime,
  toZonedLocal,
  type LocalDateTime,
} from './zoned-time.ts';

export const INTERVAL_UNITS = ['minutes', 'hours', 'days'] as const;
export type IntervalUnit = (typeof INTERVAL_UNITS)[number];

/** Every N minutes, hours or days; days keep the wall time of `timeZone` across daylight saving. */
export interface IntervalSchedule {
  type: 'interval';
  every: number;
  unit: IntervalUnit;
  /** Local wall time of the first run, `2025-01-10T02:00`; null: from when the schedule was set. */
  startAt: string | null;
  /** IANA name, e.g. `Europe/Paris`. */
  timeZone: string;
}

export type SyncSchedule = { type: 'manual' } | IntervalSchedule;

/** Where a sync's schedule stands, as stored with it. */
export interface ScheduleState {
  /** When the schedule was set: slots count from here when it has no start time. */
  anchorAt: Date;
  /** The last slot the scheduler claimed (enqueued a run for). */
  lastSlotAt: Date | null;
  paused: boolean;
}

const UNIT_MINUTES: Record<IntervalUnit, number> = { minutes: 1, hours: 60, days: 24 * 60 };
const MINUTE_MS = 60_000;

export function intervalMinutes(schedule: Pick<IntervalSchedule, 'every' | 'unit'>): number {
  return schedule.every * UNIT_MINUTES[schedule.unit];
}

/**
 * When the sync runs next by its schedule: the one function behind both the
 * scheduler (a time at or before now means "enqueue now") and the sync list.
 *
 * Manual and paused schedules have none. Otherwise, the latest slot at or
 * before `now` when it has not been claimed yet: however many slots were missed
 * while nothing ran, they are that one run. Else the first slot after `now`.
 *
 * @example
 * nextRunAt({ type: 'interval', every: 1, unit: 'hours', startAt: null, timeZone: 'UTC' },
 *   { anchorAt: new Date('2025-01-01T10:07Z'), lastSlotAt: new Date('2025-01-01T10:07Z'), paused: false },
 *   new Date('2025-01-01T10:30Z')) // 2025-01-01T11:07Z
 */
export function nextRunAt(schedule: SyncSchedule, state: ScheduleState, now: Date): Date | null {
  if (schedule.type !== 'interval' || state.paused) return null;
  const slots = new Slots(schedule, state.anchorAt);

  const latest = slots.latestAtOrBefore(now);
  if (latest && (state.lastSlotAt === null || latest > state.lastSlotAt)) return latest;

  const after = state.lastSlotAt && state.lastSlotAt > now ? state.lastSlotAt : now;
  return slots.firstAfter(after);
}

/**
 * The last slot already due at `now`, which a schedule set (or resumed) at `now`
 * counts as claimed: setting a schedule never fires a run by itself, its first
 * run comes at the next slot.
 */
export function slotDueAt(schedule: SyncSchedule, anchorAt: Date, now: Date): Date | null {
  return schedule.type === 'interval' ? new Slots(schedule, anchorAt).latestAtOrBefore(now) : null;
}

/** The instants a schedule fires at: slot k is the start plus k intervals, k ≥ 0. */
class Slots {
  readonly #schedule: IntervalSchedule;
  readonly #start: Date;
  readonly #startLocal: LocalDateTime;

  constructor(schedule: IntervalSchedule, anchorAt: Date) {
    this.#schedule = schedule;
    const local = schedule.startAt ? parseLocalDateTime(schedule.startAt) : null;
    this.#startLocal = local ?? toZonedLocal(anchorAt, schedule.timeZone);
    this.#start = local ? fromZonedLocal(local, schedule.timeZone) : anchorAt;
  }

  latestAtOrBefore(t: Date): Date | null {
    if (t < this.#start) return null;
    return this.#slot(this.#indexAtOrBefore(t));
  }

  firstAfter(t: Date): Date {
    if (t < this.#start) return this.#start;
    return this.#slot(this.#indexAtOrBefore(t) + 1);
  }

  #indexAtOrBefore(t: Date): number {
    const { every, unit, timeZone } = this.#schedule;
    if (unit !== 'days') {
      const stepMs = intervalMinutes(this.#schedule) * MINUTE_MS;
      return Math.floor((t.getTime() - this.#start.getTime()) / stepMs);
    }
    // Calendar days: estimate from the dates, then step over a daylight-saving edge.
    const days = localDaysBetween(this.#startLocal, toZonedLocal(t, timeZone));
    let index = Math.max(0, Math.floor(days / every));
    while (this.#slot(index + 1) <= t) index += 1;
    while (index > 0 && this.#slot(index) > t) index -= 1;
    return index;
  }

  #slot(index: number): Date {
    const { every, unit, timeZone } = this.#schedule;
    if (index === 0) return this.#start;
    if (unit !== 'days') {
      return new Date(this.#start.getTime() + index * intervalMinutes(this.#schedule) * MINUTE_MS);
    }
    return fromZonedLocal(addLocalDays(this.#startLocal, index * every), timeZone);
  }
}
