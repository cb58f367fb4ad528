// The first two sections of the eCheck-in form: the patient's details to confirm, and insurance.

import { t } from '@lingui/core/macro';
import { Trans } from '@lingui/react/macro';
import type { CheckinDetails } from '../api';
import { checkinInputId, type CheckinForm } from '../appointmentsCheckin';
import { Icon } from '../../../shared/ui/Icons';
import { TextField } from '../../../shared/ui/ui';
import type { AppContextValue } from '../../../shared/context';
import { formatDate } from '../../../shared/format';
import { Link } from '../../../router';
import { FieldError, Section } from './CheckinSections';

interface SectionProps {
  form: CheckinForm;
  err: (key: string) => string | undefined;
  update: (patch: Partial<CheckinForm>) => void;
  clearError: (key: string) => void;
}

function detailsOf(name: string): string {
  return t`${name}'s details`;
}

export function DetailsSection({
  demo,
  patient,
  form,
  err,
  update,
  clearError,
}: SectionProps & { demo: CheckinDetails['demographics']; patient: AppContextValue['patient'] }) {
  return (
    <Section
      id="checkin-details"
      title={patient && patient.relationship !== 'self' ? detailsOf(patient.display_name) : t`Your details`}
      description={t`Check these are right, so the clinic can reach you and bill correctly.`}
    >
      <dl class="readonly-list">
        <div>
          <dt>{t`Legal name`}</dt>
          <dd>{demo.name}</dd>
        </div>
        <div>
          <dt>{t`Date of birth`}</dt>
          <dd>{formatDate(demo.birth_date)}</dd>
        </div>
        <div class="appt-facts-wide">
          <dt>{t`Home address`}</dt>
          <dd>{demo.address ?? t`Not given`}</dd>
        </div>
      </dl>
      <TextField
        id={checkinInputId('phone')}
        label={t`Phone`}
        value={form.phone}
        onValue={(v) => {
          update({ phone: v });
          clearError('phone');
        }}
        error={err('phone')}
        optional
        type="tel"
        inputMode="tel"
        autoComplete="tel"
        maxLength={32}
        hint={t`From your profile. If it changed, type the new one: the front desk will update your record.`}
      />
      <TextField
        id={checkinInputId('email')}
        label={t`Email`}
        value={form.email}
        onValue={(v) => {
          update({ email: v });
          clearError('email');
        }}
        error={err('email')}
        optional
        type="email"
        inputMode="email"
        autoComplete="email"
        maxLength={254}
      />
      <div class={`check${err('demographics_confirmed') ? ' field--error' : ''}`}>
        <input
          type="checkbox"
          id={checkinInputId('demographics_confirmed')}
          checked={form.demographicsConfirmed}
          onChange={(e) => {
            update({ demographicsConfirmed: (e.currentTarget as HTMLInputElement).checked });
            clearError('demographics_confirmed');
          }}
          aria-invalid={err('demographics_confirmed') ? 'true' : undefined}
          aria-describedby={err('demographics_confirmed') ? `${checkinInputId('demographics_confirmed')}-error` : undefined}
        />
        <label for={checkinInputId('demographics_confirmed')}>{t`These details are correct`}</label>
        <FieldError id={`${checkinInputId('demographics_confirmed')}-error`} message={err('demographics_confirmed')} />
      </div>
      <p class="hint-box">
        <Icon name="info" size={20} />
        <span>
          <Trans>
            Something wrong? <Link href="/profile">Update your profile</Link>, then come back here. To change your legal name or
            date of birth, contact the clinic.
          </Trans>
        </span>
      </p>
    </Section>
  );
}

export function InsuranceSection({ form, err, update, clearError }: SectionProps) {
  return (
    <Section id="checkin-insurance" title={t`Insurance`} description={t`As shown on your insurance card.`}>
      <fieldset
        class={`radios${err('insurance_mode') ? ' field--error' : ''}`}
        aria-describedby={err('insurance_mode') ? `${checkinInputId('insurance_mode')}-error` : undefined}
      >
        <legend>{t`How will you pay for this visit?`}</legend>
        <FieldError id={`${checkinInputId('insurance_mode')}-error`} message={err('insurance_mode')} />
        {(
          [
            ['insurance', t`With my health insurance`],
            ['self_pay', t`I'll pay myself (self-pay)`],
          ] as const
        ).map(([value, label], i) => {
          const id = i === 0 ? checkinInputId('insurance_mode') : `${checkinInputId('insurance_mode')}-${value}`;
          return (
            <div class="check" key={value}>
              <input
                type="radio"
                name="checkin-insurance-mode"
                id={id}
                checked={form.insuranceMode === value}
                onChange={() => {
                  update({ insuranceMode: value });
                  clearError('insurance_mode');
                }}
              />
              <label for={id}>{label}</label>
            </div>
          );
        })}
      </fieldset>
      {form.insuranceMode === 'insurance' ? (
        <div class="form-grid appt-insurance">
          <TextField
            id={checkinInputId('carrier')}
            label={t`Insurance company`}
            value={form.carrier}
            onValue={(v) => {
              update({ carrier: v });
              clearError('carrier');
            }}
            error={err('carrier')}
            maxLength={120}
            autoComplete="off"
          />
          <TextField
            id={checkinInputId('member_id')}
            label={t`Member ID`}
            value={form.memberId}
            onValue={(v) => {
              update({ memberId: v });
              clearError('member_id');
            }}
            error={err('member_id')}
            maxLength={40}
            autoComplete="off"
            autoCapitalize="characters"
            spellcheck={false}
          />
          <TextField
            id={checkinInputId('group_number')}
            label={t`Group number`}
            optional
            value={form.groupNumber}
            onValue={(v) => update({ groupNumber: v })}
            maxLength={40}
            autoComplete="off"
            spellcheck={false}
          />
          <TextField
            id={checkinInputId('subscriber_name')}
            label={t`Policy holder's name`}
            optional
            hint={t`If the insurance is in someone else's name.`}
            value={form.subscriberName}
            onValue={(v) => update({ subscriberName: v })}
            maxLength={120}
            autoComplete="off"
          />
        </div>
      ) : null}
    </Section>
  );
}
