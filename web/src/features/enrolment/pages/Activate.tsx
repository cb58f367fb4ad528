// The public activation page (/activate): code + birth date + the clinic's second fact, then a username and
// password; then the new account is signed in and lands on the record.

import { t } from '@lingui/core/macro';
import '../../account/account.css';
import '../enrolment.css';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError } from '../../../shared/api/client';
import { Notice, Page, TextField } from '../../../shared/ui/ui';
import { useApp } from '../../../shared/context';
import { capitalize } from '../../../shared/format';
import { navigate, requestFocus } from '../../../router';
import { AuthError, AuthSubmit, newPasswordError, PasswordFields } from '../../account/pages/AuthParts';
import { enrolmentApi, type ActivationCheck, type ActivationFacts, type ActivationSettings } from '../api';
import { type ActivationForm, isoDate, normalizeCode, secondFactLabel, usernameProblem, validateActivation } from '../enrolment';

type Errors = Partial<Record<'code' | 'birth_date' | 'second_fact' | 'username' | 'password' | 'confirm', string>>;

export function ActivatePage() {
  const { api, session, clinic } = useApp();
  const client = useMemo(() => enrolmentApi(api), [api]);
  const [settings, setSettings] = useState<ActivationSettings | null>(null);
  const [form, setForm] = useState<ActivationForm>({ code: '', birth_date: '', second_fact: '' });
  const [checked, setChecked] = useState<{ facts: ActivationFacts; who: ActivationCheck } | null>(null);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    client.activationSettings().then(setSettings, () => setSettings(null));
    const fromLink = new URLSearchParams(location.search).get('code');
    if (fromLink) setForm((f) => ({ ...f, code: fromLink }));
  }, [client]);

  const fact = secondFactLabel(settings);
  const set = (key: keyof ActivationForm) => (value: string) => setForm((f) => ({ ...f, [key]: value }));

  const refused = (e: unknown): string => {
    if (e instanceof ApiError && e.code === 'network') return e.message;
    // Too many attempts from this network: the server says how long to wait.
    if (e instanceof ApiError && e.code === 'too_many_attempts') return capitalize(e.message).replace(/\.?$/, '.');
    if (e instanceof ApiError && e.code === 'activation_refused') {
      if (!clinic) return t`We couldn't confirm these details. Check the code and the details you entered, or call the clinic for a new code.`;
      const { name, phone_display: phone } = clinic;
      return t`We couldn't confirm these details. Check the code and the details you entered, or call ${name} at ${phone} for a new code.`;
    }
    return t`Something went wrong on our side. Please try again.`;
  };

  const check = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const problems = validateActivation(form);
    setErrors(problems);
    setError(null);
    if (Object.keys(problems).length > 0) {
      setError(t`Check the details marked below.`);
      return;
    }
    const facts = { code: normalizeCode(form.code), birth_date: isoDate(form.birth_date) ?? '', second_fact: form.second_fact.trim() };
    setBusy(true);
    try {
      const who = await client.check(facts);
      requestFocus();
      setChecked({ facts, who });
    } catch (e) {
      setError(refused(e));
    } finally {
      setBusy(false);
    }
  };

  const complete = async (event: Event) => {
    event.preventDefault();
    if (busy || !checked) return;
    const problems: Errors = {};
    const nameProblem = usernameProblem(username);
    if (nameProblem) problems.username = nameProblem;
    const weak = newPasswordError(password);
    if (weak) problems.password = weak;
    if (!weak && confirm !== password) problems.confirm = t`The passwords do not match.`;
    setErrors(problems);
    setError(null);
    if (Object.keys(problems).length > 0) {
      setError(t`Check the details marked below.`);
      return;
    }
    setBusy(true);
    try {
      const done = await client.complete({ ...checked.facts, username: username.trim(), password });
      await session.signIn(done.username, password);
      navigate('/record', { replace: true });
    } catch (e) {
      if (e instanceof ApiError && e.status === 409 && e.fields.username) {
        setErrors({ username: t`This username is taken. Choose another.` });
        setError(t`Check the details marked below.`);
      } else if (e instanceof ApiError && e.fields.password) {
        setErrors({ password: t`Choose a stronger password.` });
        setError(t`Check the details marked below.`);
      } else {
        setError(refused(e));
      }
    } finally {
      setBusy(false);
    }
  };

  if (checked) {
    const name = checked.who.first_name;
    const lead =
      checked.who.kind === 'caregiver'
        ? t`Hello ${name}. Choose a username and password to open the record you were invited to.`
        : t`Hello ${name}. Choose a username and password to open your health record.`;
    return (
      <Page title={t`Choose your sign-in`} narrow lead={lead}>
        <form class="card auth-card" onSubmit={complete} noValidate>
          <AuthError error={error} />
          <TextField
            id="activate-username"
            label={t`Username`}
            hint={t`You can use your email address.`}
            value={username}
            onValue={setUsername}
            error={errors.username}
            autoComplete="username"
            autoCapitalize="none"
            spellcheck={false}
            maxLength={128}
          />
          <PasswordFields
            autoComplete="new-password"
            showId="activate-show"
            fields={[
              {
                id: 'activate-password',
                label: t`Password`,
                hint: t`At least 12 characters, with upper- and lower-case letters, a number and a symbol.`,
                error: errors.password,
                value: password,
                onValue: setPassword,
              },
              { id: 'activate-confirm', label: t`Type the password again`, error: errors.confirm, value: confirm, onValue: setConfirm },
            ]}
          />
          <AuthSubmit busy={busy} busyLabel={t`Creating your account…`}>
            {t`Create account and sign in`}
          </AuthSubmit>
        </form>
      </Page>
    );
  }

  return (
    <Page title={t`Activate your portal account`} narrow lead={t`Use the activation code from your letter or email.`}>
      <form class="card auth-card" onSubmit={check} noValidate>
        <AuthError error={error} />
        <TextField
          id="activate-code"
          label={t`Activation code`}
          hint={t`10 letters and numbers, for example K7RX-M3QD-WP`}
          value={form.code}
          onValue={set('code')}
          error={errors.code}
          autoComplete="one-time-code"
          autoCapitalize="characters"
          spellcheck={false}
          maxLength={20}
        />
        <TextField
          id="activate-birth-date"
          label={t`Patient's date of birth`}
          hint={t`MM/DD/YYYY`}
          value={form.birth_date}
          onValue={set('birth_date')}
          error={errors.birth_date}
          inputMode="numeric"
          autoComplete="off"
          maxLength={10}
        />
        <TextField
          id="activate-second-fact"
          label={fact.label}
          hint={fact.hint}
          value={form.second_fact}
          onValue={set('second_fact')}
          error={errors.second_fact}
          inputMode="numeric"
          autoComplete="off"
          maxLength={10}
        />
        <AuthSubmit busy={busy} busyLabel={t`Checking…`}>
          {t`Continue`}
        </AuthSubmit>
        <Notice tone="info">
          <p>{t`After 5 wrong tries the code stops working, and the clinic can send you a new one.`}</p>
        </Notice>
      </form>
    </Page>
  );
}
