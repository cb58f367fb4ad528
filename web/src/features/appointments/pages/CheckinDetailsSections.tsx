// The first two sections of the eCheck-in form: the patient's details to confirm, and insurance.

import type { CheckinDetails } from '../api';
import { checkinInputId, type CheckinForm } from '../appointmentsCheckin';
import { Icon } from '../../../shared/ui/Icons';
import { TextField } from '../../../shared/ui/ui';
import type { AppContextValue } from '../../../shared/context';
import { t } from '@lingui/core/macro';
import { formatDate } from '../../../shared/format';
import { Link } from '../../../router';
import { FieldError, Section } from './CheckinSections';

interface SectionProps {
  form: CheckinForm;
  err: (key: string) => string | undefined;
  update: (patch: Partial<CheckinForm>) => void;
  clearError: (key: string) => void;
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
      title={patient && patient.relationship !== 'self' ? `${patient.display_name}'s details` : 'Your details'}
      description="Check these are right, so the clinic can reach you and bill correctly."
    >
      <dl class="readonly-list">
        <div>
          <dt>Legal name</dt>
          <dd>{demo.name}</dd>
        </div>
        <div>
          <dt>Date of birth</dt>
          <dd>{formatDate(demo.birth_date)}</dd>
        </div>
        <div class="appt-facts-wide">
          <dt>Home address</dt>
          <dd>{demo.address ?? 'Not given'}</dd>
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
        <label for={checkinInputId('demographics_confirmed')}>These details are correct</label>
        <FieldError id={`${checkinInputId('demographics_confirmed')}-error`} message={err('demographics_confirmed')} />
      </div>
      <p class="hint-box">
        <Icon name="info" size={20} />
        <span>
          Something wrong? <Link href="/profile">Update your profile</Link>, then come back here. To change your legal name or date
          of birth, contact the clinic.
        </span>
      </p>
    </Section>
  );
}

export function InsuranceSection({ form, err, update, clearError }: SectionProps) {
  return (
    <Section id="checkin-insurance" title="Insurance" description="As shown on your insurance card.">
      <fieldset
        class={`radios${err('insurance_mode') ? ' field--error' : ''}`}
        aria-describedby={err('insurance_mode') ? `${checkinInputId('insurance_mode')}-error` : undefined}
      >
        <legend>How will you pay for this visit?</legend>
        <FieldError id={`${checkinInputId('insurance_mode')}-error`} message={err('insurance_mode')} />
        {(
          [
            ['insurance', 'With my health insurance'],
            ['self_pay', "I'll pay myself (self-pay)"],
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
            label="Insurance company"
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
            label="Member ID"
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
            label="Group number"
            optional
            value={form.groupNumber}
            onValue={(v) => update({ groupNumber: v })}
            maxLength={40}
            autoComplete="off"
            spellcheck={false}
          />
          <TextField
            id={checkinInputId('subscriber_name')}
            label="Policy holder's name"
            optional
            hint="If the insurance is in someone else's name."
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
