import { hash } from 'node:crypto';

/**
 * Turns a customer value into trimmed NFC text. Returns '' for a missing or
 * blank value and null for a value that has no text form (an object, NaN).
 * A Date becomes its ISO-8601 instant; DOB reads Dates itself.
 */
export function toText(value: unknown): string | null {
  if (value === null || value === undefined) return '';

  if (typeof value === 'string') return nfcTrim(value);

  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;

  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);

  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();

  return null;
}

const NON_ASCII = /[^\x00-\x7f]/;

function nfcTrim(value: string): string {
  const trimmed = value.trim();
  // NFC of pure ASCII is itself; skipping it keeps the common case cheap.
  return NON_ASCII.test(trimmed) ? trimmed.normalize('NFC') : trimmed;
}

const SHA256_HEX = /^[0-9a-fA-F]{64}$/;

/** A value that is already a SHA-256 digest: 64 hex characters, any case. */
export function isSha256Hex(text: string): boolean {
  return text.length === 64 && SHA256_HEX.test(text);
}

/** SHA-256 over the UTF-8 bytes, lowercase hex, as Meta requires. */
export function sha256Hex(text: string): string {
  return hash('sha256', text, 'hex');
}
