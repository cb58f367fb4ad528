// One appointment on the list: upcoming (with its actions) or compact (past and inactive).

import { plural, t } from '@lingui/core/macro';
import { Trans } from '@lingui/react/macro';
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../../../shared/api/client';
import { type Appointment, appointmentsApi } from '../api';
import {
  calendarFilename,
  formatDay,
  formatShortDateTime,
  formatTimeRange,
  MODALITY_LABEL,
  providerLine,
  saveBlob,
  zoneLabel,
} from '../appointmentsFormat';
import { useApp } from '../../../shared/context';
import { Link } from '../../../router';
import { visitPath } from '../../visit/visitApi';
import { ApptIcon, DateLeaf, StatusChip } from './AppointmentsHome';
import { CallLink, deadlineText, errorText, modalityIcon } from './AppointmentsShared';
import type { Status } from './Appointments';

function minutesShort(minutes: number): string {
  return t`${minutes} min`;
}

function joinFromText(when: string, minutes: number): string {
  return plural(minutes, {
    one: `You can join from ${when}, # minute before the start. The join button appears here then.`,
    other: `You can join from ${when}, # minutes before the start. The join button appears here then.`,
  });
}

function checkinOpensText(when: string): string {
  return t`eCheck-in opens on ${when}.`;
}

function changeUntilText(deadline: string): string {
  return t`You can cancel or change online until ${deadline}.`;
}

function closedText(deadline: string): string {
  return t`Online changes closed on ${deadline}. To cancel or change, call the clinic.`;
}

function ClosedWithPhone({ deadline, phone }: { deadline: string; phone: { phone: string; display: string } }) {
  return (
    <Trans>
      Online changes closed on {deadline}. To cancel or change, call the clinic at{' '}
      <CallLink phone={phone.phone} display={phone.display} />.
    </Trans>
  );
}

export function UpcomingCard({
  appointment: a,
  phone,
  address,
  onCancel,
  onWaitlist,
  onList,
  onLeftList,
  onStatus,
}: {
  appointment: Appointment;
  phone: { phone: string; display: string } | null;
  address: string | null;
  onCancel: () => void;
  onWaitlist: () => void;
  onList: boolean;
  onLeftList: () => void;
  onStatus: (s: Status) => void;
}) {
  const { api } = useApp();
  const [icsBusy, setIcsBusy] = useState(false);
  const [leaving, setLeaving] = useState(false);
  const tz = a.time_zone;
  const visitName = a.visit_type?.name ?? t`Appointment`;
  const day = formatDay(a.starts_at, tz);
  const headingId = `appt-${a.id}-title`;
  const checkinPath = `/appointments/${encodeURIComponent(a.id)}/check-in`;
  const changesClosed = !a.can_cancel && !a.can_reschedule;

  // The join window opens (15 minutes before) and closes (at the end) while the page may be open:
  // re-check every 30 seconds for a video visit; the server still decides when the link is asked for.
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!a.join || a.status !== 'booked' || Date.now() >= Date.parse(a.join.closes_at)) return undefined;
    const timer = setInterval(() => setTick((n) => n + 1), 30_000);
    return () => clearInterval(timer);
  }, [a.id]);
  const joinOpen = a.join
    ? tick === 0
      ? a.join.available_now
      : Date.now() >= Date.parse(a.join.opens_at) && Date.now() < Date.parse(a.join.closes_at)
    : false;

  const downloadIcs = async () => {
    if (icsBusy) return;
    setIcsBusy(true);
    try {
      const blob = await appointmentsApi(api).appointmentCalendar(a.patient_id, a.id);
      saveBlob(new Blob([blob], { type: 'text/calendar' }), calendarFilename(a));
      onStatus({ tone: 'info', text: t`The calendar file was downloaded. Open it to add the visit to your calendar.` });
    } catch (e) {
      onStatus({ tone: 'error', text: errorText(e, t`We couldn't make the calendar file. Please try again.`) });
    } finally {
      setIcsBusy(false);
    }
  };

  const leaveList = async () => {
    if (leaving) return;
    setLeaving(true);
    try {
      await appointmentsApi(api).leaveWaitlist(a.patient_id, a.id);
      onLeftList();
      onStatus({ tone: 'success', text: t`You are no longer waiting for an earlier time. Your appointment is unchanged.` });
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) onLeftList();
      onStatus({ tone: 'error', text: errorText(e, t`We couldn't update the waitlist. Please try again.`) });
    } finally {
      setLeaving(false);
    }
  };

  return (
    <li class="card appt-card">
      <DateLeaf iso={a.starts_at} timeZone={tz} />
      <div class="appt-card-body">
        <div class="appt-card-top">
          <h3 id={headingId} class="appt-card-title">
            <span class="appt-card-day">{formatDay(a.starts_at, tz)}</span>,{' '}
            <span class="appt-card-time">{formatTimeRange(a.starts_at, a.ends_at, tz)}</span>
          </h3>
          <StatusChip appointment={a} />
        </div>
        <p class="appt-zone">{zoneLabel(tz, a.starts_at)}</p>
        <ul class="appt-meta">
          <li>
            <ApptIcon name="clipboard" size={18} />
            {visitName}
            {a.visit_type ? <span class="muted"> · {minutesShort(a.visit_type.duration_minutes)}</span> : null}
          </li>
          <li>
            <ApptIcon name="user" size={18} />
            {providerLine(a.provider)}
          </li>
          <li>
            {modalityIcon(a.modality)}
            {a.modality === 'video' ? MODALITY_LABEL.video : address ? t`In person · ${address}` : t`In person at the clinic`}
          </li>
        </ul>

        {a.status === 'requested' ? (
          <p class="appt-note">
            <ApptIcon name="pending" size={18} />
            <span>{t`The clinic will confirm this time. We'll let you know by your chosen contact method.`}</span>
          </p>
        ) : null}

        {a.join && a.status === 'booked' ? (
          joinOpen ? (
            <div class="appt-join">
              {/* Straight to the device check; the visit page joins (or waits) from there. */}
              <Link class="button button--primary" href={visitPath(a.patient_id, a.id)}>
                <ApptIcon name="video" />
                {t`Join video visit`}
              </Link>
            </div>
          ) : tick > 0 && Date.now() >= Date.parse(a.join.closes_at) ? (
            <p class="appt-note muted">
              <ApptIcon name="video" size={18} />
              <span>{t`This video visit has ended.`}</span>
            </p>
          ) : (
            <p class="appt-note">
              <ApptIcon name="video" size={18} />
              <span>{joinFromText(formatShortDateTime(a.join.opens_at, tz), Math.round((Date.parse(a.starts_at) - Date.parse(a.join.opens_at)) / 60_000))}</span>
            </p>
          )
        ) : null}

        {a.checkin && a.status === 'booked' ? (
          <div class="appt-checkin">
            {a.checkin.status === 'completed' ? (
              <p class="appt-done">
                <ApptIcon name="check" size={18} />
                <span>{t`eCheck-in done. Thank you!`}</span>
                {a.checkin.available_now ? (
                  <Link href={checkinPath} class="appt-inline-link">
                    {t`Review or update`}
                    <span class="visually-hidden"> {t`eCheck-in for ${day}`}</span>
                  </Link>
                ) : null}
              </p>
            ) : a.checkin.available_now ? (
              <>
                <p class="appt-note">
                  <ApptIcon name="clipboard" size={18} />
                  <span>{t`eCheck-in is open: confirm your details and answer a few questions before the visit.`}</span>
                </p>
                <Link href={checkinPath} class="button button--primary">
                  {a.checkin.status === 'in_progress' ? t`Finish eCheck-in` : t`Start eCheck-in`}
                  <span class="visually-hidden"> {t`for ${day}`}</span>
                </Link>
              </>
            ) : (
              <p class="appt-note muted">
                <ApptIcon name="clipboard" size={18} />
                <span>{checkinOpensText(formatShortDateTime(a.checkin.opens_at, tz))}</span>
              </p>
            )}
          </div>
        ) : null}

        {onList ? (
          <p class="appt-done">
            <ApptIcon name="earlier" size={18} />
            <span>{t`You're on the waitlist for an earlier time.`}</span>
            <button type="button" class="link-button appt-inline-link" onClick={leaveList} aria-disabled={leaving ? 'true' : undefined}>
              {t`Stop waiting`}
            </button>
          </p>
        ) : null}

        <div class="appt-actions">
          <button type="button" class="button button--secondary" onClick={downloadIcs} aria-disabled={icsBusy ? 'true' : undefined}>
            <ApptIcon name="download" />
            {icsBusy ? t`Preparing…` : t`Add to calendar`}
            <span class="visually-hidden"> ({day})</span>
          </button>
          {a.can_reschedule ? (
            <Link href={`/appointments/${encodeURIComponent(a.id)}/reschedule`} class="button button--secondary">
              {t`Reschedule`}
              <span class="visually-hidden"> {day}</span>
            </Link>
          ) : null}
          {a.status === 'booked' && !onList && a.can_reschedule ? (
            <button type="button" class="button button--ghost appt-earlier" onClick={onWaitlist} aria-haspopup="dialog">
              <ApptIcon name="earlier" />
              {t`Offer me an earlier time`}
            </button>
          ) : null}
          {a.can_cancel ? (
            <button type="button" class="button button--danger" onClick={onCancel} aria-haspopup="dialog">
              {a.status === 'requested' ? t`Withdraw request` : t`Cancel`}
              <span class="visually-hidden"> {t`appointment on ${day}`}</span>
            </button>
          ) : null}
        </div>
        {a.can_cancel ? (
          <p class="muted small appt-policy">{changeUntilText(deadlineText(a))}</p>
        ) : changesClosed ? (
          <p class="appt-policy small">
            {phone ? (
              <ClosedWithPhone deadline={deadlineText(a)} phone={phone} />
            ) : (
              closedText(deadlineText(a))
            )}
          </p>
        ) : null}
      </div>
    </li>
  );
}

export function CompactCard({ appointment: a, past = false }: { appointment: Appointment; past?: boolean }) {
  const tz = a.time_zone;
  return (
    <li class="appt-row">
      <div class="appt-row-when">
        <p class="appt-row-day">{formatDay(a.starts_at, tz)}</p>
        <p class="muted small">{formatTimeRange(a.starts_at, a.ends_at, tz)}</p>
      </div>
      <div class="appt-row-what">
        <p>
          {a.visit_type?.name ?? t`Appointment`}
          <span class="muted"> · {a.provider.name}</span>
        </p>
        <p class="muted small">{MODALITY_LABEL[a.modality]}</p>
      </div>
      <StatusChip appointment={a} past={past} />
    </li>
  );
}
