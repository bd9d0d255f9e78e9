/**
 * Masks for showing a few members of an audience to a person: enough to recognise a
 * profile, never the whole identifier. Previews, CLI output and API answers use these;
 * full emails and phones leave the database only for the hashed Meta upload.
 */
const MASK = '***';

// An extension (x4715, ext. 12, #3) is not part of the number whose end we show.
const EXTENSION = /\s*(?:x|ext\.?|extension|#)\s*\d+\s*$/i;

/** `john.doe@example.com` → `j***@example.com`; anything without a local part → `***`. */
export function maskEmail(email: string | null): string | null {
  const value = email?.trim();
  if (!value) return null;

  const at = value.lastIndexOf('@');
  if (at <= 0) return MASK;
  const first = Array.from(value)[0] ?? '';
  return `${first}${MASK}${value.slice(at)}`;
}

/** `846-790-4623x4715` → `***4623`; a number of fewer than 7 digits shows none of them. */
export function maskPhone(phone: string | null): string | null {
  const value = phone?.trim();
  if (!value) return null;

  const digits = value.replace(EXTENSION, '').replace(/\D/g, '');
  return digits.length >= 7 ? `${MASK}${digits.slice(-4)}` : MASK;
}
