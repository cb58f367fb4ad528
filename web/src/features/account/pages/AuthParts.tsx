// Pieces every sign-in and password form shares: the error that takes focus, the password fields with
// their "Show password" checkbox, the submit button, and the sentence that lists what a new password needs.

import { t } from '@lingui/core/macro';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import { joinList, passwordProblems } from '../../../shared/cognito';
import { Field, Notice, PasswordInput, ShowPassword } from '../../../shared/ui/ui';

/** Focus moves to the error when one appears, so screen readers announce it. */
export function useFocusOnError(error: string | null) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (error) ref.current?.focus();
  }, [error]);
  return ref;
}

/** The form-level error: an assertive live region, and the notice inside it takes focus when it appears. */
export function AuthError({ error }: { error: string | null }) {
  const errorRef = useFocusOnError(error);
  return (
    <div aria-live="assertive">
      {error ? (
        <Notice tone="error" focusRef={errorRef}>
          <p>{error}</p>
        </Notice>
      ) : null}
    </div>
  );
}

export interface PasswordFieldSpec {
  id: string;
  label: string;
  hint?: ComponentChildren;
  error: string | undefined;
  value: string;
  onValue: (v: string) => void;
  /** This field's own autocomplete, where a form mixes the current password with a new one. */
  autoComplete?: 'current-password' | 'new-password';
}

/**
 * The form's password inputs (label, hint and error wired to each) and the one "Show password" checkbox
 * under them that reveals them all.
 */
export function PasswordFields({
  fields,
  autoComplete,
  showId,
}: {
  fields: PasswordFieldSpec[];
  autoComplete: 'current-password' | 'new-password';
  showId: string;
}) {
  const [show, setShow] = useState(false);
  return (
    <>
      {fields.map(({ id, label, hint, error, value, onValue, autoComplete: own }) => (
        <Field key={id} id={id} label={label} hint={hint} error={error}>
          {(describedBy, invalid) => (
            <PasswordInput
              id={id}
              value={value}
              onValue={onValue}
              autoComplete={own ?? autoComplete}
              describedBy={describedBy}
              invalid={invalid}
              show={show}
            />
          )}
        </Field>
      ))}
      <ShowPassword id={showId} checked={show} onChange={setShow} />
    </>
  );
}

/** The full-width primary button that submits an auth form; it says what is happening while busy. */
export function AuthSubmit({ busy, busyLabel, children }: { busy: boolean; busyLabel: string; children: ComponentChildren }) {
  return (
    <button type="submit" class="button button--primary button--block" aria-disabled={busy ? 'true' : undefined}>
      {busy ? busyLabel : children}
    </button>
  );
}

/** What a new password is missing, as a field error, or undefined when it meets the policy. */
export function newPasswordError(password: string): string | undefined {
  const problems = passwordProblems(password);
  const needs = joinList(problems);
  return problems.length ? t`Your password needs ${needs}.` : undefined;
}

/** The link-styled button under a form that goes back a step. */
export function AuthBackLink({ onClick, children }: { onClick: () => void; children: ComponentChildren }) {
  return (
    <p class="auth-links">
      <button type="button" class="link-button" onClick={onClick}>
        {children}
      </button>
    </p>
  );
}
