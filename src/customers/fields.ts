/**
 * The customer profile's own columns. Anything else a file carries is kept in
 * `attributes` and addressed as `attributes.<name>` by mappings and rules.
 */
export const CUSTOMER_FIELDS = [
  'external_id',
  'email',
  'first_name',
  'last_name',
  'phone',
  'location',
  'city',
  'state',
  'zip',
  'country',
  'date_of_birth',
  'gender',
  'registered_at',
  'student_id',
  'student_level',
  'madid',
  'app_user_id',
] as const;

export type CustomerField = (typeof CUSTOMER_FIELDS)[number];

/** Fields an import may upsert on: each identifies one profile. */
export const CUSTOMER_KEY_FIELDS = ['external_id', 'email', 'student_id', 'phone'] as const;
export type CustomerKeyField = (typeof CUSTOMER_KEY_FIELDS)[number];

export const ATTRIBUTE_PREFIX = 'attributes.';

export function isCustomerField(name: string): name is CustomerField {
  return (CUSTOMER_FIELDS as readonly string[]).includes(name);
}

/** A mapping source or rule field: a profile column or `attributes.<name>`. */
export function isSourceField(name: string): boolean {
  return isCustomerField(name) || (name.startsWith(ATTRIBUTE_PREFIX) && name.length > ATTRIBUTE_PREFIX.length);
}

export function isCustomerKeyField(name: string): name is CustomerKeyField {
  return (CUSTOMER_KEY_FIELDS as readonly string[]).includes(name);
}

/**
 * The unique key a profile is upserted on: the key field's value trimmed, and
 * lowercased for email so that one address is one profile however it is cased.
 * Undefined when the value is empty. Example: makeCustomerKey('email', ' A@x.io ') === 'a@x.io'.
 */
export function makeCustomerKey(
  field: CustomerKeyField,
  value: string | null | undefined,
): string | undefined {
  const trimmed = value?.trim() ?? '';
  if (trimmed === '') return undefined;
  return field === 'email' ? trimmed.toLowerCase() : trimmed;
}

/**
 * Fields behind a database index (the key, email): a btree entry holds about 8 KB,
 * so a longer value would fail its whole batch. No real id or address comes close.
 */
export const MAX_INDEXED_VALUE_LENGTH = 1000;
const INDEXED_FIELDS: ReadonlySet<string> = new Set(['email', ...CUSTOMER_KEY_FIELDS]);

/** Why the value cannot be stored in that field, or null when it can. */
export function indexedValueProblem(field: string, value: string | null | undefined): string | null {
  if (!value || !INDEXED_FIELDS.has(field) || value.length <= MAX_INDEXED_VALUE_LENGTH) return null;
  return `holds more than ${MAX_INDEXED_VALUE_LENGTH.toLocaleString('en-US')} characters`;
}
