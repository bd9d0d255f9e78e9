import { normalizeCountry } from './country.ts';
import { normalizeField } from './field-value.ts';

/** The reason on the output line of an input line that is not a `{"field","value"}` object. */
export const INVALID_INPUT_LINE = 'invalid_input_line';

const INVALID_LINE = `${JSON.stringify({
  field: null,
  input: null,
  normalized: null,
  sha256: null,
  reason: INVALID_INPUT_LINE,
})}\n`;

/**
 * One line of `sourcesible normalize`: `{"field","value","country"?}` in, one
 * JSON line out per schema key (three for DOB), each ending in a newline.
 * `country` (a code or name) gives the row's country; else `defaultCountry`.
 * @example normalizeJsonLine('{"field":"EMAIL","value":" Mary@Example.com"}', null)
 * // '{"field":"EMAIL","input":" Mary@Example.com","normalized":"mary@example.com",...}\n'
 */
export function normalizeJsonLine(line: string, defaultCountry: string | null): string {
  const request = parseRequest(line);
  if (request === null) return INVALID_LINE;

  const country = request.country ? normalizeCountry(request.country) : null;
  const context = { country: country?.ok ? country.value : defaultCountry, defaultCountry };

  let output = '';
  for (const result of normalizeField(request.field, request.value, context)) {
    output += `${JSON.stringify(result)}\n`;
  }
  return output;
}

interface Request {
  field: string;
  value: unknown;
  country: string | null;
}

function parseRequest(line: string): Request | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;

  const { field, value, country } = parsed as Record<string, unknown>;
  if (typeof field !== 'string' || !isScalar(value)) return null;
  if (country !== undefined && country !== null && typeof country !== 'string') return null;
  return { field, value: value ?? null, country: country?.trim() || null };
}

function isScalar(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}
