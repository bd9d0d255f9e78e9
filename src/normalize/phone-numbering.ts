import { Metadata } from 'libphonenumber-js/core';
import metadataJson from 'libphonenumber-js/max/metadata';

/**
 * libphonenumber-js's parsing steps, re-run over its own "max" metadata with
 * regular expressions compiled once per numbering plan.
 *
 * Why not call its parsePhoneNumber(): it builds a RegExp from the metadata's
 * pattern text on every check, about 20 µs a number, which alone would cap a
 * sync below 50,000 rows/s. This module follows the same steps (IDD prefix,
 * country code typed without "+", national prefix, country among those sharing
 * a calling code, possible length, number type) in about 1 µs. The test
 * phone-numbering.test.ts holds it to the library's answers on the sample files.
 *
 * "max" metadata is the set that carries each number type's pattern, which is
 * what tells a possible number (right length) from a valid one (assigned range).
 */

type LengthCheck = 'IS_POSSIBLE' | 'TOO_SHORT' | 'TOO_LONG' | 'INVALID_LENGTH';

export type ParsedPhone =
  | { ok: true; callingCode: string; nationalNumber: string; country: string | undefined }
  | { ok: false; error: 'INVALID_COUNTRY' | 'TOO_SHORT' | 'TOO_LONG' };

interface Plan {
  callingCode: string;
  idd: RegExp | null;
  general: RegExp;
  possibleLengths: readonly number[] | undefined;
  nationalPrefixForParsing: RegExp | null;
  transformRule: string | undefined;
  leadingDigits: RegExp | null;
  /** null when the metadata has no number types for the plan (then `general` decides). */
  types: TypeRule[] | null;
}

interface TypeRule {
  pattern: RegExp;
  lengths: readonly number[] | undefined;
}

// The parts of the library's NumberingPlan we read; its published typings declare fewer.
interface LibraryPlan {
  callingCode(): string;
  IDDPrefix(): string | undefined;
  nationalNumberPattern(): string;
  possibleLengths(): number[] | undefined;
  nationalPrefixForParsing(): string | undefined;
  nationalPrefixTransformRule(): string | undefined;
  leadingDigits(): string | undefined;
  hasTypes(): boolean;
  type(name: string): { pattern(): string; possibleLengths(): number[] | undefined } | undefined;
}

const NUMBER_TYPES = [
  'FIXED_LINE', 'MOBILE', 'TOLL_FREE', 'PREMIUM_RATE', 'PERSONAL_NUMBER',
  'VOICEMAIL', 'UAN', 'PAGER', 'VOIP', 'SHARED_COST',
];

const MIN_NATIONAL_LENGTH = 2;
const MAX_NATIONAL_LENGTH = 17;
const MAX_CALLING_CODE_LENGTH = 3;

const metadata = new Metadata(metadataJson);
const callingCodeCountries = metadataJson.country_calling_codes as Record<string, string[]>;
const nonGeographic = (metadataJson.nonGeographic ?? {}) as Record<string, unknown>;

// About 250 plans at most, each compiled on first use: bounded, never evicted.
const plansByCountry = new Map<string, Plan>();
const plansByCallingCode = new Map<string, Plan>();

export function isSupportedRegion(region: string): boolean {
  return Object.hasOwn(metadataJson.countries, region);
}

function hasCallingCode(code: string): boolean {
  return countriesOf(code) !== undefined || Object.hasOwn(nonGeographic, code);
}

/** Reads digits that followed a "+" (or an IDD prefix). */
export function parseInternational(digits: string): ParsedPhone {
  if (digits.startsWith('0')) return { ok: false, error: 'INVALID_COUNTRY' };

  for (let length = 1; length <= MAX_CALLING_CODE_LENGTH && length <= digits.length; length++) {
    const code = digits.slice(0, length);
    if (!hasCallingCode(code)) continue;
    return finish(code, digits.slice(length), undefined, planOfCallingCode(code));
  }
  return { ok: false, error: 'INVALID_COUNTRY' };
}

/** True when the digits start with the region's own international call prefix (011, 0011...). */
export function startsWithIdd(digits: string, region: string): boolean {
  return stripIdd(digits, planOfCountry(region)) !== null;
}

/** Reads digits typed with no "+" in a region, as the library does with that default country. */
export function parseInRegion(digits: string, region: string): ParsedPhone {
  const plan = planOfCountry(region);

  const afterIdd = stripIdd(digits, plan);
  if (afterIdd !== null) return parseInternational(afterIdd);

  const code = plan.callingCode;
  if (digits.startsWith(code)) {
    const shorter = digits.slice(code.length);
    const whole = nationalNumberOf(digits, plan);
    const wholeIsPattern = plan.general.test(whole);
    const shorterIsPattern = plan.general.test(nationalNumberOf(shorter, plan));
    if ((!wholeIsPattern && shorterIsPattern) || checkLength(whole, plan) === 'TOO_LONG') {
      return finish(code, shorter, undefined, planOfCallingCode(code));
    }
  }

  return finish(code, digits, region, plan);
}

interface PhoneDigits {
  callingCode: string;
  nationalNumber: string;
  country?: string | undefined;
}

/** Right length for its country (or its calling code's main country). */
export function isPossible(phone: PhoneDigits): boolean {
  return checkLength(phone.nationalNumber, planOf(phone)) === 'IS_POSSIBLE';
}

/** In an assigned range of one of its country's number types. */
export function isValid(phone: PhoneDigits): boolean {
  const plan = planOf(phone);
  const number = phone.nationalNumber;
  return plan.types ? matchesAType(number, plan) : plan.general.test(number);
}

function finish(code: string, number: string, region: string | undefined, plan: Plan): ParsedPhone {
  if (!number) return { ok: false, error: 'TOO_SHORT' };

  const nationalNumber = nationalNumberOf(number, plan);
  const country = countryOf(code, nationalNumber) ?? region;

  if (nationalNumber.length < MIN_NATIONAL_LENGTH) return { ok: false, error: 'TOO_SHORT' };
  if (nationalNumber.length > MAX_NATIONAL_LENGTH) return { ok: false, error: 'TOO_LONG' };
  return { ok: true, callingCode: code, nationalNumber, country };
}

function stripIdd(digits: string, plan: Plan): string | null {
  const match = plan.idd?.exec(digits);
  if (!match) return null;

  const rest = digits.slice(match[0].length);
  // A calling code never starts with 0, so "0" after the prefix means it was not one.
  if (rest === '' || rest.startsWith('0')) return null;
  return rest;
}

/** Strips a national (trunk) prefix, unless what is left could not be a whole number. */
function nationalNumberOf(number: string, plan: Plan): string {
  const stripped = stripNationalPrefix(number, plan);
  if (stripped === number) return number;

  if (plan.general.test(number) && !plan.general.test(stripped)) return number;

  if (plan.possibleLengths) {
    const country = countryOf(plan.callingCode, stripped);
    const check = checkLength(stripped, country ? planOfCountry(country) : plan);
    if (check === 'TOO_SHORT' || check === 'INVALID_LENGTH') return number;
  }
  return stripped;
}

function stripNationalPrefix(number: string, plan: Plan): string {
  const prefix = plan.nationalPrefixForParsing;
  const match = number ? prefix?.exec(number) : null;
  if (!match) return number;

  const groups = match.length - 1;
  const lastGroupMatched = groups > 0 && Boolean(match[groups]);
  // Some plans rewrite rather than strip (e.g. Argentina's mobile "15" moves behind the area code).
  if (plan.transformRule && lastGroupMatched) return number.replace(prefix!, plan.transformRule);
  return number.slice(match[0].length);
}

/** The country among those sharing a calling code: leading digits first, else number types. */
function countryOf(code: string, nationalNumber: string): string | undefined {
  const countries = countriesOf(code);
  if (!countries) return undefined;
  if (countries.length === 1) return countries[0];

  for (const country of countries) {
    const plan = planOfCountry(country);
    if (plan.leadingDigits) {
      if (nationalNumber && plan.leadingDigits.test(nationalNumber)) return country;
    } else if (plan.types && matchesAType(nationalNumber, plan)) {
      return country;
    }
  }
  return undefined;
}

function matchesAType(nationalNumber: string, plan: Plan): boolean {
  if (!plan.general.test(nationalNumber)) return false;

  for (const rule of plan.types!) {
    if (rule.lengths && !rule.lengths.includes(nationalNumber.length)) continue;
    if (rule.pattern.test(nationalNumber)) return true;
  }
  return false;
}

function checkLength(nationalNumber: string, plan: Plan): LengthCheck {
  const lengths = plan.possibleLengths;
  if (!lengths || lengths.length === 0) return 'IS_POSSIBLE';

  const length = nationalNumber.length;
  if (lengths[0] === length) return 'IS_POSSIBLE';
  if (lengths[0]! > length) return 'TOO_SHORT';
  if (lengths[lengths.length - 1]! < length) return 'TOO_LONG';
  return lengths.includes(length) ? 'IS_POSSIBLE' : 'INVALID_LENGTH';
}

function countriesOf(code: string): string[] | undefined {
  const countries = callingCodeCountries[code];
  // Older metadata listed non-geographic codes here as ["001"]; they are not countries.
  if (!countries || (countries.length === 1 && countries[0]!.length === 3)) return undefined;
  return countries;
}

function planOf(phone: PhoneDigits): Plan {
  return phone.country ? planOfCountry(phone.country) : planOfCallingCode(phone.callingCode);
}

function planOfCountry(country: string): Plan {
  let plan = plansByCountry.get(country);
  if (!plan) {
    plan = compile(country);
    plansByCountry.set(country, plan);
  }
  return plan;
}

/** The plan of the calling code's main country (US for +1), or its non-geographic plan. */
function planOfCallingCode(code: string): Plan {
  const main = countriesOf(code)?.[0];
  if (main) return planOfCountry(main);

  let plan = plansByCallingCode.get(code);
  if (!plan) {
    plan = compile(code);
    plansByCallingCode.set(code, plan);
  }
  return plan;
}

function compile(countryOrCallingCode: string): Plan {
  metadata.selectNumberingPlan(countryOrCallingCode as never);
  const source = metadata.numberingPlan as unknown as LibraryPlan;

  const idd = source.IDDPrefix();
  const nationalPrefix = source.nationalPrefixForParsing();
  const leadingDigits = source.leadingDigits();
  return {
    callingCode: source.callingCode(),
    idd: idd ? new RegExp(`^(?:${idd})`) : null,
    general: whole(source.nationalNumberPattern()),
    possibleLengths: source.possibleLengths(),
    nationalPrefixForParsing: nationalPrefix ? new RegExp(`^(?:${nationalPrefix})`) : null,
    transformRule: source.nationalPrefixTransformRule(),
    leadingDigits: leadingDigits ? new RegExp(`^(?:${leadingDigits})`) : null,
    types: source.hasTypes() ? compileTypes(source) : null,
  };
}

function compileTypes(source: LibraryPlan): TypeRule[] {
  const rules: TypeRule[] = [];
  for (const name of NUMBER_TYPES) {
    const type = source.type(name);
    const pattern = type?.pattern();
    if (type && pattern) rules.push({ pattern: whole(pattern), lengths: type.possibleLengths() });
  }
  return rules;
}

function whole(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`);
}
