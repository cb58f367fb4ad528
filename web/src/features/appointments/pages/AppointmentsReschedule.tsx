// /appointments/:id/reschedule: a new time for a booked appointment.

import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../../shared/api/client';
import { appointmentsApi } from '../api';
import { formatDay, formatTime, formatTimeRange, zoneLabel } from '../appointmentsFormat';
import { Loading, Notice, Page } from '../../../shared/ui/ui';
import { useApp } from '../../../shared/context';
import { Link, navigate } from '../../../router';
import { ApptIcon } from './AppointmentsHome';
import { CallLink, clinicPhone, errorText, focusFirstIn, focusSoon, setFlash, useBookingOptions, VisitFacts } from './AppointmentsShared';
import { useLoad } from '../../../shared/hooks/useLoad';
import { ChoiceTimePicker, SubmitError, useTimeChoice } from './TimeChoice';

/** /appointments/:id/reschedule */
export function ReschedulePage({ appointmentId }: { appointmentId: string }) {
  const { api, patient, clinic } = useApp();
  const pid = patient?.id ?? null;
  const { options, error: optionsError, retry } = useBookingOptions(pid);
  const choice = useTimeChoice<string | null>(options?.time_zone, null);
  const { providerId, setProviderId, date, selected } = choice;
  const [step, setStep] = useState<'pick' | 'confirm'>('pick');
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
        choice.taken(selected, options.time_zone);
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
              <SubmitError id="move-submit-error" error={submitError} />
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
              <ChoiceTimePicker
                choice={choice}
                api={api}
                pid={pid}
                visitTypeId={current.visit_type.id}
                providers={options.providers}
                timeZone={tz}
                idPrefix="move"
              />
              <div class="form-actions appt-continue">
                <button
                  type="button"
                  class="button button--primary"
                  onClick={() => {
                    if (!selected) {
                      choice.setPickError('Choose a new time to continue.');
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
