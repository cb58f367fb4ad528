// One day of a provider's schedule: its counts and its rows (appointments, blocked time, open times).

import { msg, t } from '@lingui/core/macro';
import { Trans } from '@lingui/react/macro';
import type { Schedule, ScheduleEntry } from '../api';
import { formatCalendarDay, formatTime, formatTimeRange, MODALITY_LABEL } from '../appointmentsFormat';
import { ApptIcon } from './AppointmentsHome';
import { useApp } from '../../../shared/context';
import { translated } from '../../../shared/i18n';
import { Link } from '../../../router';
import { visitPath } from '../../visit/visitApi';
import { canReviewCheckin, checkinReviewHref } from '../../staff-patients/staffPatients';
import { VISIT_WORDS } from './ClinicDay';

export const STATUS_WORDS: Readonly<Record<string, string>> = translated({
  booked: msg`Booked`,
  requested: msg`Requested`,
  cancelled: msg`Cancelled`,
  declined: msg`Declined`,
  rescheduled: msg`Moved`,
});

export interface Row {
  key: string;
  kind: ScheduleEntry['kind'];
  start: string;
  end: string;
  entry: ScheduleEntry;
  count: number;
}

/** Consecutive blocked (and, if shown, open) slots become one row; appointments stay one row each. */
export function scheduleRows(entries: ScheduleEntry[], showOpen: boolean): Row[] {
  const rows: Row[] = [];
  for (const entry of entries) {
    if (entry.kind === 'open' && !showOpen) continue;
    const last = rows[rows.length - 1];
    if (entry.kind === 'blocked' && last && last.kind === 'blocked' && last.end === entry.starts_at) {
      last.end = entry.ends_at;
      last.count += 1;
      continue;
    }
    rows.push({
      key: `${entry.kind}-${entry.starts_at}-${entry.appointment?.id ?? entry.slot_id ?? ''}`,
      kind: entry.kind,
      start: entry.starts_at,
      end: entry.ends_at,
      entry,
      count: 1,
    });
  }
  return rows;
}

export function DayCard({
  day,
  providerName,
  timeZone,
  showOpen,
  canManage,
  busyRef,
  visitName,
  onCancel,
  onMove,
  onDecide,
}: {
  day: Schedule['days'][number];
  providerName: string;
  timeZone: string;
  showOpen: boolean;
  canManage: boolean;
  busyRef: string | null;
  visitName: (id: string | null) => string;
  onCancel: (e: ScheduleEntry) => void;
  onMove: (e: ScheduleEntry) => void;
  onDecide: (ref: string, approve: boolean, who: string) => void;
}) {
  const rows = scheduleRows(day.entries, showOpen);
  const headingId = `sched-day-${day.date}`;
  const now = Date.now();
  const role = useApp().me?.user.role;
  const isClinician = role === 'clinician';
  return (
    <section class="card card--flush appt-day-card" aria-labelledby={headingId}>
      <div class="appt-day-head">
        <h2 id={headingId}>{formatCalendarDay(day.date)}</h2>
        <p class="appt-counts">
          <span>
            <Trans>
              <strong>{day.booked}</strong> booked
            </Trans>
          </span>
          <span>
            <Trans>
              <strong>{day.checked_in}</strong> checked in
            </Trans>
          </span>
          <span>
            <Trans>
              <strong>{day.cancelled}</strong> cancelled
            </Trans>
          </span>
          <span>
            <Trans>
              <strong>{day.open}</strong> open
            </Trans>
          </span>
        </p>
      </div>
      {rows.length === 0 ? (
        <p class="appt-day-empty muted">{day.open > 0 ? t`No appointments yet.` : t`Nothing scheduled.`}</p>
      ) : (
        <table class="appt-table">
          <caption class="visually-hidden">
            {providerName}, {formatCalendarDay(day.date)}
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
              <th scope="col" class="appt-col-checkin">
                <Trans>eCheck-in</Trans>
              </th>
              {canManage ? (
                <th scope="col" class="appt-col-actions">
                  <span class="visually-hidden">
                    <Trans>Actions</Trans>
                  </span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              const a = row.entry.appointment;
              const time = formatTimeRange(row.start, row.end, timeZone);
              if (!a) {
                return (
                  <tr key={row.key} class={`appt-tr appt-tr--${row.kind}`}>
                    <td data-label={t`Time`} class="appt-td-time">
                      {time}
                    </td>
                    <td data-label={t`Patient`} colSpan={canManage ? 5 : 4}>
                      {row.kind === 'blocked' ? (
                        <span class="appt-blocked">
                          <ApptIcon name="off" size={16} />
                          <Trans>Not available</Trans>
                        </span>
                      ) : (
                        <span class="muted">{t`Open · ${visitName(row.entry.visit_type_id)}`}</span>
                      )}
                    </td>
                  </tr>
                );
              }
              const active = a.status === 'booked' || a.status === 'requested';
              // Once the patient is here (or marked a no-show) the visit can no longer be moved or cancelled.
              const changeable = active && (a.visit_status === 'booked' || a.visit_status === 'requested');
              const future = Date.parse(row.start) > now;
              return (
                <tr key={row.key} class={`appt-tr appt-tr--appt${active ? '' : ' appt-tr--inactive'}`}>
                  <td data-label={t`Time`} class="appt-td-time">
                    {time}
                  </td>
                  <td data-label={t`Patient`} class="appt-td-patient">
                    {a.patient_name}
                  </td>
                  <td data-label={t`Visit`}>
                    {a.visit_type_name}
                    <span class="muted small appt-td-sub">
                      {MODALITY_LABEL[a.modality]}
                      {a.booked_by_role === 'patient' ? t` · booked online` : ''}
                    </span>
                    {/* The clinician's way in; the server decides whether the join window is open. */}
                    {isClinician && a.modality === 'video' && a.status === 'booked' && now < Date.parse(row.end) + 60 * 60_000 ? (
                      <Link class="button button--primary appt-small" href={visitPath(a.patient_id, a.id)}>
                        <Trans>
                          Join video visit<span class="visually-hidden"> with {a.patient_name}</span>
                        </Trans>
                      </Link>
                    ) : null}
                  </td>
                  <td data-label={t`Status`}>
                    <span class={`appt-chip appt-chip--${a.status === 'booked' && a.visit_status !== 'no_show' ? 'ok' : a.status === 'requested' ? 'pending' : 'off'}`}>
                      <ApptIcon name={a.status === 'booked' ? 'check' : a.status === 'requested' ? 'pending' : 'off'} size={16} />
                      {a.status === 'booked' ? VISIT_WORDS[a.visit_status] : (STATUS_WORDS[a.status] ?? a.status)}
                    </span>
                  </td>
                  <td data-label={t`eCheck-in`}>
                    {!active ? (
                      <span class="muted">–</span>
                    ) : a.checkin_status === 'completed' ? (
                      <>
                        <span class="appt-checked">
                          <ApptIcon name="check" size={16} />
                          <Trans>Checked in</Trans>
                        </span>
                        {canReviewCheckin(role) ? (
                          <Link class="appt-td-sub small" href={checkinReviewHref(a.patient_id, a.id)}>
                            <Trans>
                              Review answers<span class="visually-hidden"> of {a.patient_name}</span>
                            </Trans>
                          </Link>
                        ) : null}
                      </>
                    ) : a.checkin_status === 'in_progress' ? (
                      t`In progress`
                    ) : (
                      <span class="muted">
                        <Trans>Not yet</Trans>
                      </span>
                    )}
                  </td>
                  {canManage ? (
                    <td data-label={t`Actions`} class="appt-td-actions">
                      {changeable && future ? (
                        <div class="appt-row-actions">
                          {a.status === 'requested' ? (
                            <>
                              <button
                                type="button"
                                class="button button--primary appt-small"
                                onClick={() => onDecide(a.ref, true, a.patient_name)}
                                aria-disabled={busyRef ? 'true' : undefined}
                              >
                                {t`Confirm`}
                                <span class="visually-hidden">{t` request for ${a.patient_name} at ${formatTime(row.start, timeZone)}`}</span>
                              </button>
                              <button
                                type="button"
                                class="button button--secondary appt-small"
                                onClick={() => onDecide(a.ref, false, a.patient_name)}
                                aria-disabled={busyRef ? 'true' : undefined}
                              >
                                {t`Decline`}
                                <span class="visually-hidden">{t` request for ${a.patient_name} at ${formatTime(row.start, timeZone)}`}</span>
                              </button>
                            </>
                          ) : null}
                          <button type="button" class="button button--secondary appt-small" onClick={() => onMove(row.entry)} aria-haspopup="dialog">
                            {t`Move`}
                            <span class="visually-hidden">{t` ${a.patient_name}'s visit at ${formatTime(row.start, timeZone)}`}</span>
                          </button>
                          <button type="button" class="button button--danger appt-small" onClick={() => onCancel(row.entry)} aria-haspopup="dialog">
                            {t`Cancel`}
                            <span class="visually-hidden">{t` ${a.patient_name}'s visit at ${formatTime(row.start, timeZone)}`}</span>
                          </button>
                        </div>
                      ) : null}
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
}
