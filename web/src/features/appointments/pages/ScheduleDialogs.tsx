// The staff schedule's dialogs: cancel a patient's appointment, and move it to another open time.

import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../../shared/api/client';
import { type AppointmentProvider, appointmentsApi, type AppointmentSlot, type ScheduleEntry } from '../api';
import { formatDay, formatTime, todayIn } from '../appointmentsFormat';
import { Dialog } from '../../../shared/ui/Dialog';
import { Notice } from '../../../shared/ui/ui';
import { useApp } from '../../../shared/context';
import { errorText } from './AppointmentsShared';
import { TimePicker } from './TimePicker';

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
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const shown = useRef<ScheduleEntry | null>(null);
  if (entry) shown.current = entry;
  const current = entry ?? shown.current;
  const a = current?.appointment ?? null;
  useEffect(() => {
    setError(null);
    setBusy(false);
  }, [entry]);

  const confirm = async () => {
    if (!entry?.appointment || busy) return;
    const visit = entry.appointment;
    setBusy(true);
    try {
      await appointmentsApi(api).cancelAppointment(visit.patient_id, visit.id);
      onDone(`${visit.patient_name}'s visit on ${formatDay(entry.starts_at, timeZone)} at ${formatTime(entry.starts_at, timeZone)} is cancelled.`);
    } catch (e) {
      setError(errorText(e, "We couldn't cancel this visit. Please try again."));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={entry !== null}
      onClose={onClose}
      id="sched-cancel"
      role="alertdialog"
      title="Cancel this visit?"
      describedBy="sched-cancel-desc"
      initialFocus="sched-cancel-keep"
      footer={
        <>
          <button type="button" class="button appt-button--danger-solid" onClick={confirm} aria-disabled={busy ? 'true' : undefined}>
            {busy ? 'Cancelling…' : 'Yes, cancel visit'}
          </button>
          <button type="button" class="button button--secondary" id="sched-cancel-keep" onClick={onClose}>
            Keep visit
          </button>
        </>
      }
    >
      {current && a ? (
        <>
          <p id="sched-cancel-desc">
            <strong>{a.patient_name}</strong>: {a.visit_type_name} with {providerName}, {formatDay(current.starts_at, timeZone)} at{' '}
            {formatTime(current.starts_at, timeZone)}. The time opens up for other patients. Let the patient know.
          </p>
          {error ? (
            <Notice tone="error" role="alert">
              <p>{error}</p>
            </Notice>
          ) : null}
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
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const shown = useRef<ScheduleEntry | null>(null);
  if (entry) shown.current = entry;
  const current = entry ?? shown.current;
  const a = current?.appointment ?? null;

  useEffect(() => {
    if (!entry) return;
    setPickProvider(providerId);
    setDate(todayIn(timeZone));
    setSelected(null);
    setError(null);
    setBusy(false);
  }, [entry]);

  const move = async () => {
    if (!entry?.appointment || busy) return;
    if (!selected) {
      setError('Choose a new time first.');
      return;
    }
    const visit = entry.appointment;
    setBusy(true);
    setError(null);
    try {
      const moved = await appointmentsApi(api).rescheduleAppointment(visit.patient_id, visit.id, selected.id);
      onDone(
        `${visit.patient_name}'s visit moved to ${formatDay(moved.starts_at, timeZone)} at ${formatTime(moved.starts_at, timeZone)} with ${moved.provider.name}.`,
      );
    } catch (e) {
      setError(errorText(e, "We couldn't move this visit. Please try again."));
      if (e instanceof ApiError && e.status === 409) {
        setSelected(null);
        setRefresh((n) => n + 1);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={entry !== null}
      onClose={onClose}
      id="sched-move"
      title="Move this visit"
      describedBy="sched-move-desc"
      footer={
        <>
          <button type="button" class="button button--primary" onClick={move} aria-disabled={busy ? 'true' : undefined}>
            {busy ? 'Moving…' : 'Move visit'}
          </button>
          <button type="button" class="button button--secondary" onClick={onClose}>
            Keep current time
          </button>
        </>
      }
    >
      {current && a ? (
        <>
          <p id="sched-move-desc">
            <strong>{a.patient_name}</strong>: {a.visit_type_name}, now {formatDay(current.starts_at, timeZone)} at{' '}
            {formatTime(current.starts_at, timeZone)}.
          </p>
          {error ? (
            <Notice tone="error" role="alert">
              <p>{error}</p>
            </Notice>
          ) : null}
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
