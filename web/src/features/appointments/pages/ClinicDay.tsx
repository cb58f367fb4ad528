// The clinic's day for the front desk: every provider's visits on one screen, each with its status and the
// buttons for its next step (arrived, roomed, seen, no-show).

import { msg, plural, t } from '@lingui/core/macro';
import { Trans } from '@lingui/react/macro';
import { useRef, useState } from 'preact/hooks';
import { appointmentsApi, type ClinicDay, type ScheduledVisit, type VisitStatus, type VisitStep } from '../api';
import { addDays, formatCalendarDay, formatTime, formatTimeRange, todayIn, zoneLabel } from '../appointmentsFormat';
import { Field, Loading, Notice, Page } from '../../../shared/ui/ui';
import { LoadFailed } from '../../../shared/ui/Lists';
import { useApp } from '../../../shared/context';
import { translated } from '../../../shared/i18n';
import { useLoad } from '../../../shared/hooks/useLoad';
import { Link } from '../../../router';
import { errorText } from './AppointmentsShared';
import { ApptIcon } from './AppointmentsHome';

export const VISIT_WORDS = translated<VisitStatus>({
  requested: msg`Requested`,
  booked: msg`Booked`,
  arrived: msg`Arrived`,
  roomed: msg`Roomed`,
  seen: msg`Seen`,
  no_show: msg`No-show`,
  cancelled: msg`Cancelled`,
});

/** The counts line: "3 booked", "1 no-show"… */
const COUNT_WORDS = translated<VisitStatus>({
  requested: msg`requested`,
  booked: msg`booked`,
  arrived: msg`arrived`,
  roomed: msg`roomed`,
  seen: msg`seen`,
  no_show: msg`no-show`,
  cancelled: msg`cancelled`,
});

const STEP_BUTTON = translated<VisitStep>({ arrived: msg`Arrived`, roomed: msg`Roomed`, seen: msg`Seen`, no_show: msg`No-show` });

/** The steps a visit may take next (the server holds the rule and refuses anything else). */
export function nextSteps(status: VisitStatus): VisitStep[] {
  if (status === 'booked') return ['arrived', 'no_show'];
  if (status === 'arrived') return ['roomed'];
  if (status === 'roomed') return ['seen'];
  return [];
}

/** A step marked by mistake may be taken back, on the clinic day it was marked (the server checks too). */
export function canUndo(visit: Pick<ScheduledVisit, 'visit_status' | 'visit_events'>, today: string): boolean {
  const last = visit.visit_events[visit.visit_events.length - 1];
  if (!last || visit.visit_status === 'booked' || visit.visit_status === 'cancelled' || visit.visit_status === 'requested') return false;
  return last.at.slice(0, 10) === today; // `at` is in the clinic's time zone, so its date is the clinic's day
}

function tone(status: VisitStatus): 'ok' | 'pending' | 'off' {
  if (status === 'cancelled' || status === 'no_show') return 'off';
  if (status === 'requested') return 'pending';
  return 'ok';
}

const COUNTED: VisitStatus[] = ['booked', 'arrived', 'roomed', 'seen', 'no_show', 'cancelled'];

export function ClinicDayPage() {
  const { api, me } = useApp();
  const role = me?.user.role;
  const canManage = role === 'clinician' || role === 'front_desk';
  const [date, setDate] = useState<string | null>(null);
  const [status, setStatus] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const statusRef = useRef<HTMLDivElement>(null);

  const dayLoad = useLoad((signal) => appointmentsApi(api).clinicDay(date, signal), [date], { keepData: true });
  const day: ClinicDay | null = dayLoad.data;
  const tz = day?.time_zone ?? 'UTC';
  const shownDate = date ?? day?.date ?? '';
  const today = todayIn(tz);

  const say = (next: { tone: 'success' | 'error'; text: string }) => {
    setStatus(next);
    requestAnimationFrame(() => statusRef.current?.focus());
  };

  const mark = async (visit: ScheduledVisit, step: VisitStep | 'undo', startsAt: string) => {
    if (busy) return;
    setBusy(visit.ref);
    try {
      const changed =
        step === 'undo'
          ? await appointmentsApi(api).undoVisitStatus(visit.ref, visit.version)
          : await appointmentsApi(api).setVisitStatus(visit.ref, step, visit.version);
      dayLoad.set((d) =>
        d
          ? {
              ...d,
              providers: d.providers.map((p) => ({
                ...p,
                visits: p.visits.map((v) => (v.visit.ref === visit.ref ? { ...v, visit: changed } : v)),
              })),
            }
          : d,
      );
      const who = `${visit.patient_name} (${formatTime(startsAt, tz)})`;
      const now = COUNT_WORDS[changed.visit_status];
      const marked = step === 'undo' ? '' : COUNT_WORDS[step];
      say({
        tone: 'success',
        text: step === 'undo' ? t`${who}: last step undone, now ${now}.` : t`${who} marked ${marked}.`,
      });
      dayLoad.reload();
    } catch (e) {
      say({ tone: 'error', text: errorText(e, t`We couldn't change the visit's status. Please try again.`) });
      dayLoad.reload();
    } finally {
      setBusy(null);
    }
  };

  const go = (next: string) => {
    if (/^\d{4}-\d{2}-\d{2}$/.test(next)) setDate(next);
  };

  return (
    <Page title={t`Clinic day`} lead={day ? t`All providers. Times are the clinic's local time: ${zoneLabel(day.time_zone)}.` : undefined}>
      <p>
        <Link href="/schedule">
          <Trans>One provider's schedule, week view and online requests</Trans>
        </Link>
      </p>
      <div ref={statusRef} tabIndex={-1} class="status-anchor">
        <div role="status" aria-live="polite">
          {status ? (
            <Notice tone={status.tone}>
              <p>{status.text}</p>
            </Notice>
          ) : null}
        </div>
      </div>
      <form class="card appt-schedule-controls" onSubmit={(e) => e.preventDefault()} aria-label={t`Choose a day`}>
        <Field id="day-date" label={t`Date`}>
          {(describedBy) => (
            <input
              id="day-date"
              type="date"
              class="appt-date"
              value={shownDate}
              aria-describedby={describedBy}
              onChange={(e) => go((e.currentTarget as HTMLInputElement).value)}
            />
          )}
        </Field>
        <div class="appt-schedule-nav" role="group" aria-label={t`Move through the days`}>
          <button type="button" class="button button--ghost" onClick={() => shownDate && go(addDays(shownDate, -1))}>
            <ApptIcon name="arrowLeft" />
            <Trans>Previous day</Trans>
          </button>
          <button type="button" class="button button--ghost" onClick={() => day && go(todayIn(day.time_zone))}>
            <Trans>Today</Trans>
          </button>
          <button type="button" class="button button--ghost" onClick={() => shownDate && go(addDays(shownDate, 1))}>
            <Trans>Next day</Trans>
            <ApptIcon name="arrowRight" />
          </button>
        </div>
      </form>

      {dayLoad.error && !day ? (
        <LoadFailed error={errorText(dayLoad.error, t`We couldn't load the day. Please try again.`)} onRetry={dayLoad.reload} />
      ) : !day ? (
        <Loading label={t`Loading the day…`} />
      ) : (
        <>
          <h2>{formatCalendarDay(day.date)}</h2>
          <p class="appt-counts" aria-label={t`Visits by status`}>
            {COUNTED.map((s) => (
              <span key={s}>
                <strong>{day.counts[s] ?? 0}</strong> {COUNT_WORDS[s]}
              </span>
            ))}
          </p>
          <div class="appt-days">
            {day.providers.map((p) => {
              const headingId = `day-provider-${p.provider.id}`;
              return (
                <section key={p.provider.id} class="card card--flush appt-day-card" aria-labelledby={headingId}>
                  <div class="appt-day-head">
                    <h3 id={headingId}>
                      {p.provider.name}
                      {p.provider.credentials ? `, ${p.provider.credentials}` : ''}
                    </h3>
                    <p class="muted small">
                      {plural(p.visits.length, { one: '# visit', other: '# visits' })}
                    </p>
                  </div>
                  {p.visits.length === 0 ? (
                    <p class="appt-day-empty muted">
                      <Trans>No visits this day.</Trans>
                    </p>
                  ) : (
                    <table class="appt-table">
                      <caption class="visually-hidden">
                        {p.provider.name}, {formatCalendarDay(day.date)}
                      </caption>
                      <thead>
                        <tr>
                          <th scope="col" class="appt-col-time">
                            <Trans>Time</Trans>
                          </th>
                          <th scope="col">
                            <Trans>Patient</Trans>
                          </th>
                          <th scope="col">
                            <Trans>Visit</Trans>
                          </th>
                          <th scope="col" class="appt-col-status">
                            <Trans>Status</Trans>
                          </th>
                          {canManage ? (
                            <th scope="col">
                              <Trans>Mark</Trans>
                            </th>
                          ) : null}
                        </tr>
                      </thead>
                      <tbody>
                        {p.visits.map(({ starts_at, ends_at, visit }) => {
                          const last = visit.visit_events[visit.visit_events.length - 1];
                          const steps = canManage ? nextSteps(visit.visit_status) : [];
                          return (
                            <tr key={visit.ref} class={`appt-tr appt-tr--appt${tone(visit.visit_status) === 'off' ? ' appt-tr--inactive' : ''}`}>
                              <td data-label={t`Time`} class="appt-td-time">
                                {formatTimeRange(starts_at, ends_at, tz)}
                              </td>
                              <td data-label={t`Patient`} class="appt-td-patient">
                                <Link href={`/staff/patients/${encodeURIComponent(visit.patient_id)}`}>{visit.patient_name}</Link>
                              </td>
                              <td data-label={t`Visit`}>{visit.visit_type_name}</td>
                              <td data-label={t`Status`}>
                                <span class={`appt-chip appt-chip--${tone(visit.visit_status)}`}>{VISIT_WORDS[visit.visit_status]}</span>
                                {last ? (
                                  <span class="muted small appt-td-sub">
                                    {formatTime(last.at, tz)} · {last.by_name}
                                  </span>
                                ) : null}
                              </td>
                              {canManage ? (
                                <td data-label={t`Mark`} class="appt-td-actions">
                                  {steps.length || canUndo(visit, today) ? (
                                    <div class="appt-row-actions">
                                      {steps.map((step) => (
                                        <button
                                          key={step}
                                          type="button"
                                          class={`button ${step === 'no_show' ? 'button--secondary' : 'button--primary'} appt-small`}
                                          aria-disabled={busy ? 'true' : undefined}
                                          onClick={() => void mark(visit, step, starts_at)}
                                        >
                                          {STEP_BUTTON[step]}
                                          <span class="visually-hidden">{t`: ${visit.patient_name} at ${formatTime(starts_at, tz)}`}</span>
                                        </button>
                                      ))}
                                      {canUndo(visit, today) ? (
                                        <button
                                          type="button"
                                          class="button button--secondary appt-small"
                                          aria-disabled={busy ? 'true' : undefined}
                                          onClick={() => void mark(visit, 'undo', starts_at)}
                                        >
                                          {t`Undo`}
                                          <span class="visually-hidden">
                                            {t`: ${VISIT_WORDS[visit.visit_status]}, ${visit.patient_name} at ${formatTime(starts_at, tz)}`}
                                          </span>
                                        </button>
                                      ) : null}
                                    </div>
                                  ) : (
                                    <span class="muted">–</span>
                                  )}
                                </td>
                              ) : null}
                            </tr>
                          );
                        })}
                      </tbody>
                    </table>
                  )}
                </section>
              );
            })}
          </div>
        </>
      )}
    </Page>
  );
}
