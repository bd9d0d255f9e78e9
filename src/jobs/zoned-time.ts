/**
 * Wall-clock time in an IANA time zone, on nothing but Intl: enough to place a
 * schedule's slots at the same local time every day across daylight saving.
 */

export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;
const HALF_DAY_MS = 12 * 60 * 60 * 1000;
const formatters = new Map<string, Intl.DateTimeFormat>();

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** `2025-03-30T02:30` (seconds optional) as its parts; null when it is no calendar time. */
export function parseLocalDateTime(text: string): LocalDateTime | null {
  const match = LOCAL_DATE_TIME.exec(text);
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0));
  const local = {
    year: year!,
    month: month!,
    day: day!,
    hour: hour!,
    minute: minute!,
    second: second!,
    millisecond: 0,
  };
  const check = new Date(asUtcMs(local));
  const valid =
    check.getUTCFullYear() === local.year &&
    check.getUTCMonth() + 1 === local.month &&
    check.getUTCDate() === local.day &&
    local.hour < 24 &&
    local.minute < 60 &&
    local.second < 60;
  return valid ? local : null;
}

/** What a clock on the wall of `timeZone` shows at this instant. */
export function toZonedLocal(instant: Date, timeZone: string): LocalDateTime {
  const parts = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(instant)
      .filter((part) => part.type !== 'literal')
      .map((part) => [part.type, Number(part.value)]),
  );
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour! % 24,
    minute: parts.minute!,
    second: parts.second!,
    millisecond: ((instant.getTime() % 1000) + 1000) % 1000,
  };
}

/**
 * The instant a wall clock of `timeZone` shows `local`. A time skipped by a
 * daylight-saving jump lands as far after the jump as it was meant after the
 * hour (02:30 on a spring-forward night is 03:30); a time shown twice in the
 * autumn is its first showing.
 */
export function fromZonedLocal(local: LocalDateTime, timeZone: string): Date {
  const wall = asUtcMs(local);
  const before = offsetAt(wall - HALF_DAY_MS, timeZone);
  const after = offsetAt(wall + HALF_DAY_MS, timeZone);
  const fits = [before, after]
    .map((offset) => wall - offset)
    .filter((instant) => offsetAt(instant, timeZone) === wall - instant);
  return new Date(fits.length > 0 ? Math.min(...fits) : wall - before);
}

/** The same wall time `days` calendar days later (or earlier). */
export function addLocalDays(local: LocalDateTime, days: number): LocalDateTime {
  const date = new Date(Date.UTC(local.year, local.month - 1, local.day + days));
  const year = date.getUTCFullYear();
  return { ...local, year, month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

/** The local time `from` → `to` in whole calendar days (their dates only). */
export function localDaysBetween(from: LocalDateTime, to: LocalDateTime): number {
  const day = (local: LocalDateTime) => Date.UTC(local.year, local.month - 1, local.day);
  return Math.round((day(to) - day(from)) / (24 * 60 * 60 * 1000));
}

function asUtcMs(local: LocalDateTime): number {
  const { year, month, day, hour, minute, second, millisecond } = local;
  return Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
}

/** How far ahead of UTC the zone's clocks are at this instant, in milliseconds. */
function offsetAt(instantMs: number, timeZone: string): number {
  const local = toZonedLocal(new Date(instantMs), timeZone);
  return asUtcMs(local) - instantMs;
}

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}
