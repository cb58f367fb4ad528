// The steps after the password when Cognito asks for them: a new password (first sign-in), and the code
// from an authenticator app.

import { useEffect, useRef, useState } from 'preact/hooks';
import { describeAuthError, joinList, PASSWORD_POLICY, passwordProblems } from '../../../shared/cognito';
import { Field, Notice, Page, PasswordInput, ShowPassword, TextField } from '../../../shared/ui/ui';
import { useApp } from '../../../shared/context';
import type { SignInStep } from '../../../shared/session';

/** Focus moves to the error when one appears, so screen readers announce it. */
export function useFocusOnError(error: string | null) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (error) ref.current?.focus();
  }, [error]);
  return ref;
}

export function NewPasswordForm({
  username,
  session: challengeSession,
  onStep,
  onRestart,
}: {
  username: string;
  session: string;
  onStep: (s: SignInStep) => string | null;
  onRestart: () => void;
}) {
  const { session } = useApp();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [show, setShow] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<{ password?: string; confirm?: string }>({});
  const errorRef = useFocusOnError(error);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const problems = passwordProblems(password);
    const next: { password?: string; confirm?: string } = {};
    if (problems.length) next.password = `Your password needs ${joinList(problems)}.`;
    if (!next.password && confirm !== password) next.confirm = "The passwords don't match.";
    setFieldErrors(next);
    if (next.password || next.confirm) {
      setError(null);
      document.getElementById(next.password ? 'new-password' : 'confirm-password')?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const problem = onStep(await session.completeNewPassword(username, challengeSession, password));
      if (problem) setError(problem);
    } catch (e) {
      setError(describeAuthError(e, 'newPassword'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card auth-card">
      <Page
        title="Choose a new password"
        lead="This is your first sign-in, so please replace the temporary password you were given with one only you know."
      >
        <div aria-live="assertive">
          {error ? (
            <Notice tone="error" focusRef={errorRef}>
              <p>{error}</p>
            </Notice>
          ) : null}
        </div>
        <form onSubmit={submit} noValidate class="stack">
          {/* Lets password managers save the new password against the right account. */}
          <input type="text" name="username" autoComplete="username" value={username} readOnly hidden />
          <Field id="new-password" label="New password" hint={PASSWORD_POLICY} error={fieldErrors.password}>
            {(describedBy, invalid) => (
              <PasswordInput
                id="new-password"
                value={password}
                onValue={setPassword}
                autoComplete="new-password"
                describedBy={describedBy}
                invalid={invalid}
                show={show}
              />
            )}
          </Field>
          <Field id="confirm-password" label="Confirm new password" error={fieldErrors.confirm}>
            {(describedBy, invalid) => (
              <PasswordInput
                id="confirm-password"
                value={confirm}
                onValue={setConfirm}
                autoComplete="new-password"
                describedBy={describedBy}
                invalid={invalid}
                show={show}
              />
            )}
          </Field>
          <ShowPassword id="newpw-show" checked={show} onChange={setShow} />
          <button type="submit" class="button button--primary button--block" aria-disabled={busy ? 'true' : undefined}>
            {busy ? 'Saving…' : 'Save password and continue'}
          </button>
        </form>
        <p class="auth-links">
          <button type="button" class="link-button" onClick={onRestart}>
            Start again
          </button>
        </p>
      </Page>
    </section>
  );
}

export function MfaForm({
  username,
  session: challengeSession,
  onStep,
  onRestart,
}: {
  username: string;
  session: string;
  onStep: (s: SignInStep) => string | null;
  onRestart: () => void;
}) {
  const { session } = useApp();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const errorRef = useFocusOnError(error);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    if (!/^\d{6}$/.test(code.trim())) {
      setError('Enter the 6-digit code from your authenticator app.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const problem = onStep(await session.completeMfa(username, challengeSession, code.trim()));
      if (problem) setError(problem);
    } catch (e) {
      setError(describeAuthError(e, 'newPassword'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card auth-card">
      <Page title="Enter your security code" lead="Open your authenticator app and enter the 6-digit code it shows.">
        <div aria-live="assertive">
          {error ? (
            <Notice tone="error" focusRef={errorRef}>
              <p>{error}</p>
            </Notice>
          ) : null}
        </div>
        <form onSubmit={submit} noValidate class="stack">
          <TextField
            id="mfa-code"
            label="Security code"
            value={code}
            onValue={setCode}
            autoComplete="one-time-code"
            inputMode="numeric"
            pattern="[0-9]*"
            maxLength={6}
            class="input--short"
          />
          <button type="submit" class="button button--primary button--block" aria-disabled={busy ? 'true' : undefined}>
            {busy ? 'Checking…' : 'Continue'}
          </button>
        </form>
        <p class="auth-links">
          <button type="button" class="link-button" onClick={onRestart}>
            Start again
          </button>
        </p>
      </Page>
    </section>
  );
}
