// The patient's saved pharmacies, where refills are sent: add one, remove one.
// Its own form (never nested in the refill form); errors come back per field from the API.

import { msg, t } from '@lingui/core/macro';
import { useRef, useState } from 'preact/hooks';
import { ApiError } from '../../../shared/api/client';
import { ErrorSummary, Notice, SelectField, type SummaryItem, TextField } from '../../../shared/ui/ui';
import { formatPhone, usStateOptions } from '../../../shared/format';
import { i18n } from '../../../shared/i18n';
import type { MessageDescriptor } from '@lingui/core';
import { type Pharmacy, type PharmacyIn, useRefillsApi } from '../api';
import { pharmacyLine } from '../refills';
import { failureText } from '../../messages/pages/MessagesShared';

const EMPTY = { name: '', phone: '', line1: '', line2: '', city: '', state: '', postal_code: '' };
type FormField = keyof typeof EMPTY;

const LABELS: Record<FormField, MessageDescriptor> = {
  name: msg`Pharmacy name`,
  phone: msg`Pharmacy phone`,
  line1: msg`Street address`,
  line2: msg`Apartment, suite, unit`,
  city: msg`City`,
  state: msg`State`,
  postal_code: msg`ZIP code`,
};

// "Enter the …" as whole sentences, so each language words them its own way.
const MISSING: Partial<Record<FormField, MessageDescriptor>> = {
  name: msg`Enter the pharmacy name.`,
  phone: msg`Enter the pharmacy phone.`,
  line1: msg`Enter the street address.`,
  city: msg`Enter the city.`,
  state: msg`Enter the state.`,
  postal_code: msg`Enter the ZIP code.`,
};

/** API field paths ("address.city") to this form's fields ("city"). */
function formField(path: string): FormField | null {
  const last = path.split('.').pop() ?? '';
  return last in EMPTY ? (last as FormField) : null;
}

function check(form: typeof EMPTY): Partial<Record<FormField, string>> {
  const found: Partial<Record<FormField, string>> = {};
  for (const key of ['name', 'phone', 'line1', 'city', 'state', 'postal_code'] as const) {
    if (!form[key].trim()) found[key] = i18n._(MISSING[key]!);
  }
  if (form.postal_code.trim() && !/^\d{5}(-\d{4})?$/.test(form.postal_code.trim())) {
    found.postal_code = t`Enter a 5-digit ZIP code, like 62701.`;
  }
  return found;
}

function savedText(name: string): string {
  return t`${name} is saved. Your refills can go there now.`;
}

function removedText(name: string): string {
  return t`${name} is removed from your pharmacies.`;
}

export function PharmacyManager({
  pid,
  pharmacies,
  onChange,
}: {
  pid: string;
  pharmacies: Pharmacy[];
  onChange: (next: Pharmacy[], added?: Pharmacy) => void;
}) {
  const msg = useRefillsApi();
  const [open, setOpen] = useState(pharmacies.length === 0);
  const [form, setForm] = useState(EMPTY);
  const [errors, setErrors] = useState<Partial<Record<FormField, string>>>({});
  const [status, setStatus] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const statusRef = useRef<HTMLDivElement>(null);
  const id = (field: FormField) => `pharmacy-${field}`;
  const txt = (field: FormField) => ({
    id: id(field),
    label: i18n._(LABELS[field]),
    value: form[field],
    onValue: (value: string) => setForm((current) => ({ ...current, [field]: value })),
    error: errors[field],
  });

  const announce = (tone: 'success' | 'error', text: string) => {
    setStatus({ tone, text });
    requestAnimationFrame(() => statusRef.current?.focus());
  };

  const save = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const found = check(form);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      requestAnimationFrame(() => document.getElementById('pharmacy-error-summary')?.focus());
      return;
    }
    const body: PharmacyIn = {
      name: form.name.trim(),
      phone: form.phone.trim(),
      address: {
        line1: form.line1.trim(),
        line2: form.line2.trim() || null,
        city: form.city.trim(),
        state: form.state,
        postal_code: form.postal_code.trim(),
      },
      ncpdp_id: null,
    };
    setBusy(true);
    try {
      const added = await msg.addPharmacy(pid, body);
      onChange([...pharmacies, added], added);
      setForm(EMPTY);
      setOpen(false);
      announce('success', savedText(added.name));
    } catch (e) {
      if (e instanceof ApiError && Object.keys(e.fields).length > 0) {
        const mapped: Partial<Record<FormField, string>> = {};
        for (const [path, text] of Object.entries(e.fields)) {
          const field = formField(path);
          if (field) mapped[field] = text;
        }
        setErrors(mapped);
      }
      announce('error', failureText(e, t`We couldn't save the pharmacy. Please try again.`));
    } finally {
      setBusy(false);
    }
  };

  const remove = async (pharmacy: Pharmacy) => {
    if (busy) return;
    setBusy(true);
    try {
      await msg.removePharmacy(pid, pharmacy.id);
      onChange(pharmacies.filter((p) => p.id !== pharmacy.id));
      announce('success', removedText(pharmacy.name));
    } catch (e) {
      announce('error', failureText(e, t`We couldn't remove the pharmacy. Please try again.`));
    } finally {
      setBusy(false);
    }
  };

  const summary: SummaryItem[] = Object.entries(errors).map(([field, text]) => ({ target: id(field as FormField), text }));

  return (
    <section class="card" aria-labelledby="pharmacies-title" id="pharmacies">
      <h2 id="pharmacies-title">{t`Your pharmacies`}</h2>
      <div ref={statusRef} tabIndex={-1} role="status" aria-live="polite" class="status-anchor">
        {status ? (
          <Notice tone={status.tone}>
            <p>{status.text}</p>
          </Notice>
        ) : null}
      </div>
      {pharmacies.length > 0 ? (
        <ul class="msg-pharmacy-list">
          {pharmacies.map((p) => (
            <li key={p.id}>
              <span>
                <span class="msg-pharmacy-name">{p.name}</span>
                <span class="msg-pharmacy-line">
                  {pharmacyLine(p)} · {formatPhone(p.phone)}
                </span>
              </span>
              <button type="button" class="button button--secondary" aria-disabled={busy ? 'true' : undefined} onClick={() => void remove(p)}>
                {t`Remove`}
                <span class="visually-hidden"> {p.name}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p>{t`You have no saved pharmacy yet. Add the one your refills should go to.`}</p>
      )}
      {open ? (
        <form onSubmit={save} noValidate aria-labelledby="pharmacy-form-title" class="msg-pharmacy-form">
          <h3 id="pharmacy-form-title">{t`Add a pharmacy`}</h3>
          <div id="pharmacy-error-summary" tabIndex={-1}>
            <ErrorSummary items={summary} />
          </div>
          <div class="form-grid">
            <TextField {...txt('name')} autoComplete="organization" maxLength={100} fieldClass="span-2" />
            <TextField {...txt('phone')} type="tel" autoComplete="tel" maxLength={32} hint={t`For example, (217) 555-0100.`} />
            <TextField {...txt('line1')} autoComplete="address-line1" maxLength={120} fieldClass="span-2" />
            <TextField {...txt('line2')} optional autoComplete="address-line2" maxLength={120} fieldClass="span-2" />
            <TextField {...txt('city')} autoComplete="address-level2" maxLength={80} />
            <SelectField
              id={id('state')}
              label={i18n._(LABELS.state)}
              error={errors.state}
              value={form.state}
              onValue={(state: string) => setForm((current) => ({ ...current, state }))}
              options={usStateOptions()}
              autoComplete="address-level1"
            />
            <TextField {...txt('postal_code')} autoComplete="postal-code" inputMode="numeric" maxLength={10} class="input--short" />
          </div>
          <div class="form-actions msg-form-actions">
            <button type="submit" class="button button--primary" aria-disabled={busy ? 'true' : undefined}>
              {busy ? t`Saving…` : t`Save pharmacy`}
            </button>
            {pharmacies.length > 0 ? (
              <button type="button" class="button button--secondary" onClick={() => setOpen(false)}>
                {t`Cancel`}
              </button>
            ) : null}
          </div>
        </form>
      ) : (
        <button type="button" class="button button--secondary" aria-expanded="false" onClick={() => setOpen(true)}>
          {t`Add a pharmacy`}
        </button>
      )}
    </section>
  );
}
