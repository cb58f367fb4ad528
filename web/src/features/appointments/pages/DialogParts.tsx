// What the appointment list's and the staff schedule's dialogs share: the item kept on screen while the
// dialog closes, the busy flag and error of its one action, the two footer buttons, and the error notice.

import type { ComponentChildren } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { Notice } from '../../../shared/ui/ui';

/** The open item, or while the dialog closes the last one it showed (so its text doesn't vanish). */
export function useShown<T>(item: T | null): T | null {
  const shown = useRef<T | null>(null);
  if (item) shown.current = item;
  return item ?? shown.current;
}

/** Busy flag and error for a dialog's action. `run` ignores a second press while the first is in flight. */
export function useDialogAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const reset = () => {
    setError(null);
    setBusy(false);
  };
  /**
   * Runs `action`; when it throws, `describe` turns the error into the text shown (or null for none).
   * The last error stays on screen while the action runs again unless `clearError` is set.
   */
  const run = async (action: () => Promise<void>, describe: (e: unknown) => string | null, clearError = true) => {
    if (busy) return;
    setBusy(true);
    if (clearError) setError(null);
    try {
      await action();
    } catch (e) {
      setError(describe(e));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, reset, run };
}

/** The dialog's action button (saying what is happening while busy) and the button that closes it. */
export function DialogButtons({
  busy,
  busyLabel,
  label,
  onAction,
  actionClass,
  closeLabel,
  closeId,
  onClose,
}: {
  busy: boolean;
  busyLabel: string;
  label: string;
  onAction: () => void;
  actionClass: string;
  closeLabel: string;
  closeId?: string;
  onClose: () => void;
}) {
  return (
    <>
      <button type="button" class={`button ${actionClass}`} onClick={onAction} aria-disabled={busy ? 'true' : undefined}>
        {busy ? busyLabel : label}
      </button>
      <button type="button" class="button button--secondary" id={closeId} onClick={onClose}>
        {closeLabel}
      </button>
    </>
  );
}

/** The action's error inside the dialog, announced as an alert. */
export function DialogError({ error, children }: { error: string | null; children?: ComponentChildren }) {
  return error ? (
    <Notice tone="error" role="alert">
      <p>{error}</p>
      {children}
    </Notice>
  ) : null;
}
