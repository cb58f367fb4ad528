// The steps after the password when Cognito asks for them: a new password (first sign-in), and the code
// from an authenticator app.

import { t } from '@lingui/core/macro';
import { useState } from 'preact/hooks';
import { describeAuthError, passwordPolicy } from '../../../shared/cognito';
import { Page, TextField } from '../../../shared/ui/ui';
import { useApp } from '../../../shared/context';
import type { SignInStep } from '../../../shared/session';
import { AuthBackLink, AuthError, AuthSubmit, newPasswordError, PasswordFields } from './AuthParts';

interface ChallengeProps {
  username: string;
  /** Cognito's session for this challenge. */
  session: string;
  onStep: (s: SignInStep) => string | null;
  onRestart: () => void;
}

export function NewPasswordForm({ username, session: challengeSession, onStep, onRestart }: ChallengeProps) {
  const { session } = useApp();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<{ password?: string; confirm?: string }>({});

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const next: { password?: string; confirm?: string } = {};
    const problem = newPasswordError(password);
    if (problem) next.password = problem;
    if (!next.password && confirm !== password) next.confirm = t`The passwords don't match.`;
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
        title={t`Choose a new password`}
        lead={t`This is your first sign-in, so please replace the temporary password you were given with one only you know.`}
      >
        <AuthError error={error} />
        <form onSubmit={submit} noValidate class="stack">
          {/* Lets password managers save the new password against the right account. */}
          <input type="text" name="username" autoComplete="username" value={username} readOnly hidden />
          <PasswordFields
            fields={[
              { id: 'new-password', label: t`New password`, hint: passwordPolicy(), error: fieldErrors.password, value: password, onValue: setPassword },
              { id: 'confirm-password', label: t`Confirm new password`, error: fieldErrors.confirm, value: confirm, onValue: setConfirm },
            ]}
            autoComplete="new-password"
            showId="newpw-show"
          />
          <AuthSubmit busy={busy} busyLabel={t`Saving…`}>
            {t`Save password and continue`}
          </AuthSubmit>
        </form>
        <AuthBackLink onClick={onRestart}>{t`Start again`}</AuthBackLink>
      </Page>
    </section>
  );
}

export function MfaForm({ username, session: challengeSession, onStep, onRestart }: ChallengeProps) {
  const { session } = useApp();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    if (!/^\d{6}$/.test(code.trim())) {
      setError(t`Enter the 6-digit code from your authenticator app.`);
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
      <Page title={t`Enter your security code`} lead={t`Open your authenticator app and enter the 6-digit code it shows.`}>
        <AuthError error={error} />
        <form onSubmit={submit} noValidate class="stack">
          <TextField
            id="mfa-code"
            label={t`Security code`}
            value={code}
            onValue={setCode}
            autoComplete="one-time-code"
            inputMode="numeric"
            pattern="[0-9]*"
            maxLength={6}
            class="input--short"
          />
          <AuthSubmit busy={busy} busyLabel={t`Checking…`}>
            {t`Continue`}
          </AuthSubmit>
        </form>
        <AuthBackLink onClick={onRestart}>{t`Start again`}</AuthBackLink>
      </Page>
    </section>
  );
}
