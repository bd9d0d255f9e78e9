import { drop, type Normalized } from './result.ts';
import { US_STATE_CODES } from './us-states.ts';

// Letters of any script plus the combining marks some scripts need (Devanagari vowel signs).
const NOT_LETTERS = /[^\p{L}\p{M}]+/gu;

/** CT: lowercase letters only, any script (`San José` -> `sanjosé`, `New York` -> `newyork`). */
export function normalizeCity(text: string): Normalized {
  const city = text.toLowerCase().replace(NOT_LETTERS, '');
  return city === '' ? drop('no_letters') : { ok: true, value: city };
}

/**
 * ST: a US state name becomes its two-letter code (`North Carolina` -> `nc`);
 * anything else is lowercase letters only (`British Columbia` -> `britishcolumbia`).
 * Names are mapped when the row's country is the US or unknown, so a
 * Georgian region is not mistaken for the state of Georgia.
 */
export function normalizeState(text: string, country: string | null): Normalized {
  const state = text.toLowerCase().replace(NOT_LETTERS, '');
  if (state === '') return drop('no_letters');

  const code = country === null || country === 'us' ? US_STATE_CODES[state] : undefined;
  return { ok: true, value: code ?? state };
}

const WHITESPACE = /\s+/g;
const US_ZIP = /^(\d{5})(?:-?\d{4})?$/;
const US_ZIP_WITHOUT_LEADING_ZEROS = /^\d{3,4}$/;
const US_ZIP_PLUS_FOUR = /^(\d{5})-\d{4}$/;

/**
 * ZIP: whitespace removed, lowercase. In the US the first five digits
 * (`94035-1234` -> `94035`); a US code of 3 or 4 digits is one a spreadsheet
 * stripped of its leading zeros (`2134` -> `02134`, no US ZIP is shorter).
 * With no known country, only the unmistakable ZIP+4 shape is cut to five.
 *
 * Everywhere else the whole code is kept, lowercased. For the UK that means the
 * full postcode (`SW1A 1AA` -> `sw1a1aa`), not Meta's "area/district/sector"
 * (`sw1a1`): every implementation and vector we checked sends the full
 * postcode, and Meta's own example file could not be found to settle it.
 */
export function normalizeZip(text: string, country: string | null): Normalized {
  const zip = text.replace(WHITESPACE, '').toLowerCase();

  if (country === 'us') {
    const us = US_ZIP.exec(zip);
    if (us) return { ok: true, value: us[1]! };
    if (US_ZIP_WITHOUT_LEADING_ZEROS.test(zip)) return { ok: true, value: zip.padStart(5, '0') };
    return drop('invalid_zip');
  }

  if (country === null) {
    const plusFour = US_ZIP_PLUS_FOUR.exec(zip);
    if (plusFour) return { ok: true, value: plusFour[1]! };
  }
  return { ok: true, value: zip };
}
