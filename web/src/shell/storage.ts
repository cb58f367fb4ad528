// The shell's own sessionStorage keys: the record being viewed and the last activity (for the idle timer).
// Storage can be unavailable (private modes, blocked cookies): then the values live in memory only.

export const PATIENT_KEY = 'portal.patient';
export const ACTIVITY_KEY = 'portal.lastActivity';
/** Set when the header shows the record switcher, so a reload holds its place while the account loads. */
export const RECORD_BAR_KEY = 'portal.recordBar';
/** Set while the banner "Acting for …" shows, so a reload holds its place too. */
export const ACTING_KEY = 'portal.acting';

export function readStorage(key: string): string | null {
  try {
    return sessionStorage.getItem(key);
  } catch {
    return null;
  }
}

export function writeStorage(key: string, value: string | null): void {
  try {
    if (value === null) sessionStorage.removeItem(key);
    else sessionStorage.setItem(key, value);
  } catch {
    /* memory only */
  }
}
