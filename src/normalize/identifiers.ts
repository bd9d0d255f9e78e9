import { drop, type Normalized } from './result.ts';

// Something@domain.tld: no whitespace, one @, a dot inside the domain with no empty label.
const EMAIL_SHAPE = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/;

/** EMAIL: lowercase; a value not shaped like an address is dropped (`test` is not one). */
export function normalizeEmail(text: string): Normalized {
  const email = text.toLowerCase();
  return EMAIL_SHAPE.test(email) ? { ok: true, value: email } : drop('invalid_email');
}

/** MADID (IDFA, GAID): lowercase, hyphens kept; never hashed. */
export function normalizeMobileAdvertiserId(text: string): Normalized {
  return CONTROL.test(text) ? drop('control_character') : { ok: true, value: text.toLowerCase() };
}

/** Tabs, newlines and other control characters: no id holds them, and rows are stored tab-joined. */
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * EXTERN_ID: the customer's own id, trimmed and otherwise sent as it is, never
 * hashed. Case is kept: `AB12` and `ab12` may be two customers.
 */
export function normalizeExternalId(text: string): Normalized {
  return CONTROL.test(text) ? drop('control_character') : { ok: true, value: text };
}

const DIGITS = /^\d+$/;

/** APPUID: a Facebook app-scoped user id, which is digits only; never hashed. */
export function normalizeAppUserId(text: string): Normalized {
  return DIGITS.test(text) ? { ok: true, value: text } : drop('invalid_app_user_id');
}
