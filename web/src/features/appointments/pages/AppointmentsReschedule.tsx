// /appointments/:id/reschedule: a new time for a booked appointment.

import { t } from '@lingui/core/macro';
import { Trans } from '@lingui/react/macro';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../../shared/api/client';
import { appointmentsApi } from '../api';
import { formatDay, formatTime, formatTimeRange, statusLabel, zoneLabel } from '../appointmentsFormat';
import { Loading, Notice, Page } from '../../../shared/ui/ui';
import { useApp } from '../../../shared/context';
import { Link, navigate } from '../../../router';
import { ApptIcon } from './AppointmentsHome';
import { CallLink, clinicPhone, errorText, focusFirstIn, focusSoon, setFlash, useBookingOptions, VisitFacts } from './AppointmentsShared';
import { useLoad } from '../../../shared/hooks/useLoad';
import { ChoiceTimePicker, SubmitError, useTimeChoice } from './TimeChoice';

function closedOnText(day: string, time: string): string {
  return t`Online changes closed on ${day} at ${time}.`;
}

function isStatusText(status: string): string {
  return t`This appointment's status: ${status}.`;
}

function whenWith(day: string, times: string, provider: string): string {
  return t`${day}, ${times} with ${provider}`;
}

function allTimesText(zone: string): string {
  return t`All times ${zone}`;
}

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
      ? t`We couldn't find this appointment.`
      : errorText(loaded.error, t`We couldn't load this appointment. Please try again.`);

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
      const day = formatDay(moved.starts_at, moved.time_zone);
      const time = formatTime(moved.starts_at, moved.time_zone);
      const provider = moved.provider.name;
      setFlash(
        moved.status === 'requested'
          ? t`Your request to move to ${day} at ${time} was sent. The clinic will confirm it.`
          : t`Your appointment was moved to ${day} at ${time} with ${provider}.`,
      );
      if (mounted.current) navigate('/appointments');
    } catch (e) {
      if (e instanceof ApiError && e.status === 409 && /taken|passed|not available|too soon/i.test(e.message) && options) {
        choice.taken(selected, options.time_zone);
        setStep('pick');
        focusSoon('move-conflict');
      } else {
        setSubmitError(errorText(e, t`We couldn't move this appointment. Please try again.`));
        focusSoon('move-submit-error');
      }
    } finally {
      if (mounted.current) setBusy(false);
    }
  };

  const tz = options?.time_zone ?? current?.time_zone ?? 'UTC';
  return (
    <Page title={t`Change appointment time`} lead={t`Pick a new time. Your current time is kept until you confirm the new one.`}>
      <p class="appt-back">
        <Link href="/appointments">
          <ApptIcon name="arrowLeft" size={18} />
          {t`Back to appointments`}
        </Link>
      </p>
      {loadError || optionsError ? (
        <Notice tone="error" role="alert">
          <p>{loadError ?? optionsError}</p>
          {optionsError ? (
            <button type="button" class="button button--secondary" onClick={retry}>
              {t`Try again`}
            </button>
          ) : null}
        </Notice>
      ) : !current || !options || !pid || date === null || providerId === null ? (
        <Loading label={t`Loading your appointment…`} />
      ) : !current.can_reschedule || !current.visit_type ? (
        <Notice tone="info" title={t`This appointment can't be changed online`}>
          <p>
            {current.status === 'booked' || current.status === 'requested'
              ? closedOnText(formatDay(current.cancel_deadline, tz), formatTime(current.cancel_deadline, tz))
              : isStatusText(statusLabel(current))}{' '}
            <Trans>
              Please call the clinic at <CallLink phone={phone.phone} display={phone.display} />.
            </Trans>
          </p>
        </Notice>
      ) : (
        <div class="appt-flow">
          <section class="card appt-step" aria-labelledby="move-current-title">
            <h2 id="move-current-title">{t`Your current appointment`}</h2>
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
                {t`Check the new time`}
              </h2>
              <div class="appt-compare">
                <p>
                  <span class="appt-compare-label">{t`From`}</span>
                  <s>{whenWith(formatDay(current.starts_at, tz), formatTimeRange(current.starts_at, current.ends_at, tz), current.provider.name)}</s>
                </p>
                <p>
                  <span class="appt-compare-label">{t`To`}</span>
                  <strong>
                    {whenWith(formatDay(selected.starts_at, tz), formatTimeRange(selected.starts_at, selected.ends_at, tz), selected.provider.name)}
                  </strong>
                </p>
                <p class="appt-zone">{allTimesText(zoneLabel(tz, selected.starts_at))}</p>
              </div>
              {current.visit_type.booking === 'request' ? (
                <p>{t`The clinic confirms the new time; until then it shows as requested.`}</p>
              ) : null}
              <SubmitError id="move-submit-error" error={submitError} />
              <div class="form-actions">
                <button type="button" class="button button--primary" onClick={submit} aria-disabled={busy ? 'true' : undefined}>
                  {busy ? t`Moving…` : t`Move my appointment`}
                </button>
                <button type="button" class="button button--secondary" onClick={() => toStep('pick')}>
                  {t`Choose a different time`}
                </button>
              </div>
            </section>
          ) : (
            <section class="card appt-step" aria-labelledby="move-times-title">
              <h2 id="move-times-title" tabIndex={-1}>
                {t`Choose a new time`}
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
                      choice.setPickError(t`Choose a new time to continue.`);
                      focusFirstIn('move-times', 'move-date');
                      return;
                    }
                    setSubmitError(null);
                    toStep('confirm');
                  }}
                >
                  {t`Continue`}
                </button>
              </div>
            </section>
          )}
        </div>
      )}
    </Page>
  );
}
