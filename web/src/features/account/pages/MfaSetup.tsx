// Enrolling an authenticator app: a QR code to scan (the QR library loads only here), the secret as text
// for typing in by hand, and the code the app then shows.

import { t } from '@lingui/core/macro';
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../../../shared/api/client';
import { useApp } from '../../../shared/context';
import { Loading, Notice, TextField } from '../../../shared/ui/ui';
import { cleanCode, groupSecret, mfaApi, qrPath, type TotpSetup } from '../mfa';
import { AuthError, AuthSubmit } from './AuthParts';

function QrCode({ text }: { text: string }) {
  const [modules, setModules] = useState<boolean[][] | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    import('uqr')
      .then(({ encode }) => live && setModules(encode(text, { ecc: 'M', border: 0 }).data))
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [text]);
  if (failed) return <p>{t`The QR code could not be drawn: enter the key below instead.`}</p>;
  if (!modules) return <Loading label={t`Drawing the QR code…`} />;
  const size = modules.length;
  return (
    <svg
      class="qr-code"
      role="img"
      aria-label={t`QR code for your authenticator app`}
      viewBox={`-4 -4 ${size + 8} ${size + 8}`}
      shape-rendering="crispEdges"
    >
      <rect x="-4" y="-4" width={size + 8} height={size + 8} fill="#fff" />
      <path d={qrPath(modules)} fill="#000" />
    </svg>
  );
}

export function MfaSetup({ onEnrolled }: { onEnrolled: () => void }) {
  const { api } = useApp();
  const [setup, setSetup] = useState<TotpSetup | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [code, setCode] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    setLoadError(null);
    mfaApi(api)
      .startSetup()
      .then((s) => live && setSetup(s))
      .catch((e: unknown) => {
        if (live) setLoadError(e instanceof ApiError && e.code === 'network' ? e.message : t`Please try again in a moment.`);
      });
    return () => {
      live = false;
    };
  }, [attempt]);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const typed = cleanCode(code);
    if (!/^\d{6}$/.test(typed)) {
      setFieldError(t`Enter the 6-digit code from your authenticator app.`);
      setError(null);
      document.getElementById('mfa-setup-code')?.focus();
      return;
    }
    setFieldError(undefined);
    setBusy(true);
    setError(null);
    try {
      await mfaApi(api).verify(typed);
      onEnrolled();
    } catch (e) {
      if (e instanceof ApiError && e.status === 400) {
        setError(t`That code isn't right. Check that your phone's clock is set automatically, then enter the code the app shows now.`);
      } else if (e instanceof ApiError && e.status === 409) {
        setError(t`This set-up has expired. We have made a new code: scan it again.`);
        setSetup(null);
        setAttempt((a) => a + 1);
      } else {
        setError(e instanceof ApiError && e.code === 'network' ? e.message : t`Something went wrong. Please try again in a moment.`);
      }
      setCode('');
    } finally {
      setBusy(false);
    }
  };

  if (loadError) {
    return (
      <Notice tone="error" role="alert" title={t`We couldn't start the set-up`}>
        <p>{loadError}</p>
        <button type="button" class="button button--secondary" onClick={() => setAttempt((a) => a + 1)}>
          {t`Try again`}
        </button>
      </Notice>
    );
  }
  if (!setup) return <Loading label={t`Preparing your set-up code…`} />;
  return (
    <div class="stack mfa-setup">
      <ol class="mfa-steps">
        <li>
          <p>{t`Open an authenticator app on your phone (for example Google Authenticator, Microsoft Authenticator or 1Password) and add an account.`}</p>
        </li>
        <li>
          <p>{t`Scan this QR code with the app:`}</p>
          <QrCode text={setup.otpauth_uri} />
          <p>{t`Can't scan it? Choose “enter a setup key” in the app and type this key (a time-based key for ${setup.account_name}):`}</p>
          <p>
            <code class="mfa-secret" aria-label={t`Setup key: ${setup.secret.split('').join(' ')}`}>
              {groupSecret(setup.secret)}
            </code>
          </p>
        </li>
        <li>
          <p>{t`Enter the 6-digit code the app now shows for ${setup.issuer}.`}</p>
        </li>
      </ol>
      <AuthError error={error} />
      <form onSubmit={submit} noValidate class="stack">
        <TextField
          id="mfa-setup-code"
          label={t`Code from your app`}
          value={code}
          onValue={setCode}
          autoComplete="one-time-code"
          inputMode="numeric"
          pattern="[0-9]*"
          maxLength={7}
          error={fieldError}
          class="input--short"
        />
        <AuthSubmit busy={busy} busyLabel={t`Checking…`}>
          {t`Turn on two-step sign-in`}
        </AuthSubmit>
      </form>
    </div>
  );
}
