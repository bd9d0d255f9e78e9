import { createRequire } from 'node:module';
import countries, { type LocaleData } from 'i18n-iso-countries/index.js';
import { drop, type Normalized } from './result.ts';
import { AMBIGUOUS_COUNTRY_NAMES, COUNTRY_ALIASES } from './country-names.ts';

/**
 * COUNTRY: ISO 3166-1 alpha-2, lowercase. Reads alpha-2 and alpha-3 codes,
 * the English names i18n-iso-countries lists (`Germany` -> `de`) and our own
 * aliases (`U.S.` -> `us`, `UK` -> `gb`), ignoring case, accents, dots and
 * bracketed notes (`Slovakia (Slovak Republic)` -> `sk`). A name that could
 * mean two countries (`Korea`, `Congo`) is `ambiguous_country`, never guessed.
 */
export function normalizeCountry(text: string): Normalized {
  let result = cache.get(text);
  if (result === undefined) {
    result = lookUp(text);
    // Country columns hold a few hundred distinct values; the bound only guards odd data.
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(text, result);
  }
  return result;
}

const CACHE_LIMIT = 10_000;
const cache = new Map<string, Normalized>();

const AMBIGUOUS = '';
const TWO_LETTERS = /^[a-z]{2}$/;
const THREE_LETTERS = /^[a-z]{3}$/;
let namesByKey: Map<string, string> | undefined;

function lookUp(text: string): Normalized {
  const key = foldCountryName(text);
  if (key === '') return drop('unknown_country');

  const direct = codeOf(key);
  if (direct !== undefined) return found(direct);

  // "Bouvet Island (Bouvetoya)", "Holy See (Vatican City State)": the part before the note.
  const bracket = text.indexOf('(');
  if (bracket > 0) {
    const outer = codeOf(foldCountryName(text.slice(0, bracket)));
    if (outer !== undefined) return found(outer);
  }
  return drop('unknown_country');
}

function found(code: string): Normalized {
  return code === AMBIGUOUS ? drop('ambiguous_country') : { ok: true, value: code };
}

/** The lowercase alpha-2 code, AMBIGUOUS, or undefined when the key is not a country. */
function codeOf(key: string): string | undefined {
  // The library's isValid() also takes numeric codes; "12" is no country here.
  if (key.length === 2) {
    if (!TWO_LETTERS.test(key)) return undefined;
    return countries.isValid(key.toUpperCase()) ? key : COUNTRY_ALIASES[key];
  }

  const alias = COUNTRY_ALIASES[key];
  if (alias !== undefined) return alias;
  if (AMBIGUOUS_COUNTRY_NAMES.has(key)) return AMBIGUOUS;

  namesByKey ??= indexLibraryNames();
  const named = namesByKey.get(key);
  if (named !== undefined) return named;

  if (!THREE_LETTERS.test(key)) return undefined;
  return countries.alpha3ToAlpha2(key.toUpperCase())?.toLowerCase();
}

/**
 * Every English name and alias the library knows, also without its ", Republic
 * of" tail or bracketed note. A key two codes share is marked AMBIGUOUS.
 */
function indexLibraryNames(): Map<string, string> {
  // Only English is needed: the package's default entry would load all its ~80 locales.
  const require = createRequire(import.meta.url);
  countries.registerLocale(require('i18n-iso-countries/langs/en.json') as LocaleData);

  const index = new Map<string, string>();
  const add = (key: string, code: string): void => {
    if (key === '') return;
    const existing = index.get(key);
    index.set(key, existing === undefined || existing === code ? code : AMBIGUOUS);
  };

  const names = countries.getNames('en', { select: 'all' });
  for (const [alpha2, list] of Object.entries(names)) {
    const code = alpha2.toLowerCase();
    for (const name of list) {
      add(foldCountryName(name), code);
      add(foldCountryName(name.split(',')[0]!), code);
      add(foldCountryName(name.split('(')[0]!), code);
    }
  }
  return index;
}

const MARKS = /\p{M}+/gu;
const DROPPED_PUNCTUATION = /[.'’`ʼ]/g;
const SEPARATORS = /[^\p{L}\p{N}]+/gu;
const ARTICLE = /^the | the$/g;

/**
 * Case, accents, dots and apostrophes ignored; `&` read as `and`; `St` as
 * `Saint`; a leading or trailing `the` dropped (`Bahamas, The`).
 */
function foldCountryName(name: string): string {
  const folded = name
    .normalize('NFD')
    .replace(MARKS, '')
    .toLowerCase()
    .replaceAll('&', ' and ')
    .replace(DROPPED_PUNCTUATION, '')
    .replace(SEPARATORS, ' ')
    .trim();
  const withoutArticle = folded.replace(ARTICLE, '');
  return withoutArticle.startsWith('st ') ? `saint ${withoutArticle.slice(3)}` : withoutArticle;
}
