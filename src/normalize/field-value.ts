import { HASHED_KEYS, SCHEMA_KEYS, type SchemaKey } from '../destinations/meta/keys.ts';
import { parseDateOfBirth } from './birth-date.ts';
import { normalizeKey, type NormalizeContext } from './key-normalizers.ts';
import { UNVERIFIED, type Normalized } from './result.ts';
import { sha256Hex } from './text.ts';

/**
 * One value as a sync would send it, for people checking their data: what it
 * normalizes to, its SHA-256 (null for keys Meta takes unhashed), or why it is
 * dropped. `reason` is `unverified` on a phone that is kept but in no assigned
 * range; `normalized` is null exactly when the value is dropped.
 */
export interface NormalizedField {
  field: string;
  input: unknown;
  normalized: string | null;
  sha256: string | null;
  reason: string | null;
}

/**
 * Normalizes one value for a mapping destination or schema key, named in any
 * case (`email`, `DOBY`). DOB gives three results: DOBY, DOBM, DOBD.
 * @example normalizeField('PHONE', '+1 (650) 555-1212', { country: null })
 * // [{ field: 'PHONE', normalized: '16505551212', sha256: 'e323ec62...', reason: null, ... }]
 */
export function normalizeField(
  field: string,
  value: unknown,
  context: NormalizeContext,
): NormalizedField[] {
  const name = field.trim().toUpperCase();

  if (name === 'DOB') return dateOfBirthFields(value);
  if (!isSchemaKey(name)) return [dropped(field, value, 'unknown_field')];
  return [describe(name, value, normalizeKey(name, value, context))];
}

function describe(key: SchemaKey, input: unknown, result: Normalized): NormalizedField {
  if (!result.ok) return dropped(key, input, result.reason);

  let sha256: string | null = null;
  if (HASHED_KEYS.has(key)) sha256 = result.prehashed ? result.value : sha256Hex(result.value);
  const reason = result.unverified ? UNVERIFIED : null;
  return { field: key, input, normalized: result.value, sha256, reason };
}

const DATE_PARTS = [['DOBY', 'year'], ['DOBM', 'month'], ['DOBD', 'day']] as const;

function dateOfBirthFields(input: unknown): NormalizedField[] {
  const blank = typeof input === 'string' && input.trim() === '';
  const date = input === null || input === undefined || blank ? null : parseDateOfBirth(input);

  return DATE_PARTS.map(([key, part]) => {
    if (date === null) return dropped(key, input, 'empty');
    if (!date.ok) return dropped(key, input, date.reason);
    const value = date[part];
    return { field: key, input, normalized: value, sha256: sha256Hex(value), reason: null };
  });
}

function dropped(field: string, input: unknown, reason: string): NormalizedField {
  return { field, input, normalized: null, sha256: null, reason };
}

function isSchemaKey(name: string): name is SchemaKey {
  return (SCHEMA_KEYS as readonly string[]).includes(name);
}
