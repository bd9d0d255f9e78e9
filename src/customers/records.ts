import { z } from 'zod';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { parseDate } from './dates.ts';
import {
  ATTRIBUTE_PREFIX,
  CUSTOMER_FIELDS,
  CUSTOMER_KEY_FIELDS,
  isCustomerKeyField,
  indexedValueProblem,
  makeCustomerKey,
  type CustomerKeyField,
} from './fields.ts';
import { upsertCustomers, type CustomerInput, type UpsertCounts } from './upsert.ts';

export interface RecordsUpsertResult extends UpsertCounts {
  /** Records not written, by their position in the input, with a reason that quotes no value. */
  rejected: Array<{ index: number; reason: string }>;
}

// Numbers and booleans are kept as their text; a blank string means no value.
const Value = z
  .union([z.string(), z.number(), z.boolean(), z.null()], {
    error: 'must be a string, a number, a boolean or null',
  })
  .transform((value) => (value === null || String(value).trim() === '' ? null : String(value)))
  .refine((value) => !value?.includes('\u0000'), 'holds a NUL character, which cannot be stored');

const AttributeName = z
  .string()
  .regex(/^[a-z0-9_]{1,63}$/, 'must be lowercase letters, digits and _');

/**
 * One profile as the JSON API takes it: customer fields at the top level,
 * other values under `attributes` (or as flat `attributes.<name>` keys).
 * Example: { "external_id": "c-1", "email": "a@example.com", "attributes": { "plan": "gold" } }.
 */
export const CustomerRecord = z.strictObject({
  ...Object.fromEntries(CUSTOMER_FIELDS.map((field) => [field, Value.optional()])),
  attributes: z
    .record(AttributeName, Value, { error: 'must be an object of names to values' })
    .optional(),
});

/**
 * Upserts profiles given as JSON objects, with the same statement as CSV
 * imports and in one transaction: a field a record leaves out is left alone, a
 * null clears it. registered_at is an ISO 8601 date or timestamp. Bad records
 * are rejected one by one; the others are written.
 */
export async function upsertCustomerRecords(
  db: Db,
  records: ReadonlyArray<Record<string, unknown>>,
  options: { key: CustomerKeyField },
): Promise<RecordsUpsertResult> {
  if (!isCustomerKeyField(options.key)) {
    const message = `The key must be one of ${CUSTOMER_KEY_FIELDS.join(', ')}.`;
    throw new AppError('invalid_input', message, { field: 'key' });
  }

  const inputs: CustomerInput[] = [];
  const rejected: RecordsUpsertResult['rejected'] = [];
  records.forEach((record, index) => {
    const parsed = readRecord(record, options.key);
    if ('input' in parsed) inputs.push(parsed.input);
    else rejected.push({ index, reason: parsed.reason });
  });

  const counts = await db.transaction().execute((trx) => upsertCustomers(trx, inputs));
  return { ...counts, rejected };
}

function readRecord(
  record: unknown,
  key: CustomerKeyField,
): { input: CustomerInput } | { reason: string } {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    return { reason: 'Record is not a JSON object' };
  }

  const parsed = CustomerRecord.safeParse(gatherFlatAttributes(record as Record<string, unknown>));
  if (!parsed.success) return { reason: describeIssue(parsed.error.issues[0]!) };

  const { attributes, ...fields } = parsed.data as Record<string, string | null | undefined> & {
    attributes?: Record<string, string | null>;
  };
  const customerKey = makeCustomerKey(key, fields[key]);
  if (customerKey === undefined) return { reason: `Field ${key} (the key) is missing or empty` };
  for (const [field, value] of Object.entries(fields)) {
    const problem = indexedValueProblem(field, value);
    if (problem) return { reason: `Field ${field} ${problem}` };
  }

  if (fields.registered_at) {
    const timestamp = parseDate(fields.registered_at, 'YYYY-MM-DD');
    if (timestamp === undefined) {
      const reason = 'Field registered_at is not an ISO 8601 date (YYYY-MM-DD, optionally with a time)';
      return { reason };
    }
    fields.registered_at = timestamp;
  }
  const present = Object.fromEntries(
    Object.entries(fields).filter(([, value]) => value !== undefined),
  );
  return { input: { key: customerKey, fields: present, attributes } };
}

function gatherFlatAttributes(record: Record<string, unknown>): Record<string, unknown> {
  const flat = Object.keys(record).filter((name) => name.startsWith(ATTRIBUTE_PREFIX));
  if (flat.length === 0) return record;

  const nested = record.attributes ?? {};
  if (typeof nested !== 'object' || Array.isArray(nested)) return record;

  const result: Record<string, unknown> = { ...record };
  const attributes: Record<string, unknown> = { ...nested };
  for (const name of flat) {
    attributes[name.slice(ATTRIBUTE_PREFIX.length)] = record[name];
    delete result[name];
  }
  result.attributes = attributes;
  return result;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    return (
      `Unknown field ${issue.keys.map((name) => `"${name}"`).join(', ')}: ` +
      'use a customer field or put the value under attributes'
    );
  }
  if (issue.code === 'invalid_key') {
    return `Attribute name "${String(issue.path.at(-1))}" must be lowercase letters, digits and _`;
  }
  const path = issue.path.map(String).join('.');
  return path ? `Field ${path} ${issue.message}` : `Record ${issue.message}`;
}
