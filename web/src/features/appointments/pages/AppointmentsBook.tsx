// "Find a time": choose a kind of visit, a provider (or any), a date, a time; confirm; done. Rescheduling
// (AppointmentsReschedule) reuses the time picker to move a booked appointment.

import { plural, t } from '@lingui/core/macro';
import { Trans } from '@lingui/react/macro';
import { useState } from 'preact/hooks';
import { ApiError } from '../../../shared/api/client';
import { type Appointment, appointmentsApi, type VisitType } from '../api';
import { formatDay, formatTime } from '../appointmentsFormat';
import { Loading, Page } from '../../../shared/ui/ui';
import { LoadFailed } from '../../../shared/ui/Lists';
import { useApp } from '../../../shared/context';
import { Link } from '../../../router';
import { ApptIcon } from './AppointmentsHome';
import { clinicPhone, errorText, focusFirstIn, focusSoon, useBookingOptions, VisitFacts } from './AppointmentsShared';
import { ChoiceTimePicker, SubmitError, useTimeChoice } from './TimeChoice';
import { Booked, VisitTypeChooser } from './BookParts';

type Step = 'pick' | 'confirm' | 'done';

function cutoffText(visit: VisitType): string {
  const hours = visit.cancel_cutoff_hours;
  if (hours === 0) return t`You can cancel or change online until the visit starts.`;
  if (hours % 24 === 0) {
    const days = hours / 24;
    return plural(days, {
      one: 'You can cancel or change online until # day before the visit.',
      other: 'You can cancel or change online until # days before the visit.',
    });
  }
  return plural(hours, {
    one: 'You can cancel or change online until # hour before the visit.',
    other: 'You can cancel or change online until # hours before the visit.',
  });
}

function ChosenLine({ day, time, provider }: { day: string; time: string; provider: string }) {
  return (
    <Trans>
      <span class="muted">Chosen: </span>
      {day}, {time}
      <span class="appt-chosen-who"> with {provider}</span>
    </Trans>
  );
}

/** Staff patient search: staff book for a patient they opened (front desk, clinicians), not for themselves. */
export interface BookFor {
  id: string;
  display_name: string;
  /** Where "back" and "done" lead: the patient's chart. */
  backHref: string;
}

/** /appointments/book, and /staff/patients/:id/book with `forPatient` */
export function BookPage({ forPatient }: { forPatient?: BookFor } = {}) {
  const { api, patient: own, clinic } = useApp();
  const patient = forPatient ?? own;
  const pid = patient?.id ?? null;
  const forSelf = !forPatient && own?.relationship === 'self';
  const { options, error: optionsError, retry } = useBookingOptions(pid);
  const [visitTypeId, setVisitTypeId] = useState<string>('');
  const choice = useTimeChoice(options?.time_zone, '');
  const { date, selected } = choice;
  const [step, setStep] = useState<Step>('pick');
  const [visitError, setVisitError] = useState<string | undefined>(undefined);
  const [submitError, setSubmitError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [booked, setBooked] = useState<Appointment | null>(null);

  const name = patient?.display_name ?? '';
  const title = forSelf || !patient ? t`Book an appointment` : t`Book an appointment for ${name}`;
  const bookable = options?.visit_types.filter((v) => v.can_book_online) ?? [];
  const notBookable = options?.visit_types.filter((v) => !v.can_book_online) ?? [];
  const visit = bookable.find((v) => v.id === visitTypeId) ?? null;
  const phone = clinicPhone(options, clinic);

  const toStep = (next: Step) => {
    setStep(next);
    focusSoon(next === 'pick' ? 'book-times-title' : `book-${next}-title`);
  };

  const goConfirm = () => {
    if (!visit) {
      setVisitError(t`Choose the kind of visit you need.`);
      focusSoon(`book-visit-${bookable[0]?.id ?? ''}`);
      return;
    }
    if (!selected) {
      choice.setPickError(t`Choose a time to continue.`);
      focusFirstIn('book-times', 'book-date');
      return;
    }
    setSubmitError(null);
    toStep('confirm');
  };

  const submit = async () => {
    if (!pid || !selected || busy) return;
    setBusy(true);
    setSubmitError(null);
    try {
      const result = await appointmentsApi(api).bookAppointment(pid, selected.id);
      setBooked(result);
      toStep('done');
    } catch (e) {
      if (e instanceof ApiError && e.status === 409 && options) {
        choice.taken(selected, options.time_zone);
        setStep('pick');
        focusSoon('book-conflict');
      } else {
        setSubmitError(errorText(e, t`We couldn't book this time. Please try again.`));
        focusSoon('book-submit-error');
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title={title} lead={forPatient ? t`Choose the kind of visit, then a time that suits the patient.` : t`Choose the kind of visit, then a time that suits you.`}>
      <p class="appt-back">
        <Link href={forPatient?.backHref ?? '/appointments'}>
          <ApptIcon name="arrowLeft" size={18} />
          {forPatient ? t`Back to the patient` : t`Back to appointments`}
        </Link>
      </p>
      {optionsError ? (
        <LoadFailed error={optionsError} onRetry={retry} />
      ) : !options || !pid || date === null ? (
        <Loading label={t`Loading the kinds of visit…`} />
      ) : step === 'done' && booked ? (
        <Booked appointment={booked} address={clinic?.address ?? null} staffBackHref={forPatient?.backHref} />
      ) : step === 'confirm' && visit && selected ? (
        <section class="card appt-confirm" aria-labelledby="book-confirm-title">
          <h2 id="book-confirm-title" tabIndex={-1}>
            {visit.booking === 'request' ? t`Check and send your request` : t`Check and confirm`}
          </h2>
          {!forSelf && patient ? (
            <p>
              <Trans>
                For: <strong>{name}</strong>
              </Trans>
            </p>
          ) : null}
          <VisitFacts
            start={selected.starts_at}
            end={selected.ends_at}
            timeZone={options.time_zone}
            visitName={visit.name}
            provider={selected.provider}
            modality={visit.modality}
            address={clinic?.address ?? null}
          />
          <ul class="appt-policy-list">
            {visit.booking === 'request' ? (
              <li>{t`This is a request: the clinic confirms the time, and we let you know.`}</li>
            ) : null}
            <li>{cutoffText(visit)}</li>
          </ul>
          <SubmitError id="book-submit-error" error={submitError} />
          <div class="form-actions">
            <button type="button" class="button button--primary" onClick={submit} aria-disabled={busy ? 'true' : undefined}>
              {busy ? t`Booking…` : visit.booking === 'request' ? t`Send request` : t({ message: 'Book appointment', context: 'confirm booking' })}
            </button>
            <button type="button" class="button button--secondary" onClick={() => toStep('pick')}>
              {t`Choose a different time`}
            </button>
          </div>
        </section>
      ) : (
        <div class="appt-flow">
          <VisitTypeChooser
            options={options}
            bookable={bookable}
            notBookable={notBookable}
            value={visitTypeId}
            error={visitError}
            phone={phone}
            onChange={(id) => {
              setVisitTypeId(id);
              setVisitError(undefined);
              choice.setSelected(null);
              choice.setConflict(null);
            }}
          />
          {visit ? (
            <section class="card appt-step" aria-labelledby="book-times-title">
              <h2 id="book-times-title" tabIndex={-1}>
                <span class="appt-step-num" aria-hidden="true">
                  2
                </span>
                {t`Choose a time`}
              </h2>
              <ChoiceTimePicker
                choice={choice}
                api={api}
                pid={pid}
                visitTypeId={visit.id}
                providers={options.providers}
                timeZone={options.time_zone}
                idPrefix="book"
              />
              <div class="form-actions appt-continue">
                <button type="button" class="button button--primary" onClick={goConfirm}>
                  {t`Continue`}
                </button>
                <p class="appt-chosen" aria-live="polite">
                  {selected ? (
                    <ChosenLine
                      day={formatDay(selected.starts_at, options.time_zone)}
                      time={formatTime(selected.starts_at, options.time_zone)}
                      provider={selected.provider.name}
                    />
                  ) : (
                    <span class="muted">{t`No time chosen yet`}</span>
                  )}
                </p>
              </div>
            </section>
          ) : null}
        </div>
      )}
    </Page>
  );
}
