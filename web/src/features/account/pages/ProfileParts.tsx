// The parts of the profile form: its status, a section with its heading, the communication preferences and
// their checkboxes.

import { t } from '@lingui/core/macro';
import type { ComponentChildren } from 'preact';
import { Icon } from '../../../shared/ui/Icons';
import { Notice } from '../../../shared/ui/ui';
import { FIELD_LABELS, inputId, type FormKey, type ProfileForm } from '../profileForm';

export type Status =
  | { kind: 'idle' }
  | { kind: 'saved' }
  | { kind: 'unchanged' }
  | { kind: 'conflict' }
  | { kind: 'error'; message: string; requestId: string | null };

export function Section({ id, title, description, children }: { id: string; title: string; description?: string; children: ComponentChildren }) {
  return (
    <section class="card form-section" aria-labelledby={id}>
      <div class="form-section-head">
        <h2 id={id}>{title}</h2>
        {description ? <p class="muted">{description}</p> : null}
      </div>
      <div class="form-section-body">{children}</div>
    </section>
  );
}

export function StatusNotice({ status }: { status: Status }) {
  return status.kind === 'saved' ? (
    <Notice tone="success">
      <p>{t`Your changes were saved.`}</p>
    </Notice>
  ) : status.kind === 'unchanged' ? (
    <Notice tone="info">
      <p>{t`There are no changes to save.`}</p>
    </Notice>
  ) : status.kind === 'conflict' ? (
    <Notice tone="warning">
      <p>{t`This profile was changed elsewhere. We reloaded the latest version; please review and save again.`}</p>
    </Notice>
  ) : status.kind === 'error' ? (
    <Notice tone="error">
      <p>{status.message}</p>
      {status.requestId ? <p class="small muted">{t`Reference: ${status.requestId}`}</p> : null}
    </Notice>
  ) : null;
}

export function CommunicationSection({
  form,
  err,
  set,
  forStaff = false,
}: {
  form: ProfileForm;
  err: (key: FormKey) => string | undefined;
  set: <K extends FormKey>(key: K) => (value: ProfileForm[K]) => void;
  /** Staff editing a patient's preferences: the words speak about the patient. */
  forStaff?: boolean;
}) {
  return (
    <Section
      id="sec-communication"
      title={t`Communication preferences`}
      description={
        forStaff
          ? t`We never put health details in emails or texts; we tell the patient to sign in instead.`
          : t`We never put health details in emails or texts; we tell you to sign in instead.`
      }
    >
      <div class="checks">
        <CheckField
          id={inputId('email_notifications')}
          label={forStaff ? t`Email the patient when there is something new in the portal` : t`Email me when there is something new in the portal`} checked={form.email_notifications} onChange={set('email_notifications')} error={err('email_notifications')} />
        <CheckField
          id={inputId('sms_notifications')}
          label={forStaff ? t`Text the patient when there is something new in the portal` : t`Text me when there is something new in the portal`} checked={form.sms_notifications} onChange={set('sms_notifications')} error={err('sms_notifications')} />
      </div>
      <fieldset class="radios" aria-describedby={err('preferred_contact_method') ? `${inputId('preferred_contact_method')}-error` : undefined}>
        <legend>{forStaff ? t`Preferred way to contact the patient` : FIELD_LABELS.preferred_contact_method}</legend>
        {err('preferred_contact_method') ? (
          <p class="field-error" id={`${inputId('preferred_contact_method')}-error`}>
            <Icon name="alert" size={18} />
            <span>{err('preferred_contact_method')}</span>
          </p>
        ) : null}
        {(
          [
            ['portal', 'Portal message'],
            ['email', 'Email'],
            ['phone', 'Phone call'],
            ['sms', 'Text message'],
          ] as const
        ).map(([value, label], i) => (
          <div class="check" key={value}>
            <input
              type="radio"
              name="preferred_contact_method"
              id={i === 0 ? inputId('preferred_contact_method') : `${inputId('preferred_contact_method')}-${value}`}
              value={value}
              checked={form.preferred_contact_method === value}
              onChange={() => set('preferred_contact_method')(value)}
            />
            <label for={i === 0 ? inputId('preferred_contact_method') : `${inputId('preferred_contact_method')}-${value}`}>{label}</label>
          </div>
        ))}
      </fieldset>
    </Section>
  );
}

export function CheckField({
  id,
  label,
  checked,
  onChange,
  error,
}: {
  id: string;
  label: string;
  checked: boolean;
  onChange: (v: boolean) => void;
  error?: string | undefined;
}) {
  return (
    <div class={`check${error ? ' field--error' : ''}`}>
      <input
        type="checkbox"
        id={id}
        checked={checked}
        onChange={(e) => onChange((e.currentTarget as HTMLInputElement).checked)}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      <label for={id}>{label}</label>
      {error ? (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}
