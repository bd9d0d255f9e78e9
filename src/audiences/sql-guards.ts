import { sql, type RawBuilder } from 'kysely';
import { DATE_OR_DATETIME_PATTERN, DATE_PATTERN, ZONE_SUFFIX_PATTERN } from './rule-dates.ts';

/**
 * SQL pieces that read customer text safely. Customer values come from messy files, so a
 * cast must never throw: each one is guarded by a pattern, and a value that is not a
 * number or a date yields NULL, which a comparison then treats as "does not match".
 * Everything spliced in literally here is a constant of this file, never user input.
 */
export type SqlPart = RawBuilder<unknown>;

// Spaces, tabs and line breaks: what a CSV cell or a marketer's typing leaves around a value.
const TRIM_CHARS = sql.raw(`E' \\t\\r\\n'`);

// At most 100 digits a side and a three-digit exponent: numeric's range holds any such value.
const NUMBER_PATTERN =
  '^[+-]?([0-9]{1,100}([.][0-9]{0,100})?|[.][0-9]{1,100})([eE][+-]?[0-9]{1,3})?$';

export function trimmed(value: SqlPart): SqlPart {
  return sql`btrim(${value}, ${TRIM_CHARS})`;
}

/** The form text comparisons use: trimmed and lowercased, on both sides of the comparison. */
export function folded(value: SqlPart): SqlPart {
  return sql`lower(${trimmed(value)})`;
}

/** A bound text parameter. */
export function textParam(value: string | number | boolean): SqlPart {
  return sql`cast(${String(value)} as text)`;
}

/** The value as numeric, or NULL when it is not a plain decimal number ("1,000", "n/a"). */
export function guardedNumber(value: SqlPart): SqlPart {
  const text = trimmed(value);
  return sql`(case when ${text} ~ ${sql.lit(NUMBER_PATTERN)} then cast(${text} as numeric) end)`;
}

/**
 * The value as timestamptz, or NULL when it is not an ISO date or datetime of a real day.
 * The pattern lets 2021-02-30 through, so the day is checked against its month's length
 * before the cast; the nested CASE keeps that check from running on text that failed it.
 */
export function guardedTimestamp(value: SqlPart): SqlPart {
  const text = trimmed(value);
  const year = sql`cast(substr(${text}, 1, 4) as integer)`;
  const month = sql`cast(substr(${text}, 6, 2) as integer)`;
  const day = sql`cast(substr(${text}, 9, 2) as integer)`;
  const firstOfMonth = sql`make_date(${year}, ${month}, 1)`;
  const lastDay = sql`extract(day from ${firstOfMonth} + interval '1 month - 1 day')`;
  const withZone = sql`(case
    when ${text} ~ ${sql.lit(DATE_PATTERN)} then ${text} || 'T00:00:00Z'
    when ${text} ~ ${sql.lit(ZONE_SUFFIX_PATTERN)} then ${text}
    else ${text} || 'Z' end)`;

  return sql`(case when ${text} ~ ${sql.lit(DATE_OR_DATETIME_PATTERN)} then
    case when ${day} <= ${lastDay} then cast(${withZone} as timestamptz) end end)`;
}
