// "Find a time": choose a kind of visit, a provider (or any), a date, a time;
// confirm; done. The same flow moves an existing appointment (reschedule) to another time.

import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../../shared/api/client';
import { type Appointment, appointmentsApi, type AppointmentSlot, type BookingOptions, type VisitType } from '../api';
import {
  calendarFilename,
  formatDay,
  formatTime,
  formatTimeRange,
  MODALITY_LABEL,
  saveBlob,
  sentence,
  todayIn,
  zoneLabel,
} from '../appointmentsFormat';
import { Icon } from '../../../shared/ui/Icons';
import { Loading, Notice, Page } from '../../../shared/ui/ui';
import { useApp } from '../../../shared/context';
import { Link, navigate } from '../../../router';
import { ApptIcon } from './AppointmentsHome';
import {
  CallLink,
  clinicPhone,
  errorText,
  focusFirstIn,
  focusSoon,
  setFlash,
  TimePicker,
  useBookingOptions,
  VisitFacts,
} from './AppointmentsShared';
import { useLoad } from '../../../shared/hooks/useLoad';

type Step = 'pick' | 'confirm' | 'done';

function cutoffText(visit: VisitType): string {
  const hours = visit.cancel_cutoff_hours;
  if (hours === 0) return 'You can cancel or change online until the visit starts.';
  if (hours % 24 === 0) {
    const days = hours / 24;
    return `You can cancel or change online until ${days} ${days === 1 ? 'day' : 'days'} before the visit.`;
  }
  return `You can cancel or change online until ${hours} ${hours === 1 ? 'hour' : 'hours'} before the visit.`;
}

function takenMessage(slot: AppointmentSlot, timeZone: string): string {
  return `Sorry, ${formatDay(slot.starts_at, timeZone)} at ${formatTime(slot.starts_at, timeZone)} was just taken by someone else. We've refreshed the times: please choose another.`;
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
  const [providerId, setProviderId] = useState('');
  const [date, setDate] = useState<string | null>(null);
  const [selected, setSelected] = useState<AppointmentSlot | null>(null);
  const [step, setStep] = useState<Step>('pick');
  const [refresh, setRefresh] = useState(0);
  const [conflict, setConflict] = useState<string | null>(null);
  const [pickError, setPickError] = useState<string | undefined>(undefined);
  const [visitError, setVisitError] = useState<string | undefined>(undefined);
  const [submitError, setSubmitError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [booked, setBooked] = useState<Appointment | null>(null);

  useEffect(() => {
    if (options && date === null) setDate(todayIn(options.time_zone));
  }, [options]);

  const title = forSelf || !patient ? 'Book an appointment' : `Book an appointment for ${patient.display_name}`;
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
      setVisitError('Choose the kind of visit you need.');
      focusSoon(`book-visit-${bookable[0]?.id ?? ''}`);
      return;
    }
    if (!selected) {
      setPickError('Choose a time to continue.');
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
        setConflict(takenMessage(selected, options.time_zone));
        setSelected(null);
        setRefresh((n) => n + 1);
        setStep('pick');
        focusSoon('book-conflict');
      } else {
        setSubmitError(errorText(e, "We couldn't book this time. Please try again."));
        focusSoon('book-submit-error');
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title={title} lead={`Choose the kind of visit, then a time that suits ${forPatient ? 'the patient' : 'you'}.`}>
      <p class="appt-back">
        <Link href={forPatient?.backHref ?? '/appointments'}>
          <ApptIcon name="arrowLeft" size={18} />
          {forPatient ? 'Back to the patient' : 'Back to appointments'}
        </Link>
      </p>
      {optionsError ? (
        <Notice tone="error" role="alert">
          <p>{optionsError}</p>
          <button type="button" class="button button--secondary" onClick={retry}>
            Try again
          </button>
        </Notice>
      ) : !options || !pid || date === null ? (
        <Loading label="Loading the kinds of visit…" />
      ) : step === 'done' && booked ? (
        <Booked appointment={booked} address={clinic?.address ?? null} staffBackHref={forPatient?.backHref} />
      ) : step === 'confirm' && visit && selected ? (
        <section class="card appt-confirm" aria-labelledby="book-confirm-title">
          <h2 id="book-confirm-title" tabIndex={-1}>
            {visit.booking === 'request' ? 'Check and send your request' : 'Check and confirm'}
          </h2>
          {!forSelf && patient ? <p>For: <strong>{patient.display_name}</strong></p> : null}
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
              <li>This is a request: the clinic confirms the time, and we let you know.</li>
            ) : null}
            <li>{cutoffText(visit)}</li>
          </ul>
          {submitError ? (
            <div id="book-submit-error" tabIndex={-1}>
              <Notice tone="error" role="alert">
                <p>{submitError}</p>
              </Notice>
            </div>
          ) : null}
          <div class="form-actions">
            <button type="button" class="button button--primary" onClick={submit} aria-disabled={busy ? 'true' : undefined}>
              {busy ? 'Booking…' : visit.booking === 'request' ? 'Send request' : 'Book appointment'}
            </button>
            <button type="button" class="button button--secondary" onClick={() => toStep('pick')}>
              Choose a different time
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
              setSelected(null);
              setConflict(null);
            }}
          />
          {visit ? (
            <section class="card appt-step" aria-labelledby="book-times-title">
              <h2 id="book-times-title" tabIndex={-1}>
                <span class="appt-step-num" aria-hidden="true">
                  2
                </span>
                Choose a time
              </h2>
              <TimePicker
                api={api}
                pid={pid}
                visitTypeId={visit.id}
                providers={options.providers}
                timeZone={options.time_zone}
                providerId={providerId}
                onProviderChange={(id) => {
                  setProviderId(id);
                  setConflict(null);
                }}
                date={date}
                onDateChange={(d) => {
                  setDate(d);
                  setConflict(null);
                }}
                selected={selected}
                onSelect={(s) => {
                  setSelected(s);
                  if (s) setPickError(undefined);
                }}
                refresh={refresh}
                idPrefix="book"
                error={pickError}
                notice={
                  conflict ? (
                    <div id="book-conflict" tabIndex={-1}>
                      <Notice tone="warning" role="alert" title="That time is no longer available">
                        <p>{conflict}</p>
                      </Notice>
                    </div>
                  ) : null
                }
              />
              <div class="form-actions appt-continue">
                <button type="button" class="button button--primary" onClick={goConfirm}>
                  Continue
                </button>
                <p class="appt-chosen" aria-live="polite">
                  {selected ? (
                    <>
                      <span class="muted">Chosen: </span>
                      {formatDay(selected.starts_at, options.time_zone)}, {formatTime(selected.starts_at, options.time_zone)}
                      <span class="appt-chosen-who"> with {selected.provider.name}</span>
                    </>
                  ) : (
                    <span class="muted">No time chosen yet</span>
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

function VisitTypeChooser({
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
        What kind of visit?
      </h2>
      {bookable.length === 0 ? (
        <Notice tone="info">
          <p>
            No visits can be booked online for this record. Please call the clinic at{' '}
            <CallLink phone={phone.phone} display={phone.display} />.
          </p>
        </Notice>
      ) : (
        <fieldset
          class={`appt-visit-types${error ? ' field--error' : ''}`}
          aria-describedby={error ? 'book-visit-error' : undefined}
        >
          <legend class="visually-hidden">Kind of visit</legend>
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
                  {v.duration_minutes} minutes · {MODALITY_LABEL[v.modality]}
                  {v.booking === 'request' ? ' · The clinic confirms your request' : ''}
                  {v.description ? <span class="appt-visit-desc">{v.description}</span> : null}
                </span>
              </label>
            </div>
          ))}
        </fieldset>
      )}
      {notBookable.length > 0 ? (
        <div class="appt-not-online">
          <h3>Other visits</h3>
          <p class="muted small">These can't be booked online for {options.providers.length ? 'this record' : 'you'}.</p>
          <ul>
            {notBookable.map((v) => (
              <li key={v.id}>
                <span class="appt-visit-name">{v.name}</span>
                <span class="muted">
                  {v.not_bookable_reason ? sentence(v.not_bookable_reason) : 'Please call the clinic to book.'}
                </span>
                {v.booking === 'call' ? (
                  <span>
                    Call the clinic: <CallLink phone={phone.phone} display={phone.display} />
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

function Booked({ appointment: a, address, staffBackHref }: { appointment: Appointment; address: string | null; staffBackHref?: string | undefined }) {
  const { api } = useApp();
  const [icsBusy, setIcsBusy] = useState(false);
  const [icsStatus, setIcsStatus] = useState<string | null>(null);
  const requested = a.status === 'requested';
  const download = async () => {
    if (icsBusy) return;
    setIcsBusy(true);
    try {
      saveBlob(await appointmentsApi(api).appointmentCalendar(a.patient_id, a.id), calendarFilename(a));
      setIcsStatus('The calendar file was downloaded.');
    } catch (e) {
      setIcsStatus(errorText(e, "We couldn't make the calendar file. Please try again."));
    } finally {
      setIcsBusy(false);
    }
  };
  return (
    <section class="card appt-confirm" aria-labelledby="book-done-title">
      <div class="appt-success">
        <ApptIcon name="check" size={28} />
        <h2 id="book-done-title" tabIndex={-1}>
          {staffBackHref ? (requested ? 'The request was sent' : 'The appointment is booked') : requested ? 'Your request was sent' : "You're booked"}
        </h2>
      </div>
      <p>
        {staffBackHref
          ? "The patient sees it under Appointments in their portal and gets the clinic's usual reminder before the visit."
          : requested
            ? 'The clinic will confirm this time and let you know. You can see it under Appointments.'
            : "It's on your list under Appointments, and the clinic will send you a reminder before the visit."}
      </p>
      <VisitFacts
        start={a.starts_at}
        end={a.ends_at}
        timeZone={a.time_zone}
        visitName={a.visit_type?.name ?? 'Appointment'}
        provider={a.provider}
        modality={a.modality}
        address={address}
      />
      <div class="appt-actions">
        {a.checkin?.available_now && !staffBackHref ? (
          <Link href={`/appointments/${encodeURIComponent(a.id)}/check-in`} class="button button--primary">
            <ApptIcon name="clipboard" />
            Start eCheck-in now
          </Link>
        ) : null}
        <button type="button" class="button button--secondary" onClick={download} aria-disabled={icsBusy ? 'true' : undefined}>
          <ApptIcon name="download" />
          {icsBusy ? 'Preparing…' : 'Add to calendar'}
        </button>
        <Link href={staffBackHref ?? '/appointments'} class="button button--secondary">
          {staffBackHref ? 'Back to the patient' : 'See all appointments'}
        </Link>
      </div>
      <p class="visually-hidden" role="status" aria-live="polite">
        {icsStatus}
      </p>
    </section>
  );
}

/** /appointments/:id/reschedule */
export function ReschedulePage({ appointmentId }: { appointmentId: string }) {
  const { api, patient, clinic } = useApp();
  const pid = patient?.id ?? null;
  const { options, error: optionsError, retry } = useBookingOptions(pid);
  const [providerId, setProviderId] = useState<string | null>(null);
  const [date, setDate] = useState<string | null>(null);
  const [selected, setSelected] = useState<AppointmentSlot | null>(null);
  const [step, setStep] = useState<'pick' | 'confirm'>('pick');
  const [refresh, setRefresh] = useState(0);
  const [conflict, setConflict] = useState<string | null>(null);
  const [pickError, setPickError] = useState<string | undefined>(undefined);
  const [submitError, setSubmitError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const mounted = useRef(true);
  useEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );

  const loaded = useLoad(
    (signal) =>
      appointmentsApi(api)
        .appointment(pid!, appointmentId, signal)
        .then((a) => {
          setProviderId((p) => p ?? a.provider.id);
          return a;
        }),
    [pid, appointmentId],
    { enabled: pid !== null, keepData: true },
  );
  const current = loaded.data;
  const loadError = !loaded.error
    ? null
    : loaded.error instanceof ApiError && loaded.error.status === 404
      ? "We couldn't find this appointment."
      : errorText(loaded.error, "We couldn't load this appointment. Please try again.");

  useEffect(() => {
    if (options && date === null) setDate(todayIn(options.time_zone));
  }, [options]);

  const phone = clinicPhone(options, clinic);
  const toStep = (next: 'pick' | 'confirm') => {
    setStep(next);
    focusSoon(next === 'pick' ? 'move-times-title' : 'move-confirm-title');
  };

  const submit = async () => {
    if (!pid || !current || !selected || busy) return;
    setBusy(true);
    setSubmitError(null);
    try {
      const moved = await appointmentsApi(api).rescheduleAppointment(pid, current.id, selected.id);
      setFlash(
        moved.status === 'requested'
          ? `Your request to move to ${formatDay(moved.starts_at, moved.time_zone)} at ${formatTime(moved.starts_at, moved.time_zone)} was sent. The clinic will confirm it.`
          : `Your appointment was moved to ${formatDay(moved.starts_at, moved.time_zone)} at ${formatTime(moved.starts_at, moved.time_zone)} with ${moved.provider.name}.`,
      );
      if (mounted.current) navigate('/appointments');
    } catch (e) {
      if (e instanceof ApiError && e.status === 409 && /taken|passed|not available|too soon/i.test(e.message) && options) {
        setConflict(takenMessage(selected, options.time_zone));
        setSelected(null);
        setRefresh((n) => n + 1);
        setStep('pick');
        focusSoon('move-conflict');
      } else {
        setSubmitError(errorText(e, "We couldn't move this appointment. Please try again."));
        focusSoon('move-submit-error');
      }
    } finally {
      if (mounted.current) setBusy(false);
    }
  };

  const tz = options?.time_zone ?? current?.time_zone ?? 'UTC';
  return (
    <Page title="Change appointment time" lead="Pick a new time. Your current time is kept until you confirm the new one.">
      <p class="appt-back">
        <Link href="/appointments">
          <ApptIcon name="arrowLeft" size={18} />
          Back to appointments
        </Link>
      </p>
      {loadError || optionsError ? (
        <Notice tone="error" role="alert">
          <p>{loadError ?? optionsError}</p>
          {optionsError ? (
            <button type="button" class="button button--secondary" onClick={retry}>
              Try again
            </button>
          ) : null}
        </Notice>
      ) : !current || !options || !pid || date === null || providerId === null ? (
        <Loading label="Loading your appointment…" />
      ) : !current.can_reschedule || !current.visit_type ? (
        <Notice tone="info" title="This appointment can't be changed online">
          <p>
            {current.status === 'booked' || current.status === 'requested'
              ? `Online changes closed on ${formatDay(current.cancel_deadline, tz)} at ${formatTime(current.cancel_deadline, tz)}.`
              : `This appointment is ${current.status}.`}{' '}
            Please call the clinic at <CallLink phone={phone.phone} display={phone.display} />.
          </p>
        </Notice>
      ) : (
        <div class="appt-flow">
          <section class="card appt-step" aria-labelledby="move-current-title">
            <h2 id="move-current-title">Your current appointment</h2>
            <VisitFacts
              start={current.starts_at}
              end={current.ends_at}
              timeZone={tz}
              visitName={current.visit_type.name}
              provider={current.provider}
              modality={current.modality}
              address={clinic?.address ?? null}
            />
          </section>
          {step === 'confirm' && selected ? (
            <section class="card appt-confirm" aria-labelledby="move-confirm-title">
              <h2 id="move-confirm-title" tabIndex={-1}>
                Check the new time
              </h2>
              <div class="appt-compare">
                <p>
                  <span class="appt-compare-label">From</span>
                  <s>
                    {formatDay(current.starts_at, tz)}, {formatTimeRange(current.starts_at, current.ends_at, tz)} with {current.provider.name}
                  </s>
                </p>
                <p>
                  <span class="appt-compare-label">To</span>
                  <strong>
                    {formatDay(selected.starts_at, tz)}, {formatTimeRange(selected.starts_at, selected.ends_at, tz)} with{' '}
                    {selected.provider.name}
                  </strong>
                </p>
                <p class="appt-zone">All times {zoneLabel(tz, selected.starts_at)}</p>
              </div>
              {current.visit_type.booking === 'request' ? (
                <p>The clinic confirms the new time; until then it shows as requested.</p>
              ) : null}
              {submitError ? (
                <div id="move-submit-error" tabIndex={-1}>
                  <Notice tone="error" role="alert">
                    <p>{submitError}</p>
                  </Notice>
                </div>
              ) : null}
              <div class="form-actions">
                <button type="button" class="button button--primary" onClick={submit} aria-disabled={busy ? 'true' : undefined}>
                  {busy ? 'Moving…' : 'Move my appointment'}
                </button>
                <button type="button" class="button button--secondary" onClick={() => toStep('pick')}>
                  Choose a different time
                </button>
              </div>
            </section>
          ) : (
            <section class="card appt-step" aria-labelledby="move-times-title">
              <h2 id="move-times-title" tabIndex={-1}>
                Choose a new time
              </h2>
              <TimePicker
                api={api}
                pid={pid}
                visitTypeId={current.visit_type.id}
                providers={options.providers}
                timeZone={tz}
                providerId={providerId}
                onProviderChange={(id) => {
                  setProviderId(id);
                  setConflict(null);
                }}
                date={date}
                onDateChange={(d) => {
                  setDate(d);
                  setConflict(null);
                }}
                selected={selected}
                onSelect={(s) => {
                  setSelected(s);
                  if (s) setPickError(undefined);
                }}
                refresh={refresh}
                idPrefix="move"
                error={pickError}
                notice={
                  conflict ? (
                    <div id="move-conflict" tabIndex={-1}>
                      <Notice tone="warning" role="alert" title="That time is no longer available">
                        <p>{conflict}</p>
                      </Notice>
                    </div>
                  ) : null
                }
              />
              <div class="form-actions appt-continue">
                <button
                  type="button"
                  class="button button--primary"
                  onClick={() => {
                    if (!selected) {
                      setPickError('Choose a new time to continue.');
                      focusFirstIn('move-times', 'move-date');
                      return;
                    }
                    setSubmitError(null);
                    toStep('confirm');
                  }}
                >
                  Continue
                </button>
              </div>
            </section>
          )}
        </div>
      )}
    </Page>
  );
}
