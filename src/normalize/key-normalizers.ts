import { HASHED_KEYS, type SchemaKey } from '../destinations/meta/keys.ts';
import { normalizeCity, normalizeState, normalizeZip } from './address.ts';
import { normalizeBirthDay, normalizeBirthMonth, normalizeBirthYear } from './birth-date.ts';
import { normalizeCountry } from './country.ts';
import {
  normalizeAppUserId,
  normalizeEmail,
  normalizeExternalId,
  normalizeMobileAdvertiserId,
} from './identifiers.ts';
import { normalizeFirstInitial, normalizeGender, normalizeName } from './person.ts';
import { normalizePhone } from './phone.ts';
import { drop, EMPTY, type Normalized } from './result.ts';
import { isSha256Hex, toText } from './text.ts';

/** What a normalizer may know about the row besides the value itself. */
export interface NormalizeContext {
  /** The row's country as lowercase ISO alpha-2 (else the sync's default), or null. */
  country: string | null;
  /** The sync's default country: PHONE falls back to it when `country` has no numbering plan. */
  defaultCountry?: string | null;
}

/** Reads trimmed, NFC, non-empty text; returns the value to send (before hashing) or a reason. */
export type KeyNormalizer = (text: string, context: NormalizeContext) => Normalized;

const NO_CONTEXT: NormalizeContext = Object.freeze({ country: null });

export const KEY_NORMALIZERS: Readonly<Record<SchemaKey, KeyNormalizer>> = {
  EMAIL: normalizeEmail,
  PHONE: (text, context) => normalizePhone(text, context.country, context.defaultCountry ?? null),
  MADID: normalizeMobileAdvertiserId,
  APPUID: normalizeAppUserId,
  FN: normalizeName,
  LN: normalizeName,
  FI: normalizeFirstInitial,
  CT: normalizeCity,
  ST: (text, context) => normalizeState(text, context.country),
  ZIP: (text, context) => normalizeZip(text, context.country),
  COUNTRY: normalizeCountry,
  DOBY: normalizeBirthYear,
  DOBM: normalizeBirthMonth,
  DOBD: normalizeBirthDay,
  GEN: normalizeGender,
  EXTERN_ID: normalizeExternalId,
};

/**
 * One value for one schema key, before hashing. A hashed key's value that is
 * already 64 hex characters is passed through lowercased, marked prehashed.
 * @example normalizeKey('EMAIL', ' Mary@Example.com ') // { ok: true, value: 'mary@example.com' }
 */
export function normalizeKey(
  key: SchemaKey,
  value: unknown,
  context: NormalizeContext = NO_CONTEXT,
): Normalized {
  const text = toText(value);
  if (text === null) return drop('unsupported_value');
  if (text === '') return EMPTY;

  if (HASHED_KEYS.has(key) && isSha256Hex(text)) {
    return { ok: true, value: text.toLowerCase(), prehashed: true };
  }
  return KEY_NORMALIZERS[key](text, context);
}
