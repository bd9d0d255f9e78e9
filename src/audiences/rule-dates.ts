/**
 * The date grammar of audience rules: an ISO date (`2024-01-31`) or an ISO datetime
 * (`2024-01-31T09:30`, seconds, up to six fraction digits and a zone optional; a space may
 * stand for the `T`). A datetime without a zone is read as UTC, so a rule means the same
 * thing whatever the database session's time zone.
 *
 * The patterns are written once here and used twice: to check rule values in JS and to
 * guard the cast of text columns and attributes in SQL. They only use syntax that
 * JavaScript and PostgreSQL regular expressions read the same way.
 */
const DATE = '[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])';
const TIME = '([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]{1,6})?)?';
const ZONE = '(Z|[+-](0[0-9]|1[0-4])(:?[0-5][0-9])?)';

export const DATE_PATTERN = `^${DATE}$`;
export const DATETIME_PATTERN = `^${DATE}[T ]${TIME}${ZONE}?$`;
export const DATE_OR_DATETIME_PATTERN = `^${DATE}([T ]${TIME}${ZONE}?)?$`;
/** Whether a string that already matched DATETIME_PATTERN carries its own zone. */
export const ZONE_SUFFIX_PATTERN = `${ZONE}$`;

const dateRe = new RegExp(DATE_PATTERN);
const datetimeRe = new RegExp(DATETIME_PATTERN);
const zoneRe = new RegExp(ZONE_SUFFIX_PATTERN);

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A rule's date value. A day covers [start, end) in UTC; an instant is one point, kept as
 * text with an explicit zone so that PostgreSQL keeps its microseconds.
 */
export type RuleDate =
  | { precision: 'day'; start: string; end: string }
  | { precision: 'instant'; at: string };

/** Reads a rule date value, or returns undefined when it is not one (wrong shape or day). */
export function parseRuleDate(text: string): RuleDate | undefined {
  if (dateRe.test(text)) {
    const start = utcDay(text);
    if (start === undefined) return undefined;
    return {
      precision: 'day',
      start: new Date(start).toISOString(),
      end: new Date(start + DAY_MS).toISOString(),
    };
  }

  if (!datetimeRe.test(text) || utcDay(text.slice(0, 10)) === undefined) return undefined;
  const at = text.replace(' ', 'T');
  return { precision: 'instant', at: zoneRe.test(at) ? at : `${at}Z` };
}

export function isRuleDate(text: string): boolean {
  return parseRuleDate(text) !== undefined;
}

/** Midnight UTC of a YYYY-MM-DD day in ms, or undefined for a day the calendar lacks. */
function utcDay(text: string): number | undefined {
  const [year, month, day] = text.split('-').map(Number) as [number, number, number];
  const ms = Date.UTC(year, month - 1, day);
  return new Date(ms).getUTCDate() === day ? ms : undefined;
}
