import { t } from '@lingui/core/macro';
import '../account.css';
import { useState } from 'preact/hooks';
import { type CognitoClient, CognitoError, describeAuthError, passwordPolicy } from '../../../shared/cognito';
import { Page, TextField } from '../../../shared/ui/ui';
import { Link, requestFocus } from '../../../router';
import { AuthBackLink, AuthError, AuthSubmit, newPasswordError, PasswordFields } from './AuthParts';

type Step = { kind: 'request' } | { kind: 'confirm'; username: string; destination: string | null };

/** Two steps: ask for a code, then set a new password with it. Never reveals whether an account exists. */
export function ForgotPasswordPage({ cognito, onDone }: { cognito: CognitoClient; onDone: () => void }) {
  const [step, setStep] = useState<Step>({ kind: 'request' });
  return (
    <div class="auth-layout auth-layout--single">
      <section class="card auth-card">
        {step.kind === 'request' ? (
          <RequestCode cognito={cognito} onSent={(username, destination) => {
              requestFocus();
              setStep({ kind: 'confirm', username, destination });
            }} />
        ) : (
          <ConfirmCode
            cognito={cognito}
            username={step.username}
            destination={step.destination}
            onDone={onDone}
            onRestart={() => {
              requestFocus();
              setStep({ kind: 'request' });
            }}
          />
        )}
      </section>
    </div>
  );
}

function RequestCode({
  cognito,
  onSent,
}: {
  cognito: CognitoClient;
  onSent: (username: string, destination: string | null) => void;
}) {
  const [username, setUsername] = useState('');
  const [busy, setBusy] = useState(false);
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const name = username.trim();
    if (!name) {
      setFieldError(t`Enter your username.`);
      document.getElementById('reset-username')?.focus();
      return;
    }
    setFieldError(undefined);
    setBusy(true);
    setError(null);
    try {
      const delivery = await cognito.forgotPassword(name);
      onSent(name, delivery.destination);
    } catch (e) {
      // Unknown users move on exactly like known ones, so the form can't be used to probe for accounts.
      if (e instanceof CognitoError && (e.type === 'UserNotFoundException' || e.type === 'NotAuthorizedException')) {
        onSent(name, null);
      } else {
        setError(describeAuthError(e, 'reset'));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title={t`Reset your password`} lead={t`Enter your username and we'll send a code to the email or phone on your account.`}>
      <AuthError error={error} />
      <form onSubmit={submit} noValidate class="stack">
        <TextField
          id="reset-username"
          label={t`Username`}
          value={username}
          onValue={setUsername}
          autoComplete="username"
          autoCapitalize="none"
          spellcheck={false}
          error={fieldError}
        />
        <AuthSubmit busy={busy} busyLabel={t`Sending…`}>
          {t`Send code`}
        </AuthSubmit>
      </form>
      <p class="auth-links">
        <Link href="/">{t`Back to sign in`}</Link>
      </p>
    </Page>
  );
}

function ConfirmCode({
  cognito,
  username,
  destination,
  onDone,
  onRestart,
}: {
  cognito: CognitoClient;
  username: string;
  destination: string | null;
  onDone: () => void;
  onRestart: () => void;
}) {
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<{ code?: string; password?: string }>({});
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const next: { code?: string; password?: string } = {};
    if (!code.trim()) next.code = t`Enter the code we sent you.`;
    const problem = newPasswordError(password);
    if (problem) next.password = problem;
    setErrors(next);
    if (next.code || next.password) {
      document.getElementById(next.code ? 'reset-code' : 'reset-password')?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await cognito.confirmForgotPassword(username, code.trim(), password);
      onDone();
    } catch (e) {
      setError(describeAuthError(e, 'reset'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page
      title={t`Check your messages`}
      lead={
        destination
          ? t`If ${username} has an account, we sent a code to ${destination}.`
          : t`If ${username} has an account, we sent a code to the email or phone on file.`
      }
    >
      <AuthError error={error} />
      <form onSubmit={submit} noValidate class="stack">
        <input type="text" name="username" autoComplete="username" value={username} readOnly hidden />
        <TextField
          id="reset-code"
          label={t`Code`}
          value={code}
          onValue={setCode}
          autoComplete="one-time-code"
          inputMode="numeric"
          class="input--short"
          error={errors.code}
        />
        <PasswordFields
          fields={[
            { id: 'reset-password', label: t`New password`, hint: passwordPolicy(), error: errors.password, value: password, onValue: setPassword },
          ]}
          autoComplete="new-password"
          showId="reset-show"
        />
        <AuthSubmit busy={busy} busyLabel={t`Saving…`}>
          {t`Set new password`}
        </AuthSubmit>
      </form>
      <AuthBackLink onClick={onRestart}>{t`Didn't get a code? Send another`}</AuthBackLink>
    </Page>
  );
}
