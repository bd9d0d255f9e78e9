import type { Sync } from '../db/schema.ts';
import { intervalMinutes, slotDueAt, type ScheduleState, type SyncSchedule } from './schedule.ts';

/** A sync row's schedule; a row from before 0003 reads as every N minutes in UTC. */
export function scheduleOfSync(sync: Sync): SyncSchedule {
  const every = sync.schedule_every ?? sync.schedule_interval_minutes;
  if (sync.schedule_type !== 'interval' || !every) return { type: 'manual' };
  return {
    type: 'interval',
    every,
    unit: sync.schedule_unit ?? 'minutes',
    startAt: sync.schedule_start_at,
    timeZone: sync.schedule_time_zone,
  };
}

export function scheduleStateOfSync(sync: Sync): ScheduleState {
  return {
    anchorAt: sync.schedule_anchor_at,
    lastSlotAt: sync.schedule_last_slot_at,
    paused: sync.paused_at !== null,
  };
}

/**
 * The columns that set a schedule as of `now`. Setting one takes effect at once
 * and never fires a run by itself: slots already due count as claimed, and the
 * first run comes at the next slot (or at the start time, when that is ahead).
 */
export function scheduleColumns(schedule: SyncSchedule, now: Date) {
  if (schedule.type === 'manual') {
    return {
      schedule_type: 'manual' as const,
      schedule_interval_minutes: null,
      schedule_every: null,
      schedule_unit: null,
      schedule_start_at: null,
      schedule_time_zone: 'UTC',
      schedule_anchor_at: now,
      schedule_last_slot_at: null,
    };
  }
  return {
    schedule_type: 'interval' as const,
    schedule_interval_minutes: intervalMinutes(schedule),
    schedule_every: schedule.every,
    schedule_unit: schedule.unit,
    schedule_start_at: schedule.startAt,
    schedule_time_zone: schedule.timeZone,
    schedule_anchor_at: now,
    schedule_last_slot_at: slotDueAt(schedule, now, now),
  };
}

export function sameSchedule(a: SyncSchedule, b: SyncSchedule): boolean {
  if (a.type === 'manual' || b.type === 'manual') return a.type === b.type;
  const same = a.every === b.every && a.unit === b.unit;
  return same && a.startAt === b.startAt && a.timeZone === b.timeZone;
}
