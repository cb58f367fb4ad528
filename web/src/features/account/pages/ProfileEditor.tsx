// The profile form: contact details, address, language, emergency contact and how the clinic may reach the
// patient; client checks, a minimal PATCH, the API's field errors at their fields, and edit conflicts.

import { t } from '@lingui/core/macro';
import { useRef, useState } from 'preact/hooks';
import { ApiError, type Profile } from '../../../shared/api/client';
import { Icon } from '../../../shared/ui/Icons';
import { ErrorSummary, Field, type SummaryItem, TextField } from '../../../shared/ui/ui';
import { useApp } from '../../../shared/context';
import { formatDate, formatDateTime, LANGUAGES, usStateOptions } from '../../../shared/format';
import {
  buildPatch,
  FIELD_LABELS,
  FIELD_ORDER,
  firstInvalid,
  hasChanges,
  inputId,
  mapApiFieldErrors,
  profileToForm,
  validateForm,
  type FieldErrors,
  type FormKey,
  type ProfileForm,
} from '../profileForm';
import { accountApi } from '../api';
import { CommunicationSection, Section, type Status, StatusNotice } from './ProfileParts';

type TextKey = Exclude<FormKey, 'email_notifications' | 'sms_notifications' | 'preferred_language' | 'preferred_contact_method'>;

/** `patientId` when staff edit a patient's details (their own overview page); else the signed-in patient's. */
export function ProfileEditor({ profile, onSaved, patientId }: { profile: Profile; onSaved: (p: Profile) => void; patientId?: string }) {
  const { api, patient: self } = useApp();
  const patient = patientId ? { id: patientId } : self;
  const [form, setForm] = useState<ProfileForm>(() => profileToForm(profile));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const [busy, setBusy] = useState(false);
  const [base, setBase] = useState(profile);
  const noticeRef = useRef<HTMLDivElement>(null);

  const set =
    <K extends FormKey>(key: K) =>
    (value: ProfileForm[K]) => {
      setForm((f) => ({ ...f, [key]: value }));
      if (status.kind !== 'idle' && status.kind !== 'conflict') setStatus({ kind: 'idle' });
    };

  const showErrors = (next: FieldErrors, extra: string[] = []) => {
    setErrors(next);
    setUnplaced(extra);
    const first = firstInvalid(next);
    // Let the error messages render first so the field's description includes them when focus lands.
    requestAnimationFrame(() => {
      if (first) document.getElementById(inputId(first))?.focus();
      else noticeRef.current?.focus();
    });
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy || !patient) return;
    const clientErrors = validateForm(form);
    if (firstInvalid(clientErrors)) {
      setStatus({ kind: 'idle' });
      showErrors(clientErrors);
      return;
    }
    const patch = buildPatch(form, base);
    setErrors({});
    setUnplaced([]);
    if (!hasChanges(patch)) {
      setStatus({ kind: 'unchanged' });
      return;
    }
    setBusy(true);
    setStatus({ kind: 'idle' });
    try {
      const updated = await accountApi(api).updateProfile(patient.id, patch);
      setBase(updated);
      setForm(profileToForm(updated));
      onSaved(updated);
      setStatus({ kind: 'saved' });
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        try {
          const latest = await accountApi(api).getProfile(patient.id);
          setBase(latest);
          setForm(profileToForm(latest));
          onSaved(latest);
        } catch {
          /* the notice still tells them to review; the next save will surface any problem */
        }
        setStatus({ kind: 'conflict' });
        requestAnimationFrame(() => noticeRef.current?.focus());
      } else if (e instanceof ApiError && e.status === 400 && Object.keys(e.fields).length > 0) {
        const mapped = mapApiFieldErrors(e.fields);
        showErrors(mapped.errors, mapped.unplaced);
      } else if (e instanceof ApiError && e.code !== 'unauthorized') {
        setStatus({
          kind: 'error',
          message:
            e.code === 'network'
              ? e.message
              : e.status === 400
                ? checkEntries(e.message.replace(/\.?$/, '.'))
                : t`We couldn't save your changes. Please try again.`,
          requestId: e.requestId,
        });
        requestAnimationFrame(() => noticeRef.current?.focus());
      }
    } finally {
      setBusy(false);
    }
  };

  // Staff editing a patient's details: the form speaks about the patient, not to them.
  const forStaff = patientId !== undefined;
  const labelOf = (key: FormKey): string =>
    forStaff && key === 'ec_relationship'
      ? t`Relationship to the patient`
      : forStaff && key === 'preferred_contact_method'
        ? t`Preferred way to contact the patient`
        : FIELD_LABELS[key];

  const summary: SummaryItem[] = [
    ...Object.entries(errors)
      .sort(([a], [b]) => FIELD_ORDER.indexOf(a as FormKey) - FIELD_ORDER.indexOf(b as FormKey))
      .map(([key, message]) => ({ target: inputId(key as FormKey), text: `${labelOf(key as FormKey)}: ${message}` })),
    ...unplaced.map((text) => ({ target: null, text })),
  ];

  const err = (key: FormKey) => errors[key];
  const txt = (key: TextKey) => ({
    id: inputId(key),
    label: labelOf(key),
    value: form[key],
    onValue: set(key),
    error: err(key),
  });

  return (
    <form onSubmit={submit} noValidate class="profile-form" aria-describedby="profile-status">
      <ErrorSummary items={summary} />
      <div ref={noticeRef} tabIndex={-1} class="status-anchor">
        <div id="profile-status" role="status" aria-live="polite">
          <StatusNotice status={status} />
        </div>
      </div>

      <Section id="sec-identity" title={t`Legal name and date of birth`}>
        <dl class="readonly-list">
          <div>
            <dt>{t`Legal name`}</dt>
            <dd>
              {base.legal_name.given} {base.legal_name.family}
            </dd>
          </div>
          <div>
            <dt>{t`Date of birth`}</dt>
            <dd>{formatDate(base.birth_date)}</dd>
          </div>
        </dl>
        <p class="hint-box">
          <Icon name="info" size={20} />
          <span>
            {forStaff
              ? t`Legal name and date of birth are changed through an identity check, not here.`
              : t`To change your legal name or date of birth, contact the clinic.`}
          </span>
        </p>
      </Section>

      <Section
        id="sec-about"
        title={forStaff ? t`About the patient` : t`About you`}
        description={forStaff ? t`How the clinic should address the patient.` : t`How the clinic should address you.`}
      >
        <div class="form-grid">
          <TextField {...txt('preferred_name')} optional autoComplete="nickname" maxLength={60} hint={forStaff ? t`If different from the legal first name.` : t`If different from your legal first name.`} />
          <TextField {...txt('pronouns')} optional autoComplete="off" maxLength={30} hint={t`For example: she/her, he/him, they/them.`} />
          <Field id={inputId('preferred_language')} label={FIELD_LABELS.preferred_language} error={err('preferred_language')}>
            {(describedBy, invalid) => (
              <select
                id={inputId('preferred_language')}
                value={form.preferred_language}
                onChange={(e) => set('preferred_language')((e.currentTarget as HTMLSelectElement).value as ProfileForm['preferred_language'])}
                aria-describedby={describedBy}
                aria-invalid={invalid ? 'true' : undefined}
                autoComplete="language"
              >
                {LANGUAGES.map((l) => (
                  <option key={l.code} value={l.code} lang={l.lang}>
                    {l.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
      </Section>

      <Section id="sec-contact" title={forStaff ? t`Phone and email` : t`Contact details`}>
        <div class="form-grid">
          <TextField
            {...txt('phone')}
            optional
            type="tel"
            inputMode="tel"
            autoComplete="tel"
            maxLength={32}
            hint={t`A US number, like (312) 555-0142.`}
          />
          <TextField
            {...txt('email')}
            optional
            type="email"
            inputMode="email"
            autoComplete="email"
            autoCapitalize="none"
            spellcheck={false}
            maxLength={254}
          />
        </div>
      </Section>

      <Section id="sec-address" title={t`Home address`} description={forStaff ? t`Leave every line blank to remove the address.` : t`Leave every line blank to remove your address.`}>
        <div class="form-grid">
          <TextField {...txt('line1')} autoComplete="address-line1" maxLength={120} fieldClass="span-2" />
          <TextField {...txt('line2')} optional autoComplete="address-line2" maxLength={120} fieldClass="span-2" />
          <TextField {...txt('city')} autoComplete="address-level2" maxLength={80} />
          <Field id={inputId('state')} label={FIELD_LABELS.state} error={err('state')}>
            {(describedBy, invalid) => (
              <select
                id={inputId('state')}
                value={form.state}
                onChange={(e) => set('state')((e.currentTarget as HTMLSelectElement).value)}
                aria-describedby={describedBy}
                aria-invalid={invalid ? 'true' : undefined}
                autoComplete="address-level1"
              >
                <option value="">{t`Choose…`}</option>
                {usStateOptions().map(([code, name]) => (
                  <option key={code} value={code}>
                    {name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <TextField
            {...txt('postal_code')}
            autoComplete="postal-code"
            inputMode="numeric"
            maxLength={10}
            class="input--short"
          />
        </div>
      </Section>

      <Section id="sec-emergency" title={t`Emergency contact`} description={
          forStaff ? t`Someone we can call if we can't reach the patient in an emergency.` : t`Someone we can call if we can't reach you in an emergency.`
        }>
        <div class="form-grid">
          <TextField {...txt('ec_name')} autoComplete="off" maxLength={100} />
          <TextField {...txt('ec_relationship')} autoComplete="off" maxLength={40} hint={t`For example: spouse, parent, friend.`} />
          <TextField {...txt('ec_phone')} type="tel" inputMode="tel" autoComplete="off" maxLength={32} />
        </div>
      </Section>

      <CommunicationSection form={form} err={err} set={set} forStaff={forStaff} />

      <div class="form-actions">
        <button type="submit" class="button button--primary" aria-disabled={busy ? 'true' : undefined}>
          {busy ? t`Saving…` : t`Save changes`}
        </button>
        <p class="muted small">{t`Last updated ${formatDateTime(base.updated_at)}`}</p>
      </div>
    </form>
  );
}

function checkEntries(problem: string): string {
  return t`${problem} Please check your entries and try again.`;
}
