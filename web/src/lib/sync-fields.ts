import { CUSTOMER_FIELDS } from '../../../src/customers/fields.ts';
import {
  DEFAULT_MAPPING_DESTINATIONS,
  MAPPING_DESTINATIONS,
  type MappingDestination,
} from '../../../src/destinations/meta/keys.ts';

export { DEFAULT_MAPPING_DESTINATIONS, MAPPING_DESTINATIONS, type MappingDestination };

/**
 * Limits the API enforces (src/syncs/inputs.ts); repeated here so the browser
 * bundle does not carry zod. web/tests/limits.test.ts keeps the two equal.
 */
export const SYNC_NAME_MAX = 50;
export const SYNC_DESCRIPTION_MAX = 50;
export const MIN_INTERVAL_MINUTES = 5;
export const MAX_INTERVAL_MINUTES = 60 * 24 * 30;
export const META_AUDIENCE_NAME_MAX = 200;

/** The Facebook destination fields as the guide names them. */
export const DESTINATION_LABELS: Record<MappingDestination, string> = {
  EMAIL: 'Email',
  PHONE: 'Phone Number',
  MADID: 'Mobile Advertiser ID (MADID)',
  APPUID: 'Facebook App Scoped ID (App UID)',
  FN: 'First Name (FN)',
  LN: 'Last Name (LN)',
  FI: 'First Initial (FI)',
  CT: 'City (CT)',
  ST: 'State/Province (ST)',
  ZIP: 'ZIP/Postal Code (ZIP)',
  COUNTRY: 'Country (COUNTRY)',
  DOB: 'Date of Birth (DOB)',
  GEN: 'Gender (GEN)',
  EXTERN_ID: 'External ID (EXTERN_ID)',
};

export const DESTINATION_NOTES: Partial<Record<MappingDestination, string>> = {
  EMAIL: 'Primary match key — always map if available',
  PHONE: 'Secondary match key — map alongside email for best match rate',
  MADID: 'Map if your audience contains IDFA or GAID values',
  APPUID: 'Map if your audience contains Facebook-issued user IDs',
  EXTERN_ID: 'Your own customer id; sent as is, never hashed',
};

/** The customer field most likely meant for each destination row when it is added. */
export const SUGGESTED_SOURCES: Record<MappingDestination, string | null> = {
  EMAIL: 'email',
  PHONE: 'phone',
  MADID: null,
  APPUID: null,
  FN: 'first_name',
  LN: 'last_name',
  FI: 'first_name',
  CT: 'city',
  ST: 'state',
  ZIP: 'zip',
  COUNTRY: 'country',
  DOB: 'date_of_birth',
  GEN: 'gender',
  EXTERN_ID: 'external_id',
};

export const IDENTIFYING_DESTINATIONS: ReadonlySet<string> = new Set([
  'EMAIL',
  'PHONE',
  'MADID',
  'APPUID',
  'EXTERN_ID',
]);

/** Source choices: the profile columns, then each imported attribute as attributes.<name>. */
export function sourceOptions(fields: {
  fields: string[];
  attributes: string[];
} | undefined): Array<{ value: string; label: string }> {
  const columns = fields?.fields.length ? fields.fields : [...CUSTOMER_FIELDS];
  const attributes = fields?.attributes ?? [];
  return [
    ...columns.map((name) => ({ value: name, label: name })),
    ...attributes.map((name) => {
      const value = name.startsWith('attributes.') ? name : `attributes.${name}`;
      return { value, label: value };
    }),
  ];
}

export interface MappingDraftRow {
  destination: MappingDestination;
  source: string;
}

export function defaultMapping(): MappingDraftRow[] {
  return DEFAULT_MAPPING_DESTINATIONS.map((destination) => ({
    destination,
    source: SUGGESTED_SOURCES[destination] ?? '',
  }));
}

/** The client-side checks the API would make, so mistakes show before Finish. */
export function mappingProblem(rows: MappingDraftRow[]): string | null {
  const mapped = rows.filter((row) => row.source);
  if (!mapped.some((row) => IDENTIFYING_DESTINATIONS.has(row.destination))) {
    return 'Map at least Email or Phone Number (or MADID, App UID or EXTERN_ID): Meta cannot match a customer on the other fields alone.';
  }
  return null;
}
