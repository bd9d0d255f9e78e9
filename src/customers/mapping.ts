import { z } from 'zod';
import { AppError } from '../errors.ts';
import {
  ATTRIBUTE_PREFIX,
  CUSTOMER_FIELDS,
  isCustomerField,
  type CustomerField,
} from './fields.ts';

/** An attribute name: lowercase snake case, as suggestions produce them. */
const ATTRIBUTE_NAME = /^[a-z0-9_]{1,63}$/;

/** Where one CSV column goes: a customer field, `attributes.<snake_name>`, or null to ignore it. */
export const ColumnTarget = z.string().refine(isColumnTarget, {
  error: (issue) => unknownTargetMessage(String(issue.input)),
});
export type ColumnTarget = z.infer<typeof ColumnTarget>;

/**
 * Per-column choices keyed by the header text; columns left out get the
 * suggestion. Example: { "Phone 2": "phone", "Index": null }.
 */
export const ColumnMapping = z.record(z.string().min(1), ColumnTarget.nullable());
export type ColumnMapping = z.infer<typeof ColumnMapping>;

/** One column of a file and where its values go; target null means ignored. */
export interface MappedColumn {
  index: number;
  header: string;
  target: string | null;
}

export function isColumnTarget(target: string): boolean {
  if (isCustomerField(target)) return true;
  if (!target.startsWith(ATTRIBUTE_PREFIX)) return false;
  return ATTRIBUTE_NAME.test(target.slice(ATTRIBUTE_PREFIX.length));
}

function unknownTargetMessage(target: string): string {
  return (
    `"${target}" is not a customer field. ` +
    `Map the column to one of ${CUSTOMER_FIELDS.join(', ')}, ` +
    'or to attributes.<name> (lowercase letters, digits and _), or ignore it.'
  );
}

/** Lowercase snake case of a header; a parenthesised hint such as "(DD-MM-YYYY)" is dropped. */
export function toSnakeCase(header: string): string {
  return header
    .replace(/\([^)]*\)/g, ' ')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 63);
}

// Header names (in snake case) that exported CRM files use for each field.
const FIELD_ALIASES: Record<CustomerField, readonly string[]> = {
  external_id: ['customer_id', 'user_id', 'client_id', 'contact_id', 'customerid', 'userid'],
  email: ['e_mail', 'email_address', 'mail'],
  first_name: ['firstname', 'given_name', 'forename'],
  last_name: ['lastname', 'surname', 'family_name'],
  phone: ['phone_1', 'phone1', 'phone_number', 'telephone', 'tel', 'mobile', 'mobile_phone'],
  location: ['address', 'street_address'],
  city: ['town'],
  state: ['province', 'region', 'state_province'],
  zip: ['zip_code', 'zipcode', 'postal_code', 'postcode'],
  country: ['country_code', 'country_name'],
  date_of_birth: ['dob', 'birth_date', 'birthdate', 'birthday'],
  gender: ['sex'],
  registered_at: ['subscription_date', 'signup_date', 'sign_up_date', 'registration_date'],
  student_id: [],
  student_level: [],
  madid: ['mobile_advertiser_id', 'advertising_id', 'idfa', 'gaid'],
  app_user_id: ['app_scoped_id', 'app_scoped_user_id'],
};

const FIELD_BY_ALIAS = new Map<string, CustomerField>(
  CUSTOMER_FIELDS.flatMap((field) =>
    [field, ...FIELD_ALIASES[field]].map((alias) => [alias, field] as const),
  ),
);

/**
 * The field a header most likely holds, else `attributes.<snake_case>`.
 * Example: "First Name" -> first_name, "Phone 2" -> attributes.phone_2.
 */
export function suggestColumnTarget(header: string, position: number): string {
  const snake = toSnakeCase(header);
  return FIELD_BY_ALIAS.get(snake) ?? `${ATTRIBUTE_PREFIX}${snake || `column_${position}`}`;
}

/**
 * Decides where every column of a header goes: the caller's choice where given,
 * the suggestion elsewhere. A suggestion never takes a field twice: a second
 * "Email"-like column becomes an attribute. Throws invalid_input AppErrors for a
 * mapping that names a missing column or sends two columns to one place.
 */
export function resolveColumns(
  headers: readonly string[],
  mapping: ColumnMapping = {},
): MappedColumn[] {
  const names = headers.map((header, i) => header.trim() || `column_${i + 1}`);
  assertUniqueHeaders(names);
  const chosen = parseMapping(mapping);
  const byHeader = matchMappingToHeaders(names, chosen);

  const taken = new Set<string>(
    [...byHeader.values()].filter((target): target is string => target !== null),
  );
  const columns = names.map((header, index) => {
    if (byHeader.has(index)) return { index, header, target: byHeader.get(index) ?? null };
    return { index, header, target: suggestFreeTarget(header, index + 1, taken) };
  });

  assertNoSharedTargets(columns);
  return columns;
}

function parseMapping(mapping: unknown): ColumnMapping {
  const parsed = ColumnMapping.safeParse(mapping);
  if (parsed.success) return parsed.data;

  const issue = parsed.error.issues[0]!;
  const column = issue.path.length > 0 ? `The mapping of column "${String(issue.path[0])}": ` : '';
  throw new AppError('invalid_input', `${column}${issue.message}`, { field: 'mapping' });
}

function matchMappingToHeaders(
  names: string[],
  mapping: ColumnMapping,
): Map<number, string | null> {
  const result = new Map<number, string | null>();
  for (const [header, target] of Object.entries(mapping)) {
    const wanted = header.trim();
    let index = names.indexOf(wanted);
    if (index < 0) {
      const lower = wanted.toLowerCase();
      const loose = names.flatMap((name, i) => (name.toLowerCase() === lower ? [i] : []));
      if (loose.length === 1) index = loose[0]!;
    }
    if (index < 0) {
      throw new AppError(
        'invalid_input',
        `The mapping names column "${wanted}", which the file's header does not have. ` +
          `The header has: ${names.map((name) => `"${name}"`).join(', ')}.`,
        { field: 'mapping' },
      );
    }
    result.set(index, target);
  }
  return result;
}

function suggestFreeTarget(header: string, position: number, taken: Set<string>): string {
  let target = suggestColumnTarget(header, position);
  if (taken.has(target) && isCustomerField(target)) {
    target = `${ATTRIBUTE_PREFIX}${toSnakeCase(header) || `column_${position}`}`;
  }
  const base = target;
  for (let n = 2; taken.has(target); n += 1) target = `${base}_${n}`;
  taken.add(target);
  return target;
}

function assertUniqueHeaders(names: string[]): void {
  const seen = new Map<string, number>();
  names.forEach((name, i) => {
    const first = seen.get(name);
    if (first !== undefined) {
      throw new AppError(
        'invalid_input',
        `The header names column "${name}" twice (columns ${first + 1} and ${i + 1}). ` +
          'Rename one of them in the file so that each column can be mapped.',
        { field: 'file' },
      );
    }
    seen.set(name, i);
  });
}

function assertNoSharedTargets(columns: MappedColumn[]): void {
  const seen = new Map<string, string>();
  for (const { header, target } of columns) {
    if (target === null) continue;
    const other = seen.get(target);
    if (other !== undefined) {
      throw new AppError(
        'invalid_input',
        `Columns "${other}" and "${header}" both map to ${target}. ` +
          'Map one of them elsewhere or ignore it.',
        { field: 'mapping' },
      );
    }
    seen.set(target, header);
  }
}

/** The mapping as stored with an import: header -> target, ignored columns left out. */
export function describeMapping(columns: readonly MappedColumn[]): Record<string, string> {
  return Object.fromEntries(
    columns.flatMap(({ header, target }) => (target === null ? [] : [[header, target]])),
  );
}
