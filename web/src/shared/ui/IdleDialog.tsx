import { t } from '@lingui/core/macro';
import { Trans } from '@lingui/react/macro';
import { useEffect, useState } from 'preact/hooks';
import { formatCountdown } from '../idle';
import { Dialog } from './Dialog';

/** The inactivity warning: a live countdown plus "Stay signed in" / "Sign out". */
export function IdleDialog({
  deadline,
  onStay,
  onSignOut,
  now = () => Date.now(),
}: {
  deadline: number | null;
  onStay: () => void;
  onSignOut: () => void;
  now?: () => number;
}) {
  const [remaining, setRemaining] = useState(() => (deadline ? deadline - now() : 0));
  useEffect(() => {
    if (!deadline) return undefined;
    setRemaining(deadline - now());
    const timer = setInterval(() => setRemaining(deadline - now()), 1000);
    return () => clearInterval(timer);
  }, [deadline]);

  const seconds = Math.max(0, Math.ceil(remaining / 1000));
  // Screen readers hear the dialog's description once, then only a few milestones, not every second.
  const milestone = seconds <= 10 ? t`10 seconds left.` : seconds <= 30 ? t`30 seconds left.` : seconds <= 60 ? t`1 minute left.` : '';

  return (
    <Dialog
      open={deadline !== null}
      onClose={onStay}
      id="idle-dialog"
      role="alertdialog"
      title={t`Are you still there?`}
      describedBy="idle-dialog-desc"
      initialFocus="idle-stay"
      dismissible={false}
      footer={
        <>
          <button type="button" id="idle-stay" class="button button--primary" onClick={onStay}>
            {t`Stay signed in`}
          </button>
          <button type="button" class="button button--secondary" onClick={onSignOut}>
            {t`Sign out`}
          </button>
        </>
      }
    >
      <p id="idle-dialog-desc" class="countdown-text">
        <Trans>
          You'll be signed out in{' '}
          <span class="countdown" role="timer" aria-live="off">
            {formatCountdown(remaining)}
          </span>{' '}
          for your security.
        </Trans>
      </p>
      <p class="visually-hidden" aria-live="polite">
        {milestone}
      </p>
    </Dialog>
  );
}
