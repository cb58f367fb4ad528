// "Register a patient" (front desk, admin): the form, and the existing record offered instead of a duplicate.

import { t } from '@lingui/core/macro';
import '../enrolment.css';
import { useMemo, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../../shared/api/client';
import { ErrorSummary, Notice, Page, SelectField, type SummaryItem, TextField } from '../../../shared/ui/ui';
import { useApp } from '../../../shared/context';
import { Link, navigate } from '../../../router';
import { enrolmentApi, type Sex } from '../api';
import {
  EMPTY_REGISTRATION,
  mapRegistrationErrors,
  REGISTRATION_LABELS,
  registrationBody,
  type RegistrationField,
  type RegistrationForm,
  sexes,
  validateRegistration,
} from '../enrolment';

const ORDER: RegistrationField[] = ['given', 'family', 'birth_date', 'sex', 'phone', 'email', 'line1', 'city', 'state', 'postal_code', 'mrn'];
const fieldId = (f: RegistrationField) => `reg-${f.replace(/_/g, '-')}`;

interface Existing {
  id: string;
  display_name: string;
  matched_by: 'mrn' | 'name_and_birth_date';
}

function existingOf(e: ApiError): Existing | null {
  const raw = e.details.existing;
  return raw && typeof raw === 'object' ? (raw as Existing) : null;
}

export function RegisterPatientPage() {
  const { api } = useApp();
  const client = useMemo(() => enrolmentApi(api), [api]);
  const [form, setForm] = useState<RegistrationForm>(EMPTY_REGISTRATION);
  const [errors, setErrors] = useState<Partial<Record<RegistrationField, string>>>({});
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const [existing, setExisting] = useState<Existing | null>(null);
  const [busy, setBusy] = useState(false);
  const summaryRef = useRef<HTMLDivElement>(null);
  const offerRef = useRef<HTMLDivElement>(null);

  const set = (key: RegistrationField) => (value: string) => {
    setForm((f) => ({ ...f, [key]: value }));
    setExisting(null);
  };

  const showErrors = (next: Partial<Record<RegistrationField, string>>, extra: string[] = []) => {
    setErrors(next);
    setUnplaced(extra);
    requestAnimationFrame(() => {
      const first = ORDER.find((f) => next[f]);
      if (first) document.getElementById(fieldId(first))?.focus();
      else summaryRef.current?.focus();
    });
  };

  const save = async (notADuplicate: boolean) => {
    if (busy) return;
    const problems = validateRegistration(form);
    if (Object.keys(problems).length > 0) {
      showErrors(problems);
      return;
    }
    setBusy(true);
    setErrors({});
    setUnplaced([]);
    try {
      const created = await client.register(registrationBody(form, notADuplicate));
      navigate(`/staff/patients/${encodeURIComponent(created.id)}?registered=1`);
    } catch (e) {
      if (e instanceof ApiError && e.status === 409 && existingOf(e)) {
        setExisting(existingOf(e));
        requestAnimationFrame(() => offerRef.current?.focus());
      } else if (e instanceof ApiError && Object.keys(e.fields).length > 0) {
        const mapped = mapRegistrationErrors(e.fields);
        showErrors(mapped.errors, mapped.unplaced);
      } else if (e instanceof ApiError && e.code !== 'unauthorized') {
        showErrors({}, [e.code === 'network' ? e.message : t`We couldn't register this patient. Please try again.`]);
      }
    } finally {
      setBusy(false);
    }
  };

  const summary: SummaryItem[] = [
    ...ORDER.filter((f) => errors[f]).map((f) => ({ target: fieldId(f), text: `${REGISTRATION_LABELS[f]}: ${errors[f]}` })),
    ...unplaced.map((text) => ({ target: null, text })),
  ];
  const text = (f: RegistrationField, extra: Record<string, unknown> = {}) => (
    <TextField id={fieldId(f)} label={REGISTRATION_LABELS[f]} value={form[f]} onValue={set(f)} error={errors[f]} {...extra} />
  );

  return (
    <Page title={t`Register a patient`} lead={t`Add a new patient to the portal. Search first: they may already have a record.`}>
      <p class="sp-back">
        <Link href="/staff/patients">{t`← Patients`}</Link>
      </p>
      <div ref={summaryRef} tabIndex={-1} class="status-anchor">
        <ErrorSummary items={summary} title={t`The patient wasn't registered`} />
      </div>
      {existing ? (
        <div ref={offerRef} tabIndex={-1} class="status-anchor">
          <Notice tone="warning" role="alert" title={t`This patient may already be registered`}>
            <p>
              {existing.matched_by === 'mrn'
                ? t`${existing.display_name} already has this medical record number.`
                : t`${existing.display_name} has the same name and date of birth.`}
            </p>
            <div class="en-actions">
              <Link href={`/staff/patients/${encodeURIComponent(existing.id)}`} class="button button--primary">
                {t`Open the existing record`}
              </Link>
              {existing.matched_by === 'name_and_birth_date' ? (
                <button type="button" class="button button--secondary" disabled={busy} onClick={() => void save(true)}>
                  {t`It's a different person: register anyway`}
                </button>
              ) : null}
            </div>
          </Notice>
        </div>
      ) : null}
      <form
        class="card en-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save(false);
        }}
      >
        <fieldset>
          <legend>{t`Legal name and birth`}</legend>
          <div class="form-grid">
            {text('given', { autoComplete: 'off', maxLength: 60 })}
            {text('family', { autoComplete: 'off', maxLength: 60 })}
            {text('birth_date', { hint: t`MM/DD/YYYY`, inputMode: 'numeric', autoComplete: 'off', maxLength: 10 })}
            <SelectField
              id={fieldId('sex')}
              label={REGISTRATION_LABELS.sex}
              error={errors.sex}
              value={form.sex}
              onValue={(value: Sex) => set('sex')(value)}
              options={sexes()}
            />
          </div>
        </fieldset>
        <fieldset>
          <legend>{t`Contact details`}</legend>
          <div class="form-grid">
            {text('phone', { type: 'tel', optional: true, autoComplete: 'off', maxLength: 30 })}
            {text('email', { type: 'email', optional: true, autoComplete: 'off', maxLength: 254 })}
            {text('line1', { optional: true, autoComplete: 'off', maxLength: 120 })}
            {text('city', { optional: true, autoComplete: 'off', maxLength: 80 })}
            {text('state', { optional: true, autoComplete: 'off', maxLength: 2, hint: t`For example OR` })}
            {text('postal_code', {
              optional: true,
              autoComplete: 'off',
              inputMode: 'numeric',
              maxLength: 10,
              hint: t`Activation asks for it: needed to invite the patient`,
            })}
          </div>
        </fieldset>
        <fieldset>
          <legend>{t`Clinic record`}</legend>
          {text('mrn', { optional: true, autoComplete: 'off', maxLength: 32, hint: t`If the clinic's records system has one` })}
        </fieldset>
        <button type="submit" class="button button--primary" disabled={busy} aria-disabled={busy}>
          {busy ? t`Registering…` : t`Register patient`}
        </button>
      </form>
    </Page>
  );
}
