import type { IntervalUnit, Schedule } from '../api/types.ts';

const numberFormat = new Intl.NumberFormat('en-US');
const dateTimeFormat = new Intl.DateTimeFormat('en-US', {
  month: 'short',
  day: 'numeric',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
});

export function formatNumber(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : numberFormat.format(value);
}

export function formatPercent(share: number): string {
  return `${Math.round(share * 1000) / 10}%`;
}

export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '—';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? '—' : dateTimeFormat.format(date);
}

/** "5 min ago", "in 2 h", "Mar 3, 2025 …" past a week. */
export function formatRelative(value: string | null | undefined, now = Date.now()): string {
  if (!value) return '—';
  const date = new Date(value);
  const diff = date.getTime() - now;
  const abs = Math.abs(diff);
  if (Number.isNaN(abs)) return '—';
  if (abs < 45_000) return diff < 0 ? 'just now' : 'in a moment';
  const units: Array<[number, string]> = [
    [60_000, 'min'],
    [3_600_000, 'h'],
    [86_400_000, 'd'],
  ];
  let label = '';
  if (abs < 3_600_000) label = `${Math.round(abs / units[0]![0])} ${units[0]![1]}`;
  else if (abs < 86_400_000) label = `${Math.round(abs / units[1]![0])} ${units[1]![1]}`;
  else if (abs < 7 * 86_400_000) label = `${Math.round(abs / units[2]![0])} ${units[2]![1]}`;
  else return formatDateTime(value);
  return diff < 0 ? `${label} ago` : `in ${label}`;
}

export function formatDuration(startedAt: string, finishedAt: string | null): string {
  if (!finishedAt) return '—';
  const ms = new Date(finishedAt).getTime() - new Date(startedAt).getTime();
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export type { IntervalUnit };

export const UNIT_MINUTES: Record<IntervalUnit, number> = { minutes: 1, hours: 60, days: 1440 };

/** The largest unit that divides the interval exactly: 120 min → 2 hours. */
export function splitInterval(everyMinutes: number): { every: number; unit: IntervalUnit } {
  if (everyMinutes % 1440 === 0) return { every: everyMinutes / 1440, unit: 'days' };
  if (everyMinutes % 60 === 0) return { every: everyMinutes / 60, unit: 'hours' };
  return { every: everyMinutes, unit: 'minutes' };
}

/** Every and unit of an interval schedule in either of the API's forms. */
export function intervalOf(schedule: Extract<Schedule, {
  type: 'interval';
}>): { every: number; unit: IntervalUnit } {
  if (schedule.every !== undefined && schedule.unit !== undefined) return {
    every: schedule.every,
    unit: schedule.unit,
  };
  return splitInterval(schedule.everyMinutes ?? 60);
}

export function describeSchedule(schedule: Schedule): string {
  if (schedule.type === 'manual') return 'Manual';
  const { every, unit } = intervalOf(schedule);
  const name = every === 1 ? unit.slice(0, -1) : unit;
  return every === 1 ? `Every ${name}` : `Every ${every} ${name}`;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${formatNumber(count)} ${count === 1 ? one : many}`;
}

/**
 * Skip and issue reasons arrive as codes (`no_identifier`, `EMAIL:invalid email`);
 * people read sentences: "No identifier", "EMAIL: invalid email".
 */
export function humanizeReason(reason: string): string {
  const [field, ...rest] = reason.split(':');
  if (rest.length > 0 && /^[A-Z_]+$/.test(field!)) return `${field}: ${rest.join(':').trim()}`;
  const text = reason.replace(/[_-]+/g, ' ').trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
}
