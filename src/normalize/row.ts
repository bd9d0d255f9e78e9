import {
  HASHED_KEYS,
  IDENTIFYING_KEYS,
  MAPPING_DESTINATIONS,
  schemaKeysOf,
  type MappingDestination,
  type SchemaKey,
} from '../destinations/meta/keys.ts';
import { ATTRIBUTE_PREFIX, isSourceField } from '../customers/fields.ts';
import { parseDateOfBirth } from './birth-date.ts';
import { normalizeCountry } from './country.ts';
import { KEY_NORMALIZERS, type NormalizeContext } from './key-normalizers.ts';
import { UNVERIFIED, type DropReason } from './result.ts';
import { isSha256Hex, sha256Hex, toText } from './text.ts';

export interface MappingRow {
  source: string;
  destination: MappingDestination;
}

export interface RowBuilderOptions {
  mapping: MappingRow[];
  /** true: hashed keys are SHA-256'd here. false: only values already hashed are sent. */
  hashPii: boolean;
  /** ISO alpha-2 (or a country name) used when a customer's `country` gives none. */
  defaultCountry?: string | null;
}

export interface BuiltRow {
  /** Aligned with RowBuilder.schema; '' where the field is missing or was dropped. */
  cells: string[];
  /** Why the row is not worth sending, or null. See SKIP_REASONS. */
  skipReason: string | null;
  /** `KEY:reason` for each field dropped (`PHONE:phone_wrong_length`) or kept but unverified. */
  issues: string[];
}

export interface RowBuilder {
  schema: SchemaKey[];
  build(source: Record<string, unknown>): BuiltRow;
}

export const SKIP_REASONS = {
  no_identifier_missing: 'no identifier (email, phone, MADID, app user id, external id) is set',
  no_identifier_invalid: 'every identifier with a value was dropped as invalid or not pre-hashed',
} as const;

export type SkipReason = keyof typeof SKIP_REASONS;

/**
 * Builds the Meta rows of one sync: compiles the mapping once, then turns each
 * customer record (its columns plus `attributes`) into cells aligned with
 * `schema`, DOB expanded to DOBY, DOBM, DOBD. A field that fails is dropped
 * from its row, never failing the row; a row left with no identifier is skipped.
 * @example
 * const mapping = [{ source: 'email', destination: 'EMAIL' }];
 * makeRowBuilder({ mapping, hashPii: true }).build({ email: 'Mary@Example.com' }).cells
 * // ['f1904cf1...52bb79']
 */
export function makeRowBuilder(options: RowBuilderOptions): RowBuilder {
  assertMapping(options.mapping);
  const defaultCountry = defaultCountryOf(options.defaultCountry);

  const schema = options.mapping.flatMap((row) => schemaKeysOf(row.destination));
  const columns: Column[] = [];
  let cell = 0;
  for (const row of options.mapping) {
    columns.push(makeColumn(row, cell, options.hashPii));
    cell += schemaKeysOf(row.destination).length;
  }

  const identifierCells = schema.flatMap((key, at) => (IDENTIFYING_KEYS.has(key) ? [at] : []));
  const readsCountry = options.mapping.some((row) => COUNTRY_AWARE.has(row.destination));
  // One context reused by every row: build() is synchronous, so rows never share it at once.
  const context: NormalizeContext = { country: defaultCountry, defaultCountry };

  return {
    schema,
    build(source) {
      const cells = new Array<string>(schema.length).fill('');
      const issues: string[] = [];
      context.country = readsCountry ? rowCountry(source.country, defaultCountry) : defaultCountry;

      let identifierDropped = false;
      for (const column of columns) {
        const outcome = column.write(source, context, cells, issues);
        if (outcome === DROPPED && column.identifying) identifierDropped = true;
      }

      let skipReason: SkipReason | null = null;
      if (identifierCells.every((index) => cells[index] === '')) {
        skipReason = identifierDropped ? 'no_identifier_invalid' : 'no_identifier_missing';
      }
      return { cells, skipReason, issues };
    },
  };
}

const COUNTRY_AWARE: ReadonlySet<MappingDestination> = new Set(['PHONE', 'ST', 'ZIP']);

/** The customer's `country` column through the COUNTRY normalizer, else the sync's default. */
function rowCountry(value: unknown, defaultCountry: string | null): string | null {
  const text = toText(value);
  if (!text) return defaultCountry;

  const country = normalizeCountry(text);
  return country.ok ? country.value : defaultCountry;
}

const EMPTY = 0;
const KEPT = 1;
const DROPPED = 2;
type Outcome = typeof EMPTY | typeof KEPT | typeof DROPPED;

type Customer = Record<string, unknown>;

interface Column {
  identifying: boolean;
  write(source: Customer, context: NormalizeContext, cells: string[], issues: string[]): Outcome;
}

function makeColumn(row: MappingRow, cell: number, hashPii: boolean): Column {
  const read = makeReader(row.source);
  if (row.destination === 'DOB') return makeDateOfBirthColumn(read, cell, hashPii);

  const key: SchemaKey = row.destination;
  const normalize = KEY_NORMALIZERS[key];
  const hashed = HASHED_KEYS.has(key);
  const hash = FEW_VALUES.has(key) ? makeMemoizedHash() : sha256Hex;
  const issueOf = makeIssues(key);
  const unverified = `${key}:${UNVERIFIED}`;

  return {
    identifying: IDENTIFYING_KEYS.has(key),
    write(source, context, cells, issues) {
      const text = toText(read(source));
      if (text === '') return EMPTY;
      if (text === null) return dropped(issues, issueOf('unsupported_value'));

      if (hashed && isSha256Hex(text)) {
        cells[cell] = text.toLowerCase();
        return KEPT;
      }
      // Hashing off: plaintext PII never leaves, whatever the field.
      if (hashed && !hashPii) return dropped(issues, issueOf('not_prehashed'));

      const result = normalize(text, context);
      if (!result.ok) return dropped(issues, issueOf(result.reason));

      if (result.unverified) issues.push(unverified);
      cells[cell] = hashed ? hash(result.value) : result.value;
      return KEPT;
    },
  };
}

/**
 * DOB fills DOBY, DOBM, DOBD from one source value; a failure is one issue,
 * `DOB:reason`, not three. A pre-hashed date cannot be split into its three
 * columns, so with hashing off DOB is always dropped as not_prehashed.
 */
function makeDateOfBirthColumn(read: Reader, cell: number, hashPii: boolean): Column {
  const issueOf = makeIssues('DOB');
  const hash = makeMemoizedHash();

  return {
    identifying: false,
    write(source, _context, cells, issues) {
      const value = read(source);
      if (value === null || value === undefined) return EMPTY;
      if (typeof value === 'string' && value.trim() === '') return EMPTY;
      if (!hashPii) return dropped(issues, issueOf('not_prehashed'));

      const date = parseDateOfBirth(value);
      if (!date.ok) return dropped(issues, issueOf(date.reason));

      cells[cell] = hash(date.year);
      cells[cell + 1] = hash(date.month);
      cells[cell + 2] = hash(date.day);
      return KEPT;
    },
  };
}

// Keys with a few hundred values at most: hashing each once saves a third of the hashing.
const FEW_VALUES: ReadonlySet<SchemaKey> = new Set(['COUNTRY', 'GEN', 'FI', 'ST']);
const MEMO_LIMIT = 1_000;

function makeMemoizedHash(): (value: string) => string {
  const digests = new Map<string, string>();
  return (value) => {
    let digest = digests.get(value);
    if (digest === undefined) {
      digest = sha256Hex(value);
      // Bounded so an odd column (every row a different "state") keeps memory flat.
      if (digests.size >= MEMO_LIMIT) digests.clear();
      digests.set(value, digest);
    }
    return digest;
  };
}

function dropped(issues: string[], issue: string): Outcome {
  issues.push(issue);
  return DROPPED;
}

/** `KEY:reason` strings built once per column and reason, not once per row. */
function makeIssues(key: string): (reason: DropReason) => string {
  const issues = new Map<DropReason, string>();
  return (reason) => {
    let issue = issues.get(reason);
    if (issue === undefined) {
      issue = `${key}:${reason}`;
      issues.set(reason, issue);
    }
    return issue;
  };
}

type Reader = (source: Customer) => unknown;

/** A column name reads the record's own property; `attributes.x` reads attributes.x. */
function makeReader(field: string): Reader {
  if (!field.startsWith(ATTRIBUTE_PREFIX)) return (source) => source[field];

  const name = field.slice(ATTRIBUTE_PREFIX.length);
  return (source) => {
    const attributes = source.attributes;
    return typeof attributes === 'object' && attributes !== null
      ? (attributes as Record<string, unknown>)[name]
      : undefined;
  };
}

function assertMapping(mapping: MappingRow[]): void {
  const seen = new Set<string>();
  for (const row of mapping) {
    if (!(MAPPING_DESTINATIONS as readonly string[]).includes(row.destination)) {
      throw new Error(
        `Mapping destination "${row.destination}" is not a Meta field: ` +
          `use one of ${MAPPING_DESTINATIONS.join(', ')}.`,
      );
    }
    if (seen.has(row.destination)) {
      throw new Error(
        `Mapping destination ${row.destination} appears twice: map each Meta field once.`,
      );
    }
    seen.add(row.destination);

    if (!isSourceField(row.source)) {
      throw new Error(
        `Mapping source "${row.source}" for ${row.destination} is not a customer field: ` +
          'use a customer column (email, phone, ...) or attributes.<name>.',
      );
    }
  }

  if (!mapping.some((row) => IDENTIFYING_KEYS.has(row.destination as SchemaKey))) {
    throw new Error(
      'The mapping has no identifier, so Meta could match no one: map at least one of ' +
        `${[...IDENTIFYING_KEYS].join(', ')}.`,
    );
  }
}

function defaultCountryOf(value: string | null | undefined): string | null {
  if (value === null || value === undefined || value.trim() === '') return null;

  const country = normalizeCountry(value.trim());
  if (!country.ok) {
    throw new Error(
      `Default country "${value}" is not a country we know (${country.reason}): ` +
        'use an ISO 3166-1 alpha-2 code such as US or DE.',
    );
  }
  return country.value;
}
