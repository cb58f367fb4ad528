// "Sign-in and security": two-step sign-in (turned on with the same enrolment staff use; patients may turn
// it off again, after a confirmation) and changing the password. On the patient's profile, and for everyone
// at /security. Loaded on first use (its own chunk, with the QR code drawing).

import '../account.css';
import '../security.css';
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../../../shared/api/client';
import { passwordPolicy } from '../../../shared/cognito';
import { useApp } from '../../../shared/context';
import { Dialog } from '../../../shared/ui/Dialog';
import { Notice, Page } from '../../../shared/ui/ui';
import { mfaApi } from '../mfa';
import { securityText as t } from '../securityText';
import { AuthError, newPasswordError, PasswordFields } from './AuthParts';
import { MfaSetup } from './MfaSetup';

type Level = 2 | 3;

function Heading({ level, id, children }: { level: Level; id: string; children: string }) {
  const Tag = level === 2 ? 'h2' : 'h3';
  return (
    <Tag id={id} tabIndex={-1}>
      {children}
    </Tag>
  );
}

/** The page staff reach from their home (patients find the same on their profile). */
export function SecurityPage() {
  const { me } = useApp();
  return (
    <Page title={t.title} lead={me?.user.role === 'patient' ? t.lead : t.staffLead}>
      <div class="security-cards">
        <TwoStepSignIn level={2} card />
        <ChangePassword level={2} card />
      </div>
    </Page>
  );
}

/** The section on the patient's profile page. */
export function SecuritySection() {
  return (
    <section class="card security-section" id="security" aria-labelledby="security-title">
      <h2 id="security-title">{t.title}</h2>
      <p class="muted">{t.lead}</p>
      <TwoStepSignIn level={3} />
      <ChangePassword level={3} />
    </section>
  );
}

function Block({ card, labelledBy, children }: { card?: boolean; labelledBy: string; children: ComponentChildren }) {
  return (
    <section class={card ? 'card security-block' : 'security-block'} aria-labelledby={labelledBy}>
      {children}
    </section>
  );
}

function TwoStepSignIn({ level, card }: { level: Level; card?: boolean }) {
  const { api, me, reloadMe } = useApp();
  const [enabled, setEnabled] = useState(Boolean(me?.user.mfa_enabled));
  const [enrolling, setEnrolling] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [dialogError, setDialogError] = useState<string | null>(null);
  const [done, setDone] = useState('');
  const [focusHeading, setFocusHeading] = useState(false);
  const isStaff = me?.user.role !== 'patient';

  // After a change the button that made it is gone: focus goes to the heading once any dialog has closed.
  useEffect(() => {
    if (!focusHeading || confirming) return;
    document.getElementById('security-2fa')?.focus();
    setFocusHeading(false);
  }, [focusHeading, confirming]);

  const changed = (on: boolean) => {
    setEnabled(on);
    setEnrolling(false);
    setDone(on ? t.turnedOn : t.turnedOff);
    setFocusHeading(true);
    reloadMe?.();
  };

  const turnOff = async () => {
    if (busy) return;
    setBusy(true);
    setDialogError(null);
    try {
      await mfaApi(api).turnOff();
      setConfirming(false);
      changed(false);
    } catch (e) {
      setDialogError(e instanceof ApiError && e.code === 'network' ? e.message : t.turnOffFailed);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Block card={card} labelledBy="security-2fa">
      <div class="security-head">
        <Heading level={level} id="security-2fa">
          {t.twoStep}
        </Heading>
        <span class={`security-state security-state--${enabled ? 'on' : 'off'}`}>{enabled ? t.twoStepOn : t.twoStepOff}</span>
      </div>
      <div role="status" aria-live="polite">
        {done ? (
          <Notice tone="success">
            <p>{done}</p>
          </Notice>
        ) : null}
      </div>
      <p>{enabled ? t.twoStepOnText : t.twoStepOffText}</p>
      {enabled && isStaff ? <p class="muted">{t.staffMustKeep}</p> : null}
      {enrolling ? (
        <div class="security-enrol">
          <MfaSetup onEnrolled={() => changed(true)} />
          <p>
            <button type="button" class="button button--secondary" onClick={() => setEnrolling(false)}>
              {t.cancelSetup}
            </button>
          </p>
        </div>
      ) : !enabled ? (
        <button
          type="button"
          class="button button--primary"
          onClick={() => {
            setDone('');
            setEnrolling(true);
          }}
        >
          {t.turnOn}
        </button>
      ) : !isStaff ? (
        <button
          type="button"
          class="button button--danger"
          onClick={() => {
            setDone('');
            setDialogError(null);
            setConfirming(true);
          }}
        >
          {t.turnOff}
        </button>
      ) : null}
      <Dialog
        open={confirming}
        onClose={() => !busy && setConfirming(false)}
        id="security-confirm-off"
        role="alertdialog"
        title={t.confirmOffTitle}
        describedBy="security-confirm-off-desc"
        initialFocus="security-keep-on"
        footer={
          <>
            <button type="button" class="button button--danger-solid" onClick={turnOff} aria-disabled={busy ? 'true' : undefined}>
              {busy ? t.turningOff : t.confirmOff}
            </button>
            <button type="button" class="button button--secondary" id="security-keep-on" onClick={() => !busy && setConfirming(false)}>
              {t.keepOn}
            </button>
          </>
        }
      >
        <p id="security-confirm-off-desc">{t.confirmOffText}</p>
        {dialogError ? (
          <Notice tone="error" role="alert">
            <p>{dialogError}</p>
          </Notice>
        ) : null}
      </Dialog>
    </Block>
  );
}

type PasswordField = 'current' | 'next' | 'confirm';
const FIELD_IDS: Record<PasswordField, string> = { current: 'current-password', next: 'new-password', confirm: 'confirm-password' };

function ChangePassword({ level, card }: { level: Level; card?: boolean }) {
  const { api, me, session } = useApp();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<PasswordField, string>>>({});

  const showFieldErrors = (found: Partial<Record<PasswordField, string>>) => {
    setFieldErrors(found);
    const first = (['current', 'next', 'confirm'] as const).find((f) => found[f]);
    if (first) document.getElementById(FIELD_IDS[first])?.focus();
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const found: Partial<Record<PasswordField, string>> = {};
    if (!current) found.current = t.enterCurrent;
    const policy = newPasswordError(next);
    if (policy) found.next = policy;
    else if (next === current) found.next = t.sameAsCurrent;
    if (!found.next && confirm !== next) found.confirm = t.noMatch;
    setError(null);
    if (Object.keys(found).length) {
      showFieldErrors(found);
      return;
    }
    setFieldErrors({});
    setBusy(true);
    try {
      await mfaApi(api).changePassword(current, next);
      // The API signed this account out everywhere: sign in again with the new password.
      session.signOut('passwordChanged');
    } catch (e) {
      setBusy(false);
      if (e instanceof ApiError && e.fields.current_password) {
        setCurrent('');
        showFieldErrors({ current: t.wrongCurrent });
      } else if (e instanceof ApiError && e.fields.new_password) {
        showFieldErrors({ next: newPasswordError(next) ?? t.newRefused });
      } else if (e instanceof ApiError && e.status === 429) {
        setError(t.tooManyAttempts);
      } else {
        setError(e instanceof ApiError && e.code === 'network' ? e.message : t.failed);
      }
    }
  };

  return (
    <Block card={card} labelledBy="security-password">
      <Heading level={level} id="security-password">
        {t.password}
      </Heading>
      <p>{t.passwordLead}</p>
      <AuthError error={error} />
      <form onSubmit={submit} noValidate class="stack security-password-form">
        {/* Lets password managers save the new password against the right account. */}
        <input type="text" name="username" autoComplete="username" value={me?.user.username ?? ''} readOnly hidden />
        <PasswordFields
          fields={[
            {
              id: FIELD_IDS.current,
              label: t.currentPassword,
              error: fieldErrors.current,
              value: current,
              onValue: setCurrent,
              autoComplete: 'current-password',
            },
            { id: FIELD_IDS.next, label: t.newPassword, hint: passwordPolicy(), error: fieldErrors.next, value: next, onValue: setNext },
            { id: FIELD_IDS.confirm, label: t.confirmPassword, error: fieldErrors.confirm, value: confirm, onValue: setConfirm },
          ]}
          autoComplete="new-password"
          showId="security-show-passwords"
        />
        <div>
          <button type="submit" class="button button--primary" aria-disabled={busy ? 'true' : undefined}>
            {busy ? t.changing : t.changePassword}
          </button>
        </div>
      </form>
    </Block>
  );
}
