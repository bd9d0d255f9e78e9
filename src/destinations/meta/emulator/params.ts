import { invalidParameterError } from './errors.ts';
import { parseJsonText } from './request.ts';

/**
 * Readers for Graph parameters. A form sends every value as text while a JSON body sends
 * typed values, so each reader accepts both spellings of the same value.
 */
export type Params = Record<string, unknown>;

export function readString(params: Params, name: string): string | undefined {
  const value = params[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw invalidParameterError(`Param ${name} must be a string`);
}

export function requireString(params: Params, name: string): string {
  const value = readString(params, name);
  if (value !== undefined && value !== '') return value;
  throw invalidParameterError(`The parameter ${name} is required`);
}

export function readBoolean(params: Params, name: string): boolean | undefined {
  const value = params[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (value === true || value === 'true' || value === 1 || value === '1') return true;
  if (value === false || value === 'false' || value === 0 || value === '0') return false;
  throw invalidParameterError(`Param ${name} must be a boolean`);
}

export function readInteger(params: Params, name: string): number | undefined {
  const value = params[name];
  if (value === undefined || value === null || value === '') return undefined;
  const number = typeof value === 'string' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number)) {
    throw invalidParameterError(`Param ${name} must be an integer`);
  }
  return number;
}

/** `payload`, `session`, `filtering`: a JSON value, or text holding one. */
export function readJson(params: Params, name: string): unknown {
  const value = params[name];
  if (value === '' || value === null) return undefined;
  return typeof value === 'string' ? parseJsonText(value, `param ${name}`) : value;
}

/** `fields=id,name,operation_status{code}` → ['id', 'name', 'operation_status']. */
export function readFields(params: Params): string[] | undefined {
  const value = readString(params, 'fields');
  if (value === undefined || value.trim() === '') return undefined;
  const withoutSubfields = value.replace(/\{[^{}]*\}/g, '').replace(/\{[^{}]*\}/g, '');
  return withoutSubfields
    .split(',')
    .map((field) => field.trim())
    .filter(Boolean);
}
