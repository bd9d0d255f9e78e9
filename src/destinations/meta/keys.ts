/**
 * Meta's multi-key schema names (meta-graph-api.md §4) and the mapping rows a
 * sync can use. DOB is one mapping row that Meta receives as three columns.
 */
export const MAPPING_DESTINATIONS = [
  'EMAIL',
  'PHONE',
  'MADID',
  'APPUID',
  'FN',
  'LN',
  'FI',
  'CT',
  'ST',
  'ZIP',
  'COUNTRY',
  'DOB',
  'GEN',
  'EXTERN_ID',
] as const;

export type MappingDestination = (typeof MAPPING_DESTINATIONS)[number];

/** The guide's four default rows, always shown first in the wizard. */
export const DEFAULT_MAPPING_DESTINATIONS: MappingDestination[] = ['EMAIL', 'PHONE', 'MADID', 'APPUID'];

export const SCHEMA_KEYS = [
  'EMAIL', 'PHONE', 'MADID', 'APPUID', 'FN', 'LN', 'FI', 'CT', 'ST', 'ZIP', 'COUNTRY',
  'DOBY', 'DOBM', 'DOBD', 'GEN', 'EXTERN_ID',
] as const;

export type SchemaKey = (typeof SCHEMA_KEYS)[number];

/** Keys Meta requires hashed; MADID, APPUID and EXTERN_ID travel as they are. */
export const HASHED_KEYS: ReadonlySet<SchemaKey> = new Set<SchemaKey>([
  'EMAIL', 'PHONE', 'FN', 'LN', 'FI', 'CT', 'ST', 'ZIP', 'COUNTRY', 'DOBY', 'DOBM', 'DOBD', 'GEN',
]);

/** Keys that identify a person by themselves; a row needs at least one to be worth sending. */
export const IDENTIFYING_KEYS: ReadonlySet<SchemaKey> = new Set<SchemaKey>([
  'EMAIL', 'PHONE', 'MADID', 'APPUID', 'EXTERN_ID',
]);

export function schemaKeysOf(destination: MappingDestination): SchemaKey[] {
  return destination === 'DOB' ? ['DOBY', 'DOBM', 'DOBD'] : [destination];
}
