import { z } from 'zod';

/** How an import reads registered_at. `auto` decides once per file; see detectDateFormat. */
export const DateFormat = z.enum(['auto', 'YYYY-MM-DD', 'DD-MM-YYYY', 'MM-DD-YYYY']);
export type DateFormat = z.infer<typeof DateFormat>;
export type FixedDateFormat = Exclude<DateFormat, 'auto'>;

// Any of `-`, `/` and `.` separates the parts; a time may follow the date, with or without zone.
const YEAR_FIRST = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(.*)$/;
const YEAR_LAST = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(.*)$/;
const TIME = /^(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(\.\d{1,6})?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$/i;
const HEADER_HINT = /\b(YYYY|DD|MM)[-/.](YYYY|DD|MM)[-/.](YYYY|DD|MM)\b/i;

/**
 * Reads a date (optionally with a time) in the given part order and returns it
 * as an ISO timestamp, or undefined when the value is not a real date in that
 * order. A value without a zone is read as UTC, so a bare date is its midnight UTC.
 * Example: parseDate('26-08-2020', 'DD-MM-YYYY') === '2020-08-26T00:00:00.000Z'.
 */
export function parseDate(value: string, format: FixedDateFormat): string | undefined {
  const match = (format === 'YYYY-MM-DD' ? YEAR_FIRST : YEAR_LAST).exec(value.trim());
  if (!match) return undefined;

  const [, a, b, c, rest] = match as unknown as [string, string, string, string, string];
  const [year, month, day] =
    format === 'YYYY-MM-DD' ? [a, b, c] : format === 'DD-MM-YYYY' ? [c, b, a] : [c, a, b];
  return makeTimestamp(Number(year), Number(month), Number(day), rest);
}

function makeTimestamp(year: number, month: number, day: number, rest: string): string | undefined {
  const time = TIME.exec(rest);
  if (!time) return undefined;

  const [, hh = '0', mm = '0', ss = '0', fraction = '', zone = 'Z'] = time;
  const [hours, minutes, seconds] = [Number(hh), Number(mm), Number(ss)];
  if (hours > 23 || minutes > 59 || seconds > 59) return undefined;

  // Date.UTC rolls 31 February over into March; a round trip catches it.
  const calendar = new Date(Date.UTC(year, month - 1, day));
  if (calendar.getUTCFullYear() !== year || calendar.getUTCMonth() !== month - 1) return undefined;
  if (calendar.getUTCDate() !== day) return undefined;

  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const offset = zone.toUpperCase() === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const date = `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
  const iso = `${date}T${pad(hours)}:${pad(minutes)}:${pad(seconds)}`;
  const millis = fraction ? fraction.slice(0, 4).padEnd(4, '0') : '';
  // An offset such as +99:99 reads as no date at all: that line is rejected, not the file.
  const parsed = new Date(`${iso}${millis}${offset}`);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed.toISOString();
}

/** What `auto` decided for a file, or why it could not decide. */
export type DateFormatDetection =
  | { format: FixedDateFormat; basis: 'header' | 'values' | 'default' }
  | { format: undefined; problem: string };

/**
 * The `auto` rule, applied once per file:
 * 1. A hint in the column's header such as "Subscription Date (DD-MM-YYYY)" wins.
 * 2. Otherwise the sample (the file's first batch of rows) decides. When most dated
 *    values start with a four-digit year, the file is YYYY-MM-DD. Otherwise the
 *    year is last, and a first part above 12 in any value means DD-MM-YYYY, a
 *    second part above 12 means MM-DD-YYYY. When neither (or both) occur, the
 *    file is ambiguous and the caller must name the format.
 * 3. A sample without any dated value falls back to YYYY-MM-DD.
 * Values the decided format cannot read are then rejected row by row.
 */
export function detectDateFormat(header: string, samples: Iterable<string>): DateFormatDetection {
  const hint = readHeaderHint(header);
  if (hint) return { format: hint, basis: 'header' };

  let yearFirst = 0;
  let yearLast = 0;
  let dayFirstSeen = false;
  let monthFirstSeen = false;
  for (const value of samples) {
    const trimmed = value.trim();
    if (YEAR_FIRST.test(trimmed)) yearFirst += 1;
    const match = YEAR_LAST.exec(trimmed);
    if (!match) continue;

    yearLast += 1;
    if (Number(match[1]) > 12) dayFirstSeen = true;
    if (Number(match[2]) > 12) monthFirstSeen = true;
  }

  if (yearFirst === 0 && yearLast === 0) return { format: 'YYYY-MM-DD', basis: 'default' };
  if (yearFirst >= yearLast) return { format: 'YYYY-MM-DD', basis: 'values' };
  if (dayFirstSeen && !monthFirstSeen) return { format: 'DD-MM-YYYY', basis: 'values' };
  if (monthFirstSeen && !dayFirstSeen) return { format: 'MM-DD-YYYY', basis: 'values' };

  const why = dayFirstSeen
    ? 'some of its first rows read as day-first and others as month-first'
    : 'no day in its first rows is above 12, so day-first and month-first both fit';
  return { format: undefined, problem: why };
}

function readHeaderHint(header: string): FixedDateFormat | undefined {
  const match = HEADER_HINT.exec(header);
  if (!match) return undefined;

  const order = `${match[1]}-${match[2]}-${match[3]}`.toUpperCase();
  const known: readonly string[] = ['YYYY-MM-DD', 'DD-MM-YYYY', 'MM-DD-YYYY'];
  return known.includes(order) ? (order as FixedDateFormat) : undefined;
}
