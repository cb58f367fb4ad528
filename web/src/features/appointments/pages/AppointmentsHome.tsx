// The "Next appointment" card on the patient home, and the few icons the
// appointment pages share. Kept small: it is in the main bundle; the pages themselves load on demand.

import { t } from '@lingui/core/macro';
import type { Appointment } from '../api';
import { formatDay, formatTimeRange, MODALITY_LABEL, statusLabel, statusTone, zoneLabel } from '../appointmentsFormat';
import { useApp } from '../../../shared/context';
import { dateTimeFormat } from '../../../shared/format';
import { Link } from '../../../router';
import { visitPath } from '../../visit/visitApi';
import '../appointments-home.css';
import { iconPaths, StrokeIcon } from '../../../shared/ui/Icons';

const apptPaths = {
  calendar: 'M8 2v4M16 2v4M3 10h18M5 4h14a2 2 0 0 1 2 2v14a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z',
  video: 'M23 7l-7 5 7 5V7zM3 5h11a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H3a2 2 0 0 1-2-2V7a2 2 0 0 1 2-2z',
  download: 'M21 15v4a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2v-4M7 10l5 5 5-5M12 15V3',
  clock: iconPaths.clock,
  check: 'M20 6 9 17l-5-5',
  pending: iconPaths.clock,
  off: 'M12 22a10 10 0 1 0 0-20 10 10 0 0 0 0 20zM4.9 4.9l14.2 14.2',
  pin: iconPaths.pin,
  user: iconPaths.user,
  clipboard:
    'M16 4h2a2 2 0 0 1 2 2v14a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2h2M9 2h6a1 1 0 0 1 1 1v2a1 1 0 0 1-1 1H9a1 1 0 0 1-1-1V3a1 1 0 0 1 1-1zM9 14l2 2 4-4',
  arrowLeft: 'M19 12H5M12 19l-7-7 7-7',
  arrowRight: 'M5 12h14M12 5l7 7-7 7',
  earlier: 'M1 4v6h6M3.5 15a9 9 0 1 0 2.1-9.4L1 10',
} as const;

export type ApptIconName = keyof typeof apptPaths;

/** Decorative icons for the appointment pages (always aria-hidden; the text next to them says it all). */
export function ApptIcon({ name, size = 20, class: className }: { name: ApptIconName; size?: number; class?: string }) {
  return <StrokeIcon d={apptPaths[name]} size={size} class={className} />;
}

/** The status in words with an icon (never colour alone). */
export function StatusChip({ appointment, past = false }: { appointment: Pick<Appointment, 'status'>; past?: boolean }) {
  const tone = past && appointment.status === 'booked' ? 'past' : statusTone(appointment.status);
  const icon: ApptIconName = tone === 'ok' ? 'check' : tone === 'pending' ? 'pending' : tone === 'past' ? 'clock' : 'off';
  return (
    <span class={`appt-chip appt-chip--${tone}`}>
      <ApptIcon name={icon} size={16} />
      {statusLabel(appointment, past)}
    </span>
  );
}

/** Month and day as a small calendar leaf; decorative (the heading next to it says the full date). */
export function DateLeaf({ iso, timeZone }: { iso: string; timeZone: string }) {
  const date = new Date(iso);
  const part = (o: Intl.DateTimeFormatOptions) => dateTimeFormat({ ...o, timeZone }).format(date);
  return (
    <span class="appt-leaf" aria-hidden="true">
      <span class="appt-leaf-month">{part({ month: 'short' })}</span>
      <span class="appt-leaf-day">{part({ day: 'numeric' })}</span>
      <span class="appt-leaf-weekday">{part({ weekday: 'short' })}</span>
    </span>
  );
}

function visitWith(visit: string, provider: string): string {
  return t`${visit} with ${provider}`;
}

/**
 * The home page's next-appointment card. The home page loads it with everything else it shows (one
 * request): `next` is undefined while loading, null when nothing is booked.
 */
export function NextAppointmentCard({ next, failed }: { next: Appointment | null | undefined; failed: boolean }) {
  const { patient } = useApp();
  const forSelf = patient?.relationship === 'self';

  if (!patient) return null;
  const name = patient.display_name;
  const title = forSelf ? t`Your next appointment` : t`${name}'s next appointment`;

  return (
    <section class="card appt-next" aria-labelledby="home-next-appointment">
      <div class="appt-next-head">
        <h2 id="home-next-appointment">{title}</h2>
        <Link href="/appointments" class="appt-next-all">
          {t`All appointments`}
        </Link>
      </div>
      {failed ? (
        <p class="muted">{t`We couldn't load appointments just now. Open Appointments to try again.`}</p>
      ) : next === undefined ? (
        <div class="skeleton-block appt-next-skeleton" aria-busy="true">
          <span class="visually-hidden" role="status">
            {t`Loading appointments…`}
          </span>
        </div>
      ) : next === null ? (
        <div class="appt-next-empty">
          <p>{t`No upcoming appointments.`}</p>
          <Link href="/appointments/book" class="button button--primary">
            <ApptIcon name="calendar" />
            {t`Book an appointment`}
          </Link>
        </div>
      ) : (
        <div class="appt-next-body">
          <DateLeaf iso={next.starts_at} timeZone={next.time_zone} />
          <div class="appt-next-text">
            <p class="appt-next-when">
              {formatDay(next.starts_at, next.time_zone)}, {formatTimeRange(next.starts_at, next.ends_at, next.time_zone)}
            </p>
            <p class="appt-zone">{zoneLabel(next.time_zone, next.starts_at)}</p>
            <p class="appt-next-what">
              {visitWith(next.visit_type?.name ?? t`Appointment`, next.provider.name)}
              <span class="appt-sep" aria-hidden="true">
                {' '}
                ·{' '}
              </span>
              <span class="visually-hidden">, </span>
              {MODALITY_LABEL[next.modality]}
            </p>
            <p>
              <StatusChip appointment={next} />
            </p>
            <div class="appt-actions">
              {next.join?.available_now ? (
                <Link href={visitPath(next.patient_id, next.id)} class="button button--primary">
                  <ApptIcon name="video" />
                  {t`Join video visit`}
                </Link>
              ) : null}
              {next.checkin?.available_now && next.checkin.status !== 'completed' ? (
                <Link href={`/appointments/${encodeURIComponent(next.id)}/check-in`} class="button button--primary">
                  <ApptIcon name="clipboard" />
                  {t`Start eCheck-in`}
                </Link>
              ) : null}
            </div>
          </div>
        </div>
      )}
    </section>
  );
}
