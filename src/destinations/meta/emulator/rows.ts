import { invalidParameterError } from './errors.ts';
import type { MemberRow } from './membership.ts';
import { isPlainObject } from './request.ts';

/**
 * Reads an upload's `payload` (meta-graph-api.md §3.10, §8 items 2–3). Problems with the
 * request as a whole (no schema, a row of the wrong length, over 10,000 rows) throw code 100;
 * a bad row only counts as an invalid entry and is not stored.
 */
export const MAX_ROWS_PER_REQUEST = 10_000;
export const MAX_INVALID_SAMPLES = 100;

type CellKind = 'hashed' | 'raw' | 'value' | 'option';

/** Schema names → the key a member row stores them under, and how their cells are checked. */
const KEY_RULES: Readonly<Record<string, { key: string; kind: CellKind }>> = {
  EMAIL: { key: 'EMAIL', kind: 'hashed' },
  EMAIL_SHA256: { key: 'EMAIL', kind: 'hashed' },
  PHONE: { key: 'PHONE', kind: 'hashed' },
  PHONE_SHA256: { key: 'PHONE', kind: 'hashed' },
  GEN: { key: 'GEN', kind: 'hashed' },
  DOBY: { key: 'DOBY', kind: 'hashed' },
  DOBM: { key: 'DOBM', kind: 'hashed' },
  DOBD: { key: 'DOBD', kind: 'hashed' },
  LN: { key: 'LN', kind: 'hashed' },
  FN: { key: 'FN', kind: 'hashed' },
  FI: { key: 'FI', kind: 'hashed' },
  CT: { key: 'CT', kind: 'hashed' },
  ST: { key: 'ST', kind: 'hashed' },
  ZIP: { key: 'ZIP', kind: 'hashed' },
  COUNTRY: { key: 'COUNTRY', kind: 'hashed' },
  MADID: { key: 'MADID', kind: 'raw' },
  MOBILE_ADVERTISER_ID: { key: 'MADID', kind: 'raw' },
  EXTERN_ID: { key: 'EXTERN_ID', kind: 'raw' },
  APPUID: { key: 'APPUID', kind: 'raw' },
  UID: { key: 'UID', kind: 'raw' },
  PAGEUID: { key: 'PAGEUID', kind: 'raw' },
  LOOKALIKE_VALUE: { key: 'LOOKALIKE_VALUE', kind: 'value' },
  DATA_PROCESSING_OPTIONS: { key: 'DATA_PROCESSING_OPTIONS', kind: 'option' },
  DATA_PROCESSING_OPTIONS_COUNTRY: { key: 'DATA_PROCESSING_OPTIONS_COUNTRY', kind: 'option' },
  DATA_PROCESSING_OPTIONS_STATE: { key: 'DATA_PROCESSING_OPTIONS_STATE', kind: 'option' },
};

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Meta's names for the two kinds of customer file; an audience keeps its first upload's kind. */
export type UploadKind = 'MULTI_HASHES' | 'HASHES_OR_USER_IDS';

export interface InvalidEntry {
  /** The offending cell as text, or the whole row as JSON when it holds no identifier. */
  value: string;
  /** The schema name of the offending cell, or ROW. */
  key: string;
}

export interface ParsedUpload {
  kind: UploadKind;
  /** The schema exactly as sent, for the same-schema rule of replace sessions. */
  schema: string[];
  /** Canonical keys in the order sent. */
  keys: string[];
  received: number;
  rows: MemberRow[];
  invalid: InvalidEntry[];
}

export function parseUpload(payload: unknown): ParsedUpload {
  if (payload === undefined) throw invalidParameterError('The parameter payload is required');
  if (!isPlainObject(payload)) {
    throw invalidParameterError('Param payload must be a JSON object with schema and data');
  }

  const { schema, kind } = readSchema(payload.schema);
  const rules = schema.map((name) => KEY_RULES[name] as KeyRule);
  const data = readData(payload.data);

  const rows: MemberRow[] = [];
  const invalid: InvalidEntry[] = [];
  data.forEach((entry, index) => {
    const cells = cellsOfEntry(entry, index, rules.length);
    const outcome = readRow(cells, rules, schema);
    if ('row' in outcome) rows.push(outcome.row);
    else invalid.push(outcome.invalid);
  });

  const keys = rules.map((rule) => rule.key);
  return { kind, schema, keys, received: data.length, rows, invalid };
}

function readSchema(value: unknown): { schema: string[]; kind: UploadKind } {
  const kind: UploadKind = Array.isArray(value) ? 'MULTI_HASHES' : 'HASHES_OR_USER_IDS';
  const schema = typeof value === 'string' ? [value] : value;
  const names = Array.isArray(schema) && schema.every((name) => typeof name === 'string');
  if (!names || schema.length === 0) {
    throw invalidParameterError(
      'Param payload[schema] must be a key name or a non-empty array of key names',
    );
  }

  const seen = new Set<string>();
  for (const name of schema as string[]) {
    const rule = KEY_RULES[name];
    if (!rule) {
      throw invalidParameterError(
        `Param payload[schema] holds the unknown key ${JSON.stringify(name)}; ` +
          `use one of ${Object.keys(KEY_RULES).join(', ')}`,
      );
    }
    if (seen.has(rule.key)) {
      throw invalidParameterError(`Param payload[schema] names ${rule.key} twice`);
    }
    seen.add(rule.key);
  }
  return { schema: schema as string[], kind };
}

function readData(value: unknown): unknown[] {
  if (!Array.isArray(value)) {
    throw invalidParameterError('Param payload[data] must be an array of rows');
  }
  if (value.length > MAX_ROWS_PER_REQUEST) {
    throw invalidParameterError(
      `Param payload[data] has ${value.length} rows; ` +
        `send at most ${MAX_ROWS_PER_REQUEST} per request`,
    );
  }
  return value;
}

/** A single-key schema may send flat values or one-element rows; Meta's docs show both. */
function cellsOfEntry(entry: unknown, index: number, width: number): unknown[] {
  if (!Array.isArray(entry)) {
    if (width === 1) return [entry];
    throw invalidParameterError(
      `Row ${index} of payload[data] must be an array of ${width} values`,
    );
  }
  if (entry.length !== width) {
    throw invalidParameterError(
      `Row ${index} of payload[data] has ${entry.length} values but the schema has ${width} keys`,
    );
  }
  return entry;
}

type RowOutcome = { row: MemberRow } | { invalid: InvalidEntry };

type KeyRule = { key: string; kind: CellKind };

function readRow(cells: unknown[], rules: KeyRule[], schema: string[]): RowOutcome {
  const row: Record<string, string> = {};
  let identifiers = 0;
  for (let column = 0; column < cells.length; column++) {
    const rule = rules[column] as KeyRule;
    const cell = readCell(cells[column], rule.kind);
    if (cell === null) {
      return { invalid: { value: describe(cells[column]), key: schema[column] as string } };
    }
    if (cell === '') continue;
    row[rule.key] = cell;
    if (rule.kind === 'hashed' || rule.kind === 'raw') identifiers += 1;
  }
  if (identifiers === 0) return { invalid: { value: JSON.stringify(cells), key: 'ROW' } };
  return { row };
}

/** The stored text of a cell, '' when empty, or null when the cell makes the row invalid. */
function readCell(cell: unknown, kind: CellKind): string | null {
  if (cell === '' || cell === null || cell === undefined) return '';
  switch (kind) {
    case 'hashed':
      return typeof cell === 'string' && SHA256_HEX.test(cell) ? cell : null;
    case 'raw':
      if (typeof cell === 'string') return cell;
      return typeof cell === 'number' && Number.isFinite(cell) ? String(cell) : null;
    case 'value': {
      const number = typeof cell === 'string' ? Number(cell) : cell;
      const valid = typeof number === 'number' && Number.isFinite(number) && number >= 0;
      return valid ? String(cell) : null;
    }
    case 'option':
      return JSON.stringify(cell);
  }
}

function describe(cell: unknown): string {
  return typeof cell === 'string' ? cell : JSON.stringify(cell) ?? String(cell);
}

/** At most 100 samples from this request, as Meta promises. */
export function sampleInvalid(invalid: readonly InvalidEntry[]): InvalidEntry[] {
  return invalid.slice(0, MAX_INVALID_SAMPLES);
}
