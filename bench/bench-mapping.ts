import type { MappingRow } from '../src/normalize/row.ts';
import type { SyntheticCustomer } from './population.ts';

/** The mapping every benchmark uses: the four defaults plus names, city and country. */
export const BENCH_MAPPING: MappingRow[] = [
  { source: 'email', destination: 'EMAIL' },
  { source: 'phone', destination: 'PHONE' },
  { source: 'first_name', destination: 'FN' },
  { source: 'last_name', destination: 'LN' },
  { source: 'city', destination: 'CT' },
  { source: 'country', destination: 'COUNTRY' },
  { source: 'external_id', destination: 'EXTERN_ID' },
];

/** The sample's phones look North American; the demo's sync sets the same default. */
export const BENCH_DEFAULT_COUNTRY = 'US';

/** The raw values the mapping reads, in mapping order. */
export function mappedValues(customer: SyntheticCustomer): string[] {
  return [
    customer.email,
    customer.phone,
    customer.first_name,
    customer.last_name,
    customer.city,
    customer.country,
    customer.external_id,
  ];
}
