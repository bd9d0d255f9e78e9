import { drop, type Normalized } from './result.ts';

// Letters (any script) and the combining marks some scripts need; everything else goes.
const NOT_NAME_CHARACTERS = /[^\p{L}\p{M}\s]+/gu;
const WHITESPACE_RUNS = /\s+/g;

/**
 * FN, LN: lowercase, letters of any script kept, inner whitespace collapsed to
 * one space; punctuation, symbols and digits removed (`O'Brien` -> `obrien`,
 * `Mary-Jane` -> `maryjane`, `정` stays `정`). Meta asks for letters only.
 */
export function normalizeName(text: string): Normalized {
  const name = text
    .toLowerCase()
    .replace(NOT_NAME_CHARACTERS, '')
    .replace(WHITESPACE_RUNS, ' ')
    .trim();
  return name === '' ? drop('no_letters') : { ok: true, value: name };
}

const FIRST_LETTER = /^\p{L}\p{M}*/u;

/** FI: the first letter of the normalized first name, with any accent marks it carries. */
export function normalizeFirstInitial(text: string): Normalized {
  const name = normalizeName(text);
  if (!name.ok) return name;

  const initial = FIRST_LETTER.exec(name.value);
  return initial ? { ok: true, value: initial[0] } : drop('no_letters');
}

const GENDERS: Readonly<Record<string, string>> = { m: 'm', male: 'm', f: 'f', female: 'f' };

/** GEN: `m` or `f` from m, male, f, female in any case; anything else dropped, never defaulted. */
export function normalizeGender(text: string): Normalized {
  const gender = GENDERS[text.toLowerCase()];
  return gender === undefined ? drop('unknown_gender') : { ok: true, value: gender };
}
