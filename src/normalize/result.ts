/**
 * What a normalizer returns: the value to send, or the reason it was dropped.
 * Reasons are short stable snake_case codes: they are counted per run in the
 * quality figures, so renaming one is a breaking change.
 */
export type Normalized = Kept | Dropped;

export interface Kept {
  ok: true;
  value: string;
  /** Set on a phone of the right length in no assigned range: sent, but counted. */
  unverified?: boolean;
  /** Set when the input was already a SHA-256 hex digest and is sent as it is. */
  prehashed?: boolean;
}

export interface Dropped {
  ok: false;
  reason: DropReason;
}

export const DROP_REASONS = {
  empty: 'no value (not an error: the field is simply left empty)',
  unsupported_value: 'the value is neither text, a number nor a date',
  not_prehashed: 'PII hashing is off and the value is not a SHA-256 hex digest',
  control_character: 'the id holds a tab, a line break or another control character',
  invalid_email: 'not shaped like an email address',
  phone_not_a_number: 'no digits in the phone number',
  phone_no_country: 'a national number (leading 0) with no country to read it in',
  phone_unknown_country_code: 'the international number starts with no known country code',
  phone_wrong_length: 'too short or too long to be a number of its country',
  no_letters: 'nothing left once digits, punctuation and symbols are removed',
  invalid_zip: 'a US ZIP code without five digits',
  unknown_country: 'not a country name or ISO 3166-1 code we know',
  ambiguous_country: 'a name that could mean more than one country (Korea, Congo)',
  unknown_gender: 'not m, male, f or female',
  invalid_date: 'not a date in a format we read',
  ambiguous_date: 'day and month could be swapped (03/04/1990) and the format does not say which',
  date_out_of_range: 'year before 1900 or after the current year, or no such day',
  invalid_year: 'not a four-digit year from 1900 to the current year',
  invalid_month: 'not a month number 1-12 or an English month name',
  invalid_day: 'not a day number 1-31',
  invalid_app_user_id: 'an app-scoped user id is digits only',
  unknown_field: 'not a mapping destination or Meta schema key',
} as const;

export type DropReason = keyof typeof DROP_REASONS;

/** A phone that is kept but in no assigned number range: an issue, not a drop. */
export const UNVERIFIED = 'unverified';

// One frozen object per reason: failures are common on messy data and need no allocation.
const DROPPED = new Map<DropReason, Dropped>();
for (const reason of Object.keys(DROP_REASONS) as DropReason[]) {
  DROPPED.set(reason, Object.freeze({ ok: false, reason }));
}

export function drop(reason: DropReason): Dropped {
  return DROPPED.get(reason)!;
}

export const EMPTY: Dropped = drop('empty');
