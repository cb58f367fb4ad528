// Half-written messages kept in this browser, so a sign-out for inactivity loses nothing: keyed by the
// account (another person signing in here never sees them), restored when the same person signs back in,
// and all removed at an explicit sign-out (nothing of a patient's left behind on a shared computer).

const PREFIX = 'portal.draft.';

export type Draft = Record<string, string>;

function key(username: string, slot: string): string {
  return `${PREFIX}${encodeURIComponent(username)}.${slot}`;
}

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // storage turned off: drafts simply aren't kept
  }
}

export function loadDraft(username: string | null, slot: string): Draft | null {
  const store = storage();
  if (!store || !username) return null;
  try {
    const raw = store.getItem(key(username, slot));
    const parsed: unknown = raw ? JSON.parse(raw) : null;
    if (!parsed || typeof parsed !== 'object') return null;
    return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch {
    return null;
  }
}

/** Keep the draft (or forget it when every field is blank). */
export function saveDraft(username: string | null, slot: string, draft: Draft): void {
  const store = storage();
  if (!store || !username) return;
  try {
    if (Object.values(draft).every((v) => v.trim() === '')) store.removeItem(key(username, slot));
    else store.setItem(key(username, slot), JSON.stringify(draft));
  } catch {
    /* full or refused: the draft is only a convenience */
  }
}

export function clearDraft(username: string | null, slot: string): void {
  if (username) storage()?.removeItem(key(username, slot));
}

/** Every draft of every account in this browser (an explicit sign-out). */
export function clearAllDrafts(): void {
  const store = storage();
  if (!store) return;
  const keys: string[] = [];
  for (let i = 0; i < store.length; i += 1) {
    const k = store.key(i);
    if (k?.startsWith(PREFIX)) keys.push(k);
  }
  for (const k of keys) store.removeItem(k);
}
