// A modal built on the native <dialog>: the browser makes the rest of the page inert, traps focus and
// handles Escape. We add labelling, initial focus and returning focus to whatever opened it.

import { t } from '@lingui/core/macro';
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { Icon } from './Icons';

interface DialogProps {
  open: boolean;
  onClose: () => void;
  title: string;
  id: string;
  children: ComponentChildren;
  role?: 'dialog' | 'alertdialog';
  /** Escape and the close button are allowed (false for decisions that must be made explicitly). */
  dismissible?: boolean;
  /** Element id to focus when opened; defaults to the dialog's first focusable element. */
  initialFocus?: string;
  describedBy?: string;
  footer?: ComponentChildren;
}

export function Dialog({
  open,
  onClose,
  title,
  id,
  children,
  role = 'dialog',
  dismissible = true,
  initialFocus,
  describedBy,
  footer,
}: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLElement | null>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      if (typeof dialog.showModal === 'function') dialog.showModal();
      else dialog.setAttribute('open', '');
      const target = initialFocus ? document.getElementById(initialFocus) : null;
      target?.focus();
    } else if (!open && dialog.open) {
      if (typeof dialog.close === 'function') dialog.close();
      else dialog.removeAttribute('open');
      const back = opener.current;
      opener.current = null;
      if (back && document.contains(back)) back.focus();
    }
  }, [open, initialFocus]);

  return (
    <dialog
      ref={ref}
      id={id}
      class="dialog"
      role={role === 'alertdialog' ? 'alertdialog' : undefined}
      aria-modal="true"
      aria-labelledby={`${id}-title`}
      aria-describedby={describedBy}
      onCancel={(e) => {
        e.preventDefault();
        if (dismissible) onClose();
      }}
    >
      <div class="dialog-head">
        <h2 id={`${id}-title`}>{title}</h2>
        {dismissible ? (
          <button type="button" class="icon-button" onClick={onClose} aria-label={t`Close`}>
            <Icon name="close" />
          </button>
        ) : null}
      </div>
      <div class="dialog-body">{children}</div>
      {footer ? <div class="dialog-foot">{footer}</div> : null}
    </dialog>
  );
}
