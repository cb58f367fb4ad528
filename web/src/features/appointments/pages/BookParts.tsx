// Parts of "Find a time": choosing the kind of visit, and the confirmation once it is booked.

import { plural, t } from '@lingui/core/macro';
import { Trans } from '@lingui/react/macro';
import { useState } from 'preact/hooks';
import { type Appointment, appointmentsApi, type BookingOptions, type VisitType } from '../api';
import { calendarFilename, MODALITY_LABEL, saveBlob, sentence } from '../appointmentsFormat';
import { Icon } from '../../../shared/ui/Icons';
import { Notice } from '../../../shared/ui/ui';
import { useApp } from '../../../shared/context';
import { Link } from '../../../router';
import { ApptIcon } from './AppointmentsHome';
import { CallLink, errorText, VisitFacts } from './AppointmentsShared';

function minutesText(minutes: number): string {
  return plural(minutes, { one: '# minute', other: '# minutes' });
}

/** Why a visit can't be booked online, as the server words it in the language on screen (marked if not). */
function NotBookableReason({ visit, language }: { visit: VisitType; language: BookingOptions['language'] }) {
  const reason = visit.not_bookable_reason;
  if (!reason) return <>{t`Please call the clinic to book.`}</>;
  return <span lang={language}>{sentence(reason)}</span>;
}

export function VisitTypeChooser({
  options,
  bookable,
  notBookable,
  value,
  error,
  phone,
  onChange,
}: {
  options: BookingOptions;
  bookable: VisitType[];
  notBookable: VisitType[];
  value: string;
  error: string | undefined;
  phone: { phone: string; display: string };
  onChange: (id: string) => void;
}) {
  return (
    <section class="card appt-step" aria-labelledby="book-visit-title">
      <h2 id="book-visit-title">
        <span class="appt-step-num" aria-hidden="true">
          1
        </span>
        {t`What kind of visit?`}
      </h2>
      {bookable.length === 0 ? (
        <Notice tone="info">
          <p>
            <Trans>
              No visits can be booked online for this record. Please call the clinic at{' '}
              <CallLink phone={phone.phone} display={phone.display} />.
            </Trans>
          </p>
        </Notice>
      ) : (
        <fieldset
          class={`appt-visit-types${error ? ' field--error' : ''}`}
          aria-describedby={error ? 'book-visit-error' : undefined}
        >
          <legend class="visually-hidden">{t`Kind of visit`}</legend>
          {error ? (
            <p class="field-error" id="book-visit-error">
              <Icon name="alert" size={18} />
              <span>{error}</span>
            </p>
          ) : null}
          {bookable.map((v) => (
            <div class="appt-visit-type" key={v.id}>
              <input
                type="radio"
                name="book-visit"
                id={`book-visit-${v.id}`}
                value={v.id}
                checked={value === v.id}
                onChange={() => onChange(v.id)}
                aria-describedby={`book-visit-${v.id}-desc`}
              />
              <label for={`book-visit-${v.id}`}>
                <span class="appt-visit-name">{v.name}</span>
                <span class="appt-visit-meta" id={`book-visit-${v.id}-desc`}>
                  {minutesText(v.duration_minutes)} · {MODALITY_LABEL[v.modality]}
                  {v.booking === 'request' ? ` · ${t`The clinic confirms your request`}` : ''}
                  {v.description ? <span class="appt-visit-desc">{v.description}</span> : null}
                </span>
              </label>
            </div>
          ))}
        </fieldset>
      )}
      {notBookable.length > 0 ? (
        <div class="appt-not-online">
          <h3>{t`Other visits`}</h3>
          <p class="muted small">
            {options.providers.length ? t`These can't be booked online for this record.` : t`These can't be booked online for you.`}
          </p>
          <ul>
            {notBookable.map((v) => (
              <li key={v.id}>
                <span class="appt-visit-name" lang={options.language}>
                  {v.name}
                </span>
                <span class="muted">
                  <NotBookableReason visit={v} language={options.language} />
                </span>
                {v.booking === 'call' ? (
                  <span>
                    <Trans>
                      Call the clinic: <CallLink phone={phone.phone} display={phone.display} />
                    </Trans>
                  </span>
                ) : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}

export function Booked({ appointment: a, address, staffBackHref }: { appointment: Appointment; address: string | null; staffBackHref?: string | undefined }) {
  const { api } = useApp();
  const [icsBusy, setIcsBusy] = useState(false);
  const [icsStatus, setIcsStatus] = useState<string | null>(null);
  const requested = a.status === 'requested';
  const download = async () => {
    if (icsBusy) return;
    setIcsBusy(true);
    try {
      saveBlob(await appointmentsApi(api).appointmentCalendar(a.patient_id, a.id), calendarFilename(a));
      setIcsStatus(t`The calendar file was downloaded.`);
    } catch (e) {
      setIcsStatus(errorText(e, t`We couldn't make the calendar file. Please try again.`));
    } finally {
      setIcsBusy(false);
    }
  };
  return (
    <section class="card appt-confirm" aria-labelledby="book-done-title">
      <div class="appt-success">
        <ApptIcon name="check" size={28} />
        <h2 id="book-done-title" tabIndex={-1}>
          {staffBackHref
            ? requested
              ? t`The request was sent`
              : t`The appointment is booked`
            : requested
              ? t`Your request was sent`
              : t`You're booked`}
        </h2>
      </div>
      <p>
        {staffBackHref
          ? t`The patient sees it under Appointments in their portal and gets the clinic's usual reminder before the visit.`
          : requested
            ? t`The clinic will confirm this time and let you know. You can see it under Appointments.`
            : t`It's on your list under Appointments, and the clinic will send you a reminder before the visit.`}
      </p>
      <VisitFacts
        start={a.starts_at}
        end={a.ends_at}
        timeZone={a.time_zone}
        visitName={a.visit_type?.name ?? t`Appointment`}
        provider={a.provider}
        modality={a.modality}
        address={address}
      />
      <div class="appt-actions">
        {a.checkin?.available_now && !staffBackHref ? (
          <Link href={`/appointments/${encodeURIComponent(a.id)}/check-in`} class="button button--primary">
            <ApptIcon name="clipboard" />
            {t`Start eCheck-in now`}
          </Link>
        ) : null}
        <button type="button" class="button button--secondary" onClick={download} aria-disabled={icsBusy ? 'true' : undefined}>
          <ApptIcon name="download" />
          {icsBusy ? t`Preparing…` : t`Add to calendar`}
        </button>
        <Link href={staffBackHref ?? '/appointments'} class="button button--secondary">
          {staffBackHref ? t`Back to the patient` : t`See all appointments`}
        </Link>
      </div>
      <p class="visually-hidden" role="status" aria-live="polite">
        {icsStatus}
      </p>
    </section>
  );
}
