import { maskEmail, maskPhone } from '../audiences/masking.ts';
import { maskIdentifier, maskText } from '../syncs/quality.ts';

/**
 * Masks for values the API shows people: the audiences module's email and phone
 * masks, plus the rest a profile or a file carries. Enough to recognise a
 * value, never the whole of it.
 */
export { maskEmail, maskIdentifier, maskPhone, maskText };

const EMAIL_SHAPE = /^[^@\s]+@[^@\s]+$/;
const DATE_SHAPE = /^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}(?:[T ].*)?$/;
const PHONE_SHAPE = /^[+()\d\s.\-/]*\d[()\d\s.\-/]*(?:\s*(?:x|ext\.?|#)\s*\d+)?$/i;

export function looksLikeEmail(value: string): boolean {
  return EMAIL_SHAPE.test(value.trim());
}

/** Seven or more digits in phone punctuation, and not a date. */
export function looksLikePhone(value: string): boolean {
  const text = value.trim();
  if (DATE_SHAPE.test(text) || !PHONE_SHAPE.test(text)) return false;
  return text.replace(/(?:x|ext\.?|#)\s*\d+$/i, '').replace(/\D/g, '').length >= 7;
}

/** A customer key as shown in lists: masked when it is an email or a phone number. */
export function maskKey(key: string): string {
  if (looksLikeEmail(key)) return maskEmail(key) ?? '***';
  if (looksLikePhone(key)) return maskPhone(key) ?? '***';
  return key;
}

// Targets whose values name or locate a person; other columns (company, country, dates) show.
const PERSONAL_TARGETS = new Set([
  'first_name', 'last_name', 'location', 'zip', 'date_of_birth', 'madid', 'app_user_id',
]);

/** A cell of an uploaded file as the import preview shows it: by its shape and where it goes. */
export function maskCell(value: string, target: string | null): string {
  if (value.trim() === '') return value;
  if (target === 'email' || looksLikeEmail(value)) return maskEmail(value) ?? '***';
  if (target === 'phone' || looksLikePhone(value)) return maskPhone(value) ?? '***';
  if (target !== null && PERSONAL_TARGETS.has(target)) return maskText(value);
  return value;
}
