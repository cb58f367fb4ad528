// Sections of a patient's chart that every staff view shares: upcoming visits (through the appointments
// routes) and, for clinicians, allergies and immunizations (from the health summary the chart loads).
// Each read is recorded on the server, so the patient sees it in their access log.

import { t } from '@lingui/core/macro';
import { Trans } from '@lingui/react/macro';
import type { ComponentChildren } from 'preact';
import { appointmentsApi } from '../../appointments/api';
import { formatDay, formatTime } from '../../appointments/appointmentsFormat';
import type { Allergy, Immunization } from '../../records/api';
import { useApp } from '../../../shared/context';
import { formatDate } from '../../../shared/format';
import { useLoad } from '../../../shared/hooks/useLoad';
import { Loading } from '../../../shared/ui/ui';

export function UpcomingVisits({ patientId, headingId = 'sp-upcoming' }: { patientId: string; headingId?: string }) {
  const { api } = useApp();
  const load = useLoad((signal) => appointmentsApi(api).appointments(patientId, 'upcoming', null, signal), [patientId]);
  const upcoming = load.data?.items ?? null;
  return (
    <section class="card" aria-labelledby={headingId}>
      <h2 id={headingId}>
        <Trans>Upcoming appointments</Trans>
      </h2>
      {load.error ? (
        <p>
          <Trans>We couldn't load the appointments.</Trans>{' '}
          <button type="button" class="link-button" onClick={load.reload}>
            <Trans>Try again</Trans>
          </button>
        </p>
      ) : upcoming === null ? (
        <Loading label={t`Loading appointments…`} />
      ) : upcoming.length === 0 ? (
        <p class="muted">
          <Trans>No upcoming appointments.</Trans>
        </p>
      ) : (
        <ul class="sp-appointments">
          {upcoming.map((a) => (
            <li key={a.id}>
              <time dateTime={a.starts_at}>
                {formatDay(a.starts_at, a.time_zone)}, {formatTime(a.starts_at, a.time_zone)}
              </time>{' '}
              · {t`${a.visit_type?.name ?? t`Appointment`} with ${a.provider.name}`}
              {a.status === 'requested' ? t` · requested` : ''}
              {a.status === 'cancelled' || a.status === 'declined' ? (
                <strong class="sp-cancelled"> · {a.status === 'declined' ? t`declined` : t`cancelled`}</strong>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function AllergiesSection({ allergies, actions }: { allergies: Allergy[]; actions?: (allergy: Allergy) => ComponentChildren }) {
  const active = allergies.filter((a) => a.status === 'active');
  return (
    <section class="card" aria-labelledby="st-allergies">
      <h2 id="st-allergies">
        <Trans>Allergies</Trans>
      </h2>
      {active.length === 0 ? (
        <p class="muted">
          <Trans>No known allergies recorded.</Trans>
        </p>
      ) : (
        <ul class="st-simple">
          {active.map((a) => (
            <li key={a.id}>
              <strong>{a.substance}</strong>
              {a.reaction ? ` · ${a.reaction}` : ''}
              {a.severity ? <span class="muted"> · {a.severity}</span> : null}{' '}
              {actions ? actions(a) : null}
              <EntrySourceNote source={a.source} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function ImmunizationsSection({ immunizations }: { immunizations: Immunization[] }) {
  const newestFirst = [...immunizations].sort((a, b) => b.date.localeCompare(a.date));
  return (
    <section class="card" aria-labelledby="st-immunizations">
      <h2 id="st-immunizations">
        <Trans>Immunizations</Trans>
      </h2>
      {newestFirst.length === 0 ? (
        <p class="muted">
          <Trans>No immunizations recorded.</Trans>
        </p>
      ) : (
        <ul class="st-simple">
          {newestFirst.map((i) => (
            <li key={i.id}>
              <strong>{i.vaccine}</strong>
              <span class="muted">
                {' '}
                · {formatDate(i.date)}
                {i.dose_number ? t` · dose ${i.dose_number}` : ''}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Where an entry came from when staff did not type it: "From the eCheck-in of Dec 7, accepted by …". */
export function EntrySourceNote({ source }: { source?: { appointment_id: string; accepted_by: string; accepted_at: string } | null }) {
  if (!source) return null;
  return (
    <span class="muted small st-source">
      {' '}
      {t`· From the patient's eCheck-in, accepted by ${source.accepted_by} on ${formatDate(source.accepted_at.slice(0, 10))}`}
    </span>
  );
}
