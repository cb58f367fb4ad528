// The staff schedule's dialogs: cancel a patient's appointment, and move it to another open time.

import { t } from '@lingui/core/macro';
import { Trans } from '@lingui/react/macro';
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../../../shared/api/client';
import { type AppointmentProvider, appointmentsApi, type AppointmentSlot, type ScheduleEntry } from '../api';
import { formatDay, formatTime, todayIn } from '../appointmentsFormat';
import { Dialog } from '../../../shared/ui/Dialog';
import { useApp } from '../../../shared/context';
import { errorText } from './AppointmentsShared';
import { TimePicker } from './TimePicker';
import { DialogButtons, DialogError, useDialogAction, useShown } from './DialogParts';

export function StaffCancelDialog({
  entry,
  timeZone,
  providerName,
  onClose,
  onDone,
}: {
  entry: ScheduleEntry | null;
  timeZone: string;
  providerName: string;
  onClose: () => void;
  onDone: (text: string) => void;
}) {
  const { api } = useApp();
  const { busy, error, reset, run } = useDialogAction();
  const current = useShown(entry);
  const a = current?.appointment ?? null;
  useEffect(reset, [entry]);

  const confirm = async () => {
    if (!entry?.appointment) return;
    const visit = entry.appointment;
    await run(
      async () => {
        await appointmentsApi(api).cancelAppointment(visit.patient_id, visit.id);
        onDone(t`${visit.patient_name}'s visit on ${formatDay(entry.starts_at, timeZone)} at ${formatTime(entry.starts_at, timeZone)} is cancelled.`);
      },
      (e) => errorText(e, t`We couldn't cancel this visit. Please try again.`),
      false,
    );
  };

  return (
    <Dialog
      open={entry !== null}
      onClose={onClose}
      id="sched-cancel"
      role="alertdialog"
      title={t`Cancel this visit?`}
      describedBy="sched-cancel-desc"
      initialFocus="sched-cancel-keep"
      footer={
        <DialogButtons
          busy={busy}
          busyLabel={t`Cancelling…`}
          label={t`Yes, cancel visit`}
          onAction={confirm}
          actionClass="button--danger-solid"
          closeLabel={t`Keep visit`}
          closeId="sched-cancel-keep"
          onClose={onClose}
        />
      }
    >
      {current && a ? (
        <>
          <p id="sched-cancel-desc">
            <Trans>
              <strong>{a.patient_name}</strong>: {a.visit_type_name} with {providerName}, {formatDay(current.starts_at, timeZone)} at{' '}
              {formatTime(current.starts_at, timeZone)}. The time opens up for other patients. Let the patient know.
            </Trans>
          </p>
          <DialogError error={error} />
        </>
      ) : null}
    </Dialog>
  );
}

export function StaffMoveDialog({
  entry,
  timeZone,
  providers,
  providerId,
  onClose,
  onDone,
}: {
  entry: ScheduleEntry | null;
  timeZone: string;
  providers: AppointmentProvider[];
  providerId: string;
  onClose: () => void;
  onDone: (text: string) => void;
}) {
  const { api } = useApp();
  const [pickProvider, setPickProvider] = useState(providerId);
  const [date, setDate] = useState(todayIn(timeZone));
  const [selected, setSelected] = useState<AppointmentSlot | null>(null);
  const [refresh, setRefresh] = useState(0);
  const { busy, error, setError, reset, run } = useDialogAction();
  const current = useShown(entry);
  const a = current?.appointment ?? null;

  useEffect(() => {
    if (!entry) return;
    setPickProvider(providerId);
    setDate(todayIn(timeZone));
    setSelected(null);
    reset();
  }, [entry]);

  const move = async () => {
    if (!entry?.appointment || busy) return;
    if (!selected) {
      setError(t`Choose a new time first.`);
      return;
    }
    const visit = entry.appointment;
    await run(
      async () => {
        const moved = await appointmentsApi(api).rescheduleAppointment(visit.patient_id, visit.id, selected.id);
        onDone(
          t`${visit.patient_name}'s visit moved to ${formatDay(moved.starts_at, timeZone)} at ${formatTime(moved.starts_at, timeZone)} with ${moved.provider.name}.`,
        );
      },
      (e) => {
        if (e instanceof ApiError && e.status === 409) {
          setSelected(null);
          setRefresh((n) => n + 1);
        }
        return errorText(e, t`We couldn't move this visit. Please try again.`);
      },
    );
  };

  return (
    <Dialog
      open={entry !== null}
      onClose={onClose}
      id="sched-move"
      title={t`Move this visit`}
      describedBy="sched-move-desc"
      footer={
        <DialogButtons
          busy={busy}
          busyLabel={t`Moving…`}
          label={t`Move visit`}
          onAction={move}
          actionClass="button--primary"
          closeLabel={t`Keep current time`}
          onClose={onClose}
        />
      }
    >
      {current && a ? (
        <>
          <p id="sched-move-desc">
            <Trans>
              <strong>{a.patient_name}</strong>: {a.visit_type_name}, now {formatDay(current.starts_at, timeZone)} at{' '}
              {formatTime(current.starts_at, timeZone)}.
            </Trans>
          </p>
          <DialogError error={error} />
          {entry ? (
            <TimePicker
              api={api}
              pid={a.patient_id}
              visitTypeId={a.visit_type_id}
              providers={providers}
              timeZone={timeZone}
              providerId={pickProvider}
              onProviderChange={setPickProvider}
              date={date}
              onDateChange={setDate}
              selected={selected}
              onSelect={setSelected}
              refresh={refresh}
              idPrefix="sched-move"
            />
          ) : null}
        </>
      ) : null}
    </Dialog>
  );
}
