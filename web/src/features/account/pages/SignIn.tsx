import { msg, t } from '@lingui/core/macro';
import { Trans } from '@lingui/react/macro';
import '../account.css';
import type { MessageDescriptor } from '@lingui/core';
import { useState } from 'preact/hooks';
import { i18n } from '../../../shared/i18n';
import { describeAuthError, looksLikeEmail } from '../../../shared/cognito';
import { useLoad } from '../../../shared/hooks/useLoad';
import { enrolmentApi } from '../../enrolment/api';
import { Icon } from '../../../shared/ui/Icons';
import { Notice, Page, TextField } from '../../../shared/ui/ui';
import { useApp } from '../../../shared/context';
import { Link, requestFocus } from '../../../router';
import type { SignInStep } from '../../../shared/session';
import { AuthError, AuthSubmit, PasswordFields } from './AuthParts';
import { MfaForm, NewPasswordForm } from './SignInChallenges';

export type AuthNotice = 'user' | 'idle' | 'expired' | 'passwordReset' | 'passwordChanged';

const NOTICES: Record<AuthNotice, { tone: 'info' | 'success' | 'warning'; text: MessageDescriptor }> = {
  user: { tone: 'success', text: msg`You have signed out.` },
  idle: { tone: 'warning', text: msg`You were signed out after 15 minutes of inactivity.` },
  expired: { tone: 'warning', text: msg`Your session has ended. Please sign in again.` },
  passwordReset: { tone: 'success', text: msg`Your password has been changed. Sign in with your new password.` },
  passwordChanged: {
    tone: 'success',
    text: msg`Your password has been changed, and you have been signed out on every device. Sign in with your new password.`,
  },
};

type Step =
  | { kind: 'credentials' }
  | { kind: 'newPassword'; username: string; session: string }
  | { kind: 'mfa'; username: string; session: string };

export function SignInPage({ notice }: { notice: AuthNotice | null }) {
  const [step, setStep] = useState<Step>({ kind: 'credentials' });

  const onStep = (next: SignInStep): string | null => {
    switch (next.kind) {
      case 'signedIn':
        return null; // the app re-renders signed in
      case 'newPasswordRequired':
        requestFocus();
        setStep({ kind: 'newPassword', username: next.username, session: next.session });
        return null;
      case 'mfaRequired':
        requestFocus();
        setStep({ kind: 'mfa', username: next.username, session: next.session });
        return null;
      default:
        return t`This account needs a sign-in step the portal doesn't support yet. Please contact the clinic.`;
    }
  };

  const restart = () => {
    requestFocus();
    setStep({ kind: 'credentials' });
  };
  const Challenge = step.kind === 'newPassword' ? NewPasswordForm : MfaForm;

  return (
    <div class="auth-layout">
      {step.kind === 'credentials' ? (
        <CredentialsForm notice={notice} onStep={onStep} />
      ) : (
        <Challenge key={step.kind} username={step.username} session={step.session} onStep={onStep} onRestart={restart} />
      )}
      <AuthAside />
    </div>
  );
}

function AuthAside() {
  const { clinic, openHelp } = useApp();
  return (
    <section class="auth-aside" aria-labelledby="about-portal">
      <h2 id="about-portal">{t`Your health, in one secure place`}</h2>
      <ul class="feature-list">
        <li>
          <Icon name="user" />
          <span>{t`Keep your contact details and emergency contact up to date.`}</span>
        </li>
        <li>
          <Icon name="eye" />
          <span>{t`See who at the clinic has viewed your record.`}</span>
        </li>
        <li>
          <Icon name="lock" />
          <span>{t`Your information is private and protected.`}</span>
        </li>
      </ul>
      <p class="aside-help">
        {clinic ? (
          <Trans>
            New to the portal or can't sign in? Call <a href={`tel:${clinic.phone}`}>{clinic.phone_display}</a> or{' '}
            <button type="button" class="link-button" onClick={openHelp}>
              see Help
            </button>
            .
          </Trans>
        ) : (
          <Trans>
            New to the portal or can't sign in?{' '}
            <button type="button" class="link-button" onClick={openHelp}>
              See Help
            </button>
            .
          </Trans>
        )}
      </p>
    </section>
  );
}

function CredentialsForm({ notice, onStep }: { notice: AuthNotice | null; onStep: (s: SignInStep) => string | null }) {
  const { api, session, clinic } = useApp();
  // Whether the clinic takes account requests from people it has not invited (public, so no sign-in).
  const settings = useLoad(() => enrolmentApi(api).activationSettings(), []);
  const selfRegistration = settings.data?.self_registration === true;
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [missing, setMissing] = useState<{ username?: string; password?: string }>({});

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const nextMissing = {
      ...(username.trim() ? {} : { username: t`Enter your username or email address.` }),
      ...(password ? {} : { password: t`Enter your password.` }),
    };
    setMissing(nextMissing);
    if (nextMissing.username || nextMissing.password) {
      setError(null);
      document.getElementById(nextMissing.username ? 'signin-username' : 'signin-password')?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const step = await session.signIn(username.trim(), password);
      const problem = onStep(step);
      if (problem) setError(problem);
    } catch (e) {
      setError(describeAuthError(e, looksLikeEmail(username) ? 'signInEmail' : 'signIn'));
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  const shownNotice = notice && !error ? NOTICES[notice] : null;

  return (
    <section class="card auth-card">
      <Page title={t`Sign in`} eyebrow={clinic?.name ?? t`Clinic Portal`}>
        {shownNotice ? (
          <Notice tone={shownNotice.tone} role="status">
            <p>{i18n._(shownNotice.text)}</p>
          </Notice>
        ) : null}
        <AuthError error={error} />
        <form onSubmit={submit} noValidate class="stack">
          <TextField
            id="signin-username"
            label={t`Username or email`}
            value={username}
            onValue={setUsername}
            autoComplete="username"
            autoCapitalize="none"
            spellcheck={false}
            required
            error={missing.username}
          />
          <PasswordFields
            fields={[{ id: 'signin-password', label: t`Password`, error: missing.password, value: password, onValue: setPassword }]}
            autoComplete="current-password"
            showId="signin-show"
          />
          <AuthSubmit busy={busy} busyLabel={t`Signing in…`}>
            {t`Sign in`}
          </AuthSubmit>
        </form>
        <p class="auth-links">
          <Link href="/forgot-username">{t`Forgot username?`}</Link>
          <Link href="/forgot-password">{t`Forgot password?`}</Link>
        </p>
        <div class="auth-new">
          <h2 id="new-here">{t`New to the portal?`}</h2>
          <ul class="auth-new-links" aria-labelledby="new-here">
            <li>
              <Link href="/activate">{t`Activate your account`}</Link>
              <span class="muted small">{t`with the code the clinic gave you`}</span>
            </li>
            {selfRegistration ? (
              <li>
                <Link href="/register">{t`Request an account`}</Link>
                <span class="muted small">{t`no code yet? Ask the clinic for one`}</span>
              </li>
            ) : null}
          </ul>
        </div>
      </Page>
    </section>
  );
}
