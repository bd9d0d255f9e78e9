import type { AudienceRecord } from '../audience.ts';
import { invalidParameterError } from '../errors.ts';
import { readJson } from '../params.ts';
import { isPlainObject } from '../request.ts';

/** The `filtering` parameter of the customaudiences list, on name, id or subtype. */
type AudienceFilter = (audience: AudienceRecord) => boolean;

const FILTER_FIELDS: Readonly<Record<string, (audience: AudienceRecord) => string>> = {
  name: (audience) => audience.name,
  id: (audience) => audience.id,
  subtype: (audience) => audience.subtype,
};

/** Graph's `filtering=[{field, operator, value}]`; CONTAIN ignores case, EQUAL does not. */
export function readFilters(params: Record<string, unknown>): AudienceFilter[] {
  const filtering = readJson(params, 'filtering');
  if (filtering === undefined) return [];
  if (!Array.isArray(filtering)) {
    throw invalidParameterError('Param filtering must be an array of filters');
  }
  return filtering.map(readFilter);
}

function readFilter(filter: unknown): AudienceFilter {
  if (!isPlainObject(filter)) throw invalidParameterError('Each filter must be an object');
  const { field, operator, value } = filter;
  if (typeof field !== 'string' || typeof operator !== 'string') {
    throw invalidParameterError('Each filter needs a field, an operator and a value');
  }
  const read = FILTER_FIELDS[field];
  if (!read) {
    throw invalidParameterError(`Filtering field ${field} is invalid; use name, id or subtype`);
  }

  const text = String(value).toLowerCase();
  const list = Array.isArray(value) ? value.map(String) : [String(value)];
  const tests: Record<string, (actual: string) => boolean> = {
    EQUAL: (actual) => actual === String(value),
    NOT_EQUAL: (actual) => actual !== String(value),
    CONTAIN: (actual) => actual.toLowerCase().includes(text),
    NOT_CONTAIN: (actual) => !actual.toLowerCase().includes(text),
    STARTS_WITH: (actual) => actual.toLowerCase().startsWith(text),
    ENDS_WITH: (actual) => actual.toLowerCase().endsWith(text),
    IN: (actual) => list.includes(actual),
    NOT_IN: (actual) => !list.includes(actual),
  };
  const test = tests[operator];
  if (!test) {
    const operators = Object.keys(tests).join(', ');
    throw invalidParameterError(`Filtering operator ${operator} is invalid; use ${operators}`);
  }
  return (audience) => test(read(audience));
}
