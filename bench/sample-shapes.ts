import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';

/** The sample customers the synthetic population is grown from. */
export const SAMPLE_FILE = '/work/shared/data/customers-10000.csv';

/**
 * What the sample file looks like, as frequency tables: the values it uses
 * (names, cities, countries, companies) and the shapes of the values it makes
 * up (phone layouts, e-mail layouts, top-level domains). No row is kept.
 */
export interface SampleShapes {
  rows: number;
  firstNames: Map<string, number>;
  lastNames: Map<string, number>;
  cities: Map<string, number>;
  /** Exactly as written, ambiguous ones (Korea, Congo) and old ones (Netherlands Antilles) too. */
  countries: Map<string, number>;
  companies: Map<string, number>;
  /** Digits as `9`, except a leading `+1-` or `001-` kept as written: `(999)999-9999x999`. */
  phoneLayouts: Map<string, number>;
  /** `a@a.a`, `a9@a-a.a`...: whether the local part ends in digits and the domain has a hyphen. */
  emailLayouts: Map<EmailLayout, number>;
  /** How many digits end a local part that has some. */
  emailDigitCounts: Map<number, number>;
  topLevelDomains: Map<string, number>;
}

export type EmailLayout = 'plain' | 'plain-hyphen' | 'digits' | 'digits-hyphen';

export function readSampleShapes(path = SAMPLE_FILE): SampleShapes {
  const records: Record<string, string>[] = parse(readFileSync(path), { columns: true });
  const shapes: SampleShapes = {
    rows: records.length,
    firstNames: new Map(),
    lastNames: new Map(),
    cities: new Map(),
    countries: new Map(),
    companies: new Map(),
    phoneLayouts: new Map(),
    emailLayouts: new Map(),
    emailDigitCounts: new Map(),
    topLevelDomains: new Map(),
  };

  for (const record of records) {
    tally(shapes.firstNames, record['First Name']);
    tally(shapes.lastNames, record['Last Name']);
    tally(shapes.cities, record.City);
    tally(shapes.countries, record.Country);
    tally(shapes.companies, record.Company);
    tally(shapes.phoneLayouts, phoneLayout(record['Phone 1']));
    tally(shapes.phoneLayouts, phoneLayout(record['Phone 2']));
    readEmail(shapes, record.Email ?? '');
  }
  return shapes;
}

function tally<T>(counts: Map<T, number>, value: T | undefined): void {
  if (value === undefined || value === '') return;
  counts.set(value, (counts.get(value) ?? 0) + 1);
}

const KEPT_PREFIX = /^(\+1-|001-)/;

function phoneLayout(phone: string | undefined): string | undefined {
  if (!phone) return undefined;
  const prefix = KEPT_PREFIX.exec(phone)?.[0] ?? '';
  return prefix + phone.slice(prefix.length).replace(/\d/g, '9');
}

function readEmail(shapes: SampleShapes, email: string): void {
  const [local = '', domain = ''] = email.split('@');
  const digits = /\d+$/.exec(local)?.[0].length ?? 0;
  const hyphen = domain.includes('-');
  const layout = `${digits > 0 ? 'digits' : 'plain'}${hyphen ? '-hyphen' : ''}` as EmailLayout;
  tally(shapes.emailLayouts, layout);
  if (digits > 0) tally(shapes.emailDigitCounts, digits);
  tally(shapes.topLevelDomains, domain.split('.').pop());
}
