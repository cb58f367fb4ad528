// eCheck-in: loads the appointment, the questionnaires and the record's lists, then shows the form
// (CheckinEditor) or what was submitted. Everything entered is shown back as text, never as markup.

import { t } from '@lingui/core/macro';
import { useState } from 'preact/hooks';
import { ApiError } from '../../../shared/api/client';
import { appointmentsApi, type CheckinDetails } from '../api';
import type { RecordLists } from '../appointmentsCheckin';
import { formatDay, formatShortDateTime, formatTime, statusLabel, zoneLabel } from '../appointmentsFormat';
import { Loading, Notice, Page } from '../../../shared/ui/ui';
import { LoadFailed } from '../../../shared/ui/Lists';
import { useApp } from '../../../shared/context';
import { Link } from '../../../router';
import { ApptIcon } from './AppointmentsHome';
import { errorText, focusSoon } from './AppointmentsShared';
import { recordsApi } from '../../records/api';
import { useLoad } from '../../../shared/hooks/useLoad';
import { CheckinEditor } from './CheckinEditor';

function leadText(visit: string, provider: string, day: string, time: string, zone: string): string {
  return t`${visit} with ${provider}, ${day} at ${time} (${zone})`;
}

function thanksText(day: string, time: string): string {
  return t`Thank you. Your answers are with the clinic for your visit on ${day} at ${time}. You can update them until the visit starts.`;
}

function statusText(status: string): string {
  return t`This appointment's status: ${status}.`;
}

function opensText(when: string): string {
  return t`It opens on ${when}.`;
}

/** /appointments/:id/check-in */
export function CheckinPage({ appointmentId }: { appointmentId: string }) {
  const { api, patient } = useApp();
  const pid = patient?.id ?? null;
  const [done, setDone] = useState<CheckinDetails | null>(null);
  const loaded = useLoad(
    async (signal) => {
      const [appointment, details] = await Promise.all([
        appointmentsApi(api).appointment(pid!, appointmentId, signal),
        appointmentsApi(api).checkin(pid!, appointmentId, signal),
      ]);
      let record: RecordLists | null = null;
      if (!details.submitted && details.available_now) {
        // Start from the lists on the health record, so the patient confirms rather than retypes them.
        record = await recordsApi(api)
          .healthSummary(pid!, signal)
          .then((s) => ({ medications: s.medications, allergies: s.allergies }))
          .catch(() => null);
      }
      return { appointment, details, record };
    },
    [pid, appointmentId],
    { enabled: pid !== null, keepData: true },
  );
  const appointment = loaded.data?.appointment ?? null;
  const details = loaded.data?.details ?? null;
  const record: RecordLists | null | undefined = loaded.data ? loaded.data.record : undefined;
  const loadError = !loaded.error
    ? null
    : loaded.error instanceof ApiError && loaded.error.status === 404
      ? t`We couldn't find this appointment.`
      : errorText(loaded.error, t`We couldn't load eCheck-in. Please try again.`);

  const tz = appointment?.time_zone ?? 'UTC';
  const lead = appointment ? (
    <>
      {leadText(
        appointment.visit_type?.name ?? t`Appointment`,
        appointment.provider.name,
        formatDay(appointment.starts_at, tz),
        formatTime(appointment.starts_at, tz),
        zoneLabel(tz, appointment.starts_at),
      )}
    </>
  ) : undefined;

  return (
    <Page title={t`eCheck-in`} lead={lead}>
      <p class="appt-back">
        <Link href="/appointments">
          <ApptIcon name="arrowLeft" size={18} />
          {t`Back to appointments`}
        </Link>
      </p>
      {loadError ? (
        <LoadFailed error={loadError} onRetry={loaded.reload} />
      ) : !appointment || !details || record === undefined ? (
        <Loading label={t`Loading eCheck-in…`} />
      ) : done ? (
        <section class="card appt-confirm" aria-labelledby="checkin-done-title">
          <div class="appt-success">
            <ApptIcon name="check" size={28} />
            <h2 id="checkin-done-title" tabIndex={-1}>
              {t`You're checked in`}
            </h2>
          </div>
          <p>{thanksText(formatDay(appointment.starts_at, tz), formatTime(appointment.starts_at, tz))}</p>
          {appointment.modality === 'video' ? (
            <p>{t`On the day, open Appointments shortly before the start and choose "Join video visit".`}</p>
          ) : (
            <p>{t`On the day, please tell the front desk you have checked in online.`}</p>
          )}
          <Link href="/appointments" class="button button--primary">
            {t`Back to appointments`}
          </Link>
        </section>
      ) : !details.available_now ? (
        <Notice tone="info" title={appointment.status !== 'booked' ? t`eCheck-in is not open` : t`eCheck-in is not open yet`}>
          <p>
            {appointment.status === 'requested'
              ? t`eCheck-in opens once the clinic confirms your request.`
              : appointment.status !== 'booked'
                ? statusText(statusLabel(appointment))
                : Date.parse(details.opens_at) > Date.now()
                  ? opensText(formatShortDateTime(details.opens_at, tz))
                  : t`eCheck-in has closed because this visit has started.`}
          </p>
        </Notice>
      ) : (
        <CheckinEditor
          key={details.appointment_id}
          details={details}
          record={record}
          timeZone={tz}
          onDone={(d) => {
            setDone(d);
            focusSoon('checkin-done-title');
            window.scrollTo(0, 0);
          }}
        />
      )}
    </Page>
  );
}
