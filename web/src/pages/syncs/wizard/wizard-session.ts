import { newIdempotencyKey } from '../../../api/client.ts';
import { emptyDraft, type SyncDraft } from '../parts/draft.ts';

/**
 * One wizard session survives reloads in sessionStorage: the draft, the step,
 * and the Idempotency-Key that Finish sends. A retried or double-clicked
 * Finish reuses the key, so the server answers with the first result instead
 * of creating a second sync.
 */
const STORAGE_KEY = 'sourcesible.syncWizard';

export interface WizardSession {
  idempotencyKey: string;
  step: number;
  draft: SyncDraft;
  /** True once the person changed anything, so a restore is worth announcing. */
  touched: boolean;
  /**
   * A Finish was sent and its answer never came: the sync may exist. The next
   * Finish must reach the server with the same key and body, so checks that a
   * created sync would itself fail (its name is taken) are skipped.
   */
  maybeCreated?: boolean;
}

export function loadSession(): { session: WizardSession; restored: boolean } {
  try {
    const raw = window.sessionStorage.getItem(STORAGE_KEY);
    if (raw) {
      const parsed = JSON.parse(raw) as WizardSession;
      if (parsed.idempotencyKey && parsed.draft) {
        return {
          session: { ...parsed, draft: { ...emptyDraft(), ...parsed.draft } },
          restored: parsed.touched,
        };
      }
    }
  } catch {
    // A corrupt entry is dropped below; the person starts afresh.
  }
  const session = {
    idempotencyKey: newIdempotencyKey(),
    step: 0,
    draft: emptyDraft(),
    touched: false,
  };
  saveSession(session);
  return { session, restored: false };
}

export function saveSession(session: WizardSession): void {
  try {
    window.sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  } catch {
    // Storage full or disabled: the wizard still works, only without reload safety.
  }
}

export function clearSession(): void {
  window.sessionStorage.removeItem(STORAGE_KEY);
}
