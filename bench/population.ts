import type { CustomerInput } from '../src/customers/upsert.ts';
import { Random, WeightedTable } from './random.ts';
import type { EmailLayout, SampleShapes } from './sample-shapes.ts';

/** One synthetic customer, with the sample file's columns under the product's field names. */
export interface SyntheticCustomer {
  external_id: string;
  email: string;
  first_name: string;
  last_name: string;
  phone: string;
  city: string;
  country: string;
  attributes: { company: string; phone_2: string; subscription_date: string; website: string };
}

export const DEFAULT_SEED = 20_250_601;

/**
 * A deterministic population grown from the sample's shapes: names, cities,
 * companies and countries drawn with the sample's frequencies (ambiguous
 * countries included), phones in the sample's layouts with fresh digits,
 * e-mails built from the drawn names in the sample's four layouts. Customers
 * are yielded one at a time; nothing but the frequency tables stays in memory.
 * Customer i is the same on every run with the same seed.
 */
export class Population {
  readonly #seed: number;
  readonly #tables: Tables;

  constructor(shapes: SampleShapes, seed = DEFAULT_SEED) {
    this.#seed = seed;
    this.#tables = {
      firstNames: new WeightedTable(shapes.firstNames),
      lastNames: new WeightedTable(shapes.lastNames),
      cities: new WeightedTable(shapes.cities),
      countries: new WeightedTable(shapes.countries),
      companies: new WeightedTable(shapes.companies),
      phoneLayouts: new WeightedTable(shapes.phoneLayouts),
      emailLayouts: new WeightedTable(shapes.emailLayouts),
      emailDigitCounts: new WeightedTable(shapes.emailDigitCounts),
      topLevelDomains: new WeightedTable(shapes.topLevelDomains),
    };
  }

  /** Customers 0 … count-1, in that order. */
  *customers(count: number): Generator<SyntheticCustomer> {
    const random = new Random(this.#seed);
    for (let index = 0; index < count; index += 1) yield this.#make(index, random);
  }

  /** The same customers in arrays of at most `size`, for bulk statements. */
  *batches(count: number, size: number): Generator<SyntheticCustomer[]> {
    let batch: SyntheticCustomer[] = [];
    for (const customer of this.customers(count)) {
      batch.push(customer);
      if (batch.length === size) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }

  #make(index: number, random: Random): SyntheticCustomer {
    const t = this.#tables;
    const first = t.firstNames.draw(random);
    const last = t.lastNames.draw(random);
    const domain = makeDomain(random, t);
    return {
      external_id: externalIdOf(index, random),
      email: makeEmail(random, t, first, last, domain),
      first_name: first,
      last_name: last,
      phone: fillDigits(t.phoneLayouts.draw(random), random),
      city: t.cities.draw(random),
      country: t.countries.draw(random),
      attributes: {
        company: t.companies.draw(random),
        phone_2: fillDigits(t.phoneLayouts.draw(random), random),
        subscription_date: makeDate(random),
        website: makeWebsite(random, t),
      },
    };
  }
}

/** The customer as an import would upsert it, keyed on external_id. */
export function toCustomerInput(customer: SyntheticCustomer): CustomerInput {
  const { attributes, ...fields } = customer;
  return { key: customer.external_id, fields, attributes };
}

interface Tables {
  firstNames: WeightedTable<string>;
  lastNames: WeightedTable<string>;
  cities: WeightedTable<string>;
  countries: WeightedTable<string>;
  companies: WeightedTable<string>;
  phoneLayouts: WeightedTable<string>;
  emailLayouts: WeightedTable<EmailLayout>;
  emailDigitCounts: WeightedTable<number>;
  topLevelDomains: WeightedTable<string>;
}

const SPREAD = 0x9e3779b97f4a7c15n;
const SIXTY_BITS = (1n << 60n) - 1n;

/**
 * 15 hex digits in mixed case like the sample's Customer Id. Multiplying the
 * index by an odd constant modulo 2^60 is a bijection, so ids never repeat.
 */
function externalIdOf(index: number, random: Random): string {
  const hex = ((BigInt(index + 1) * SPREAD) & SIXTY_BITS).toString(16).padStart(15, '0');
  let id = '';
  for (const char of hex) id += char >= 'a' && random.chance(0.5) ? char.toUpperCase() : char;
  return id;
}

const LOCAL_STYLES = ['initial-last', 'first-last', 'last-first', 'first', 'last'] as const;

function makeEmail(random: Random, t: Tables, first: string, last: string, domain: string): string {
  const layout = t.emailLayouts.draw(random);
  const f = letters(first);
  const l = letters(last);
  const style = random.pick(LOCAL_STYLES);
  let local =
    style === 'initial-last' ? f.slice(0, 1) + l
    : style === 'first-last' ? f + l
    : style === 'last-first' ? l + f
    : style === 'first' ? f
    : l;
  if (layout.startsWith('digits')) local += random.digits(t.emailDigitCounts.draw(random));
  const hyphenated = layout.endsWith('hyphen');
  const [name, tld] = domain.split('.') as [string, string];
  const host = hyphenated ? `${name}-${letters(t.lastNames.draw(random))}` : name;
  return `${local}@${host}.${tld}`;
}

function makeWebsite(random: Random, t: Tables): string {
  const scheme = random.chance(0.5) ? 'https' : 'http';
  const www = random.chance(0.5) ? 'www.' : '';
  return `${scheme}://${www}${makeDomain(random, t)}/`;
}

function makeDomain(random: Random, t: Tables): string {
  return `${letters(t.lastNames.draw(random))}.${t.topLevelDomains.draw(random)}`;
}

function letters(name: string): string {
  return name.toLowerCase().replace(/[^a-z]/g, '');
}

function fillDigits(layout: string, random: Random): string {
  const prefix = /^(\+1-|001-)/.exec(layout)?.[0] ?? '';
  let phone = prefix;
  for (let i = prefix.length; i < layout.length; i += 1) {
    phone += layout[i] === '9' ? String(random.below(10)) : layout[i];
  }
  return phone;
}

function makeDate(random: Random): string {
  const day = String(1 + random.below(28)).padStart(2, '0');
  const month = String(1 + random.below(12)).padStart(2, '0');
  return `${day}-${month}-${2020 + random.below(3)}`;
}
