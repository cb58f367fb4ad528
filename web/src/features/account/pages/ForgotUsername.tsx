import { t } from '@lingui/core/macro';
import '../account.css';
import { useState } from 'preact/hooks';
import { ApiError } from '../../../shared/api/client';
import { useApp } from '../../../shared/context';
import { capitalize } from '../../../shared/format';
import { Notice, Page, TextField } from '../../../shared/ui/ui';
import { mfaApi } from '../mfa';
import { AuthBackLink, AuthError, AuthSubmit } from './AuthParts';

/** Ask for the username(s) on an email address. The answer never says whether an account exists. */
export function ForgotUsernamePage({ onBack }: { onBack: () => void }) {
  const { api } = useApp();
  const [email, setEmail] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [error, setError] = useState<string | null>(null);
  const [answer, setAnswer] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const address = email.trim();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(address)) {
      setFieldError(t`Enter the email address the clinic has for you, like name@example.com.`);
      document.getElementById('forgot-email')?.focus();
      return;
    }
    setFieldError(undefined);
    setError(null);
    setBusy(true);
    try {
      setAnswer((await mfaApi(api).forgotUsername(address)).message);
    } catch (e) {
      if (e instanceof ApiError && e.status === 400) {
        setFieldError(t`Enter the email address the clinic has for you, like name@example.com.`);
      } else if (e instanceof ApiError && e.code === 'too_many_attempts') {
        setError(capitalize(e.message).replace(/\.?$/, '.'));
      } else {
        setError(e instanceof ApiError && e.code === 'network' ? e.message : t`Something went wrong. Please try again in a moment.`);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="auth-layout auth-layout--single">
      <section class="card auth-card">
        <Page title={t`Find your username`} lead={t`We'll email the username of every portal account that uses your email address.`}>
          {answer ? (
            <Notice tone="success" role="status" title={t`Check your email`}>
              <p>{answer}</p>
            </Notice>
          ) : (
            <>
              <AuthError error={error} />
              <form onSubmit={submit} noValidate class="stack">
                <TextField
                  id="forgot-email"
                  label={t`Email address`}
                  type="email"
                  value={email}
                  onValue={setEmail}
                  autoComplete="email"
                  spellcheck={false}
                  error={fieldError}
                />
                <AuthSubmit busy={busy} busyLabel={t`Sending…`}>
                  {t`Email my username`}
                </AuthSubmit>
              </form>
            </>
          )}
          <AuthBackLink onClick={onBack}>{t`Back to sign in`}</AuthBackLink>
        </Page>
      </section>
    </div>
  );
}
