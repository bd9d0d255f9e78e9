import { drop, type Dropped, type Normalized } from './result.ts';

/** A date of birth as Meta's three columns: `1990`, `05`, `17`. */
export interface DateOfBirth {
  ok: true;
  year: string;
  month: string;
  day: string;
}

/**
 * DOB: reads a Date (its UTC calendar day) or text in the common formats:
 * `1990-05-17` (also with / or . and a time after it), `19900517`,
 * `17/05/1990` or `05/17/1990`, `17 May 1990`, `May 17th, 1990`.
 *
 * Day-first and month-first files both exist and nothing in `03/04/1990` says
 * which it is: when both readings are real dates and differ, the value is
 * `ambiguous_date`, dropped rather than guessed (as PRODUCT.md does for
 * countries). Two-digit years are dropped for the same reason.
 */
export function parseDateOfBirth(value: unknown): DateOfBirth | Dropped {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return drop('invalid_date');
    return checked(value.getUTCFullYear(), value.getUTCMonth() + 1, value.getUTCDate());
  }
  if (typeof value === 'number' && Number.isInteger(value)) return parseDateText(String(value));
  if (typeof value !== 'string') return drop('unsupported_value');
  return parseDateText(value.trim());
}

const ISO_DATE_TIME = /^(\d{4}-\d{1,2}-\d{1,2})[t\s]/;
const TOKENS = /\d+|\p{L}+/gu;
const ORDINAL_SUFFIXES = new Set(['st', 'nd', 'rd', 'th']);
const WEEKDAYS = /^(?:mon|tue|wed|thu|fri|sat|sun)/;
const FOUR_DIGITS = /^\d{4}$/;
const ONE_OR_TWO_DIGITS = /^\d{1,2}$/;
const EIGHT_DIGITS = /^\d{8}$/;

function parseDateText(text: string): DateOfBirth | Dropped {
  const lower = text.toLowerCase();
  const dateTime = ISO_DATE_TIME.exec(lower);
  const tokens = (dateTime ? dateTime[1]! : lower).match(TOKENS) ?? [];
  const parts = tokens.filter((token) => !ORDINAL_SUFFIXES.has(token) && !WEEKDAYS.test(token));

  if (parts.length === 1 && EIGHT_DIGITS.test(parts[0]!)) {
    const digits = parts[0]!;
    return checked(Number(digits.slice(0, 4)), Number(digits.slice(4, 6)), Number(digits.slice(6)));
  }
  if (parts.length !== 3) return drop('invalid_date');

  const named = parts.findIndex((part) => monthOfName(part) !== undefined);
  if (named >= 0) return withMonthName(parts, named);
  return numeric(parts[0]!, parts[1]!, parts[2]!);
}

function withMonthName(parts: string[], named: number): DateOfBirth | Dropped {
  const others = parts.filter((_, index) => index !== named);
  const year = others.find((part) => FOUR_DIGITS.test(part));
  const day = others.find((part) => ONE_OR_TWO_DIGITS.test(part));
  if (year === undefined || day === undefined) return drop('invalid_date');
  return checked(Number(year), monthOfName(parts[named]!)!, Number(day));
}

function numeric(first: string, second: string, third: string): DateOfBirth | Dropped {
  if (FOUR_DIGITS.test(first) && ONE_OR_TWO_DIGITS.test(second) && ONE_OR_TWO_DIGITS.test(third)) {
    return checked(Number(first), Number(second), Number(third));
  }
  const dayAndMonth = ONE_OR_TWO_DIGITS.test(first) && ONE_OR_TWO_DIGITS.test(second);
  if (!FOUR_DIGITS.test(third) || !dayAndMonth) return drop('invalid_date');

  const year = Number(third);
  const a = Number(first);
  const b = Number(second);
  const dayFirst = isRealDate(year, b, a);
  const monthFirst = isRealDate(year, a, b);
  if (dayFirst && monthFirst && a !== b) return drop('ambiguous_date');
  return dayFirst ? checked(year, b, a) : checked(year, a, b);
}

function checked(year: number, month: number, day: number): DateOfBirth | Dropped {
  if (year < 1900 || year > currentYear() || !isRealDate(year, month, day)) {
    return drop('date_out_of_range');
  }
  return { ok: true, year: String(year), month: pad(month), day: pad(day) };
}

function isRealDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** DOBY: a four-digit year from 1900 to this year. */
export function normalizeBirthYear(text: string): Normalized {
  const year = Number(text);
  if (!FOUR_DIGITS.test(text) || year < 1900 || year > currentYear()) return drop('invalid_year');
  return { ok: true, value: text };
}

/** DOBM: 1-12 or an English month name or abbreviation, as two digits (`january` -> `01`). */
export function normalizeBirthMonth(text: string): Normalized {
  const month = ONE_OR_TWO_DIGITS.test(text) ? Number(text) : monthOfName(text.toLowerCase());
  if (month === undefined || month < 1 || month > 12) return drop('invalid_month');
  return { ok: true, value: pad(month) };
}

const DAY_WITH_ORDINAL = /^(\d{1,2})(?:st|nd|rd|th)?$/i;

/** DOBD: 1-31 as two digits (`5` -> `05`, `5th` -> `05`). */
export function normalizeBirthDay(text: string): Normalized {
  const match = DAY_WITH_ORDINAL.exec(text);
  const day = match ? Number(match[1]) : 0;
  if (day < 1 || day > 31) return drop('invalid_day');
  return { ok: true, value: pad(day) };
}

const MONTHS = [
  'january', 'february', 'march', 'april', 'may', 'june',
  'july', 'august', 'september', 'october', 'november', 'december',
];
const MONTHS_BY_NAME = new Map<string, number>([
  ...MONTHS.map((name, index): [string, number] => [name, index + 1]),
  ...MONTHS.map((name, index): [string, number] => [name.slice(0, 3), index + 1]),
  ['sept', 9],
]);

function monthOfName(name: string): number | undefined {
  return MONTHS_BY_NAME.get(name);
}

function pad(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

let thisYear = 0;
let thisYearEndsAt = 0;

// Read the clock once a year, not once a row: a run may cross New Year, a row never needs to.
function currentYear(): number {
  const now = Date.now();
  if (now >= thisYearEndsAt) {
    thisYear = new Date(now).getUTCFullYear();
    thisYearEndsAt = Date.UTC(thisYear + 1, 0, 1);
  }
  return thisYear;
}
