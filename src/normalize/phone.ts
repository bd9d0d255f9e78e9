import { parseIncompletePhoneNumber } from 'libphonenumber-js/core';
import { drop, type Normalized } from './result.ts';
import {
  isPossible,
  isSupportedRegion,
  isValid,
  parseInRegion,
  parseInternational,
  startsWithIdd,
  type ParsedPhone,
} from './phone-numbering.ts';

/**
 * PHONE: E.164 digits without "+" (`+1 (650) 555-1212` -> `16505551212`).
 *
 * `region` is the row's country, `fallbackRegion` the sync's default, each ISO
 * alpha-2 in any case or null; the first that has a numbering plan is used
 * (Antarctica, say, has none). Decisions (PRODUCT.md):
 * - "+" wins over any region; `00` is an international prefix everywhere, with
 *   or without a region (`001-184-153-9683` in the US is +1 184...); the
 *   region's own IDD (`011` in the US, `0011` in Australia) works too.
 * - Digits with no "+" and no region are read as already international
 *   (`15559876543`); a leading 0 then means a national number whose country
 *   we do not know: dropped as `phone_no_country` rather than guessed.
 * - Extensions (`x4715`, `ext. 12`, `;ext=12`, `#12`) are removed.
 * - A number of the wrong length for its country is dropped; one of the right
 *   length in no assigned range is kept and marked unverified.
 */
export function normalizePhone(
  text: string,
  region: string | null,
  fallbackRegion: string | null = null,
): Normalized {
  const { digits, international } = digitsOf(withoutExtension(text));
  if (digits === '') return drop('phone_not_a_number');

  const parsed = parse(digits, international, regionOrNull(region) ?? regionOrNull(fallbackRegion));
  if (parsed === null) return drop('phone_no_country');
  if (!parsed.ok && parsed.error === 'INVALID_COUNTRY') return drop('phone_unknown_country_code');
  if (!parsed.ok) return drop('phone_wrong_length');

  if (!isPossible(parsed)) return drop('phone_wrong_length');

  const value = parsed.callingCode + parsed.nationalNumber;
  return isValid(parsed) ? { ok: true, value } : { ok: true, value, unverified: true };
}

function parse(digits: string, international: boolean, region: string | null): ParsedPhone | null {
  if (international) return parseInternational(digits);

  if (region) {
    if (digits.startsWith('00') && !startsWithIdd(digits, region)) {
      return parseInternational(digits.slice(2));
    }
    return parseInRegion(digits, region);
  }

  if (digits.startsWith('00')) return parseInternational(digits.slice(2));
  if (digits.startsWith('0')) return null;
  return parseInternational(digits);
}

const regionCache = new Map<string, string | null>();

function regionOrNull(region: string | null): string | null {
  if (!region) return null;

  let known = regionCache.get(region);
  if (known === undefined) {
    const upper = region.toUpperCase();
    known = isSupportedRegion(upper) ? upper : null;
    regionCache.set(region, known);
  }
  return known;
}

// An extension label then its digits, at the end: x4715, ext. 12, extension: 12, ;ext=12, #12, ,,12
const EXTENSION = /\s*(?:;\s*ext=|(?:extension|extn|ext|x|#|,+)\.?:?)\s*\d{1,20}\s*#?$/i;
const HAS_DIGIT = /\d/;

function withoutExtension(text: string): string {
  const match = EXTENSION.exec(text);
  if (!match) return text;

  const number = text.slice(0, match.index);
  // "#12" alone is not a number with an extension; leave it for the digit check.
  return HAS_DIGIT.test(number) ? number : text;
}

const NON_DIGITS = /\D+/g;
const ASCII_ONLY = /^[\x00-\x7f]*$/;

function digitsOf(text: string): { digits: string; international: boolean } {
  // Other scripts' digits (Arabic-Indic, full-width): the library's reader knows them all.
  const plain = ASCII_ONLY.test(text) ? text : parseIncompletePhoneNumber(text);

  const firstDigit = plain.search(HAS_DIGIT);
  const plus = plain.indexOf('+');
  return {
    digits: plain.replace(NON_DIGITS, ''),
    international: plus >= 0 && (firstDigit < 0 || plus < firstDigit),
  };
}
