// The staff schedule page: pick a provider, a day or week, and whether to show open times. The controls
// (ScheduleControls), each day (ScheduleDayCard), the front-desk queue (ScheduleQueueCard) and the move/cancel
// dialogs have their own files.

import { t } from '@lingui/core/macro';
import { useRef, useState } from 'preact/hooks';
import { appointmentsApi, type QueueItem, type ScheduleEntry } from '../api';
import { addDays, todayIn, zoneLabel } from '../appointmentsFormat';
import { Loading, Notice, Page } from '../../../shared/ui/ui';
import { LoadFailed } from '../../../shared/ui/Lists';
import { useApp } from '../../../shared/context';
import { errorText } from './AppointmentsShared';
import { useLoad } from '../../../shared/hooks/useLoad';
import { StaffCancelDialog, StaffMoveDialog } from './ScheduleDialogs';
import { QUEUE_WORDS, QueueCard } from './ScheduleQueueCard';
import { DayCard } from './ScheduleDayCard';
import { ScheduleControls } from './ScheduleControls';

type View = 'day' | 'week';
export type Status = { tone: 'success' | 'error'; text: string } | null;

/** "follow-up" -> "Follow-up" when no name is known. */
function humanize(id: string): string {
  const words = id.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function StaffSchedulePage() {
  const { api, me } = useApp();
  const role = me?.user.role;
  const canManage = role === 'clinician' || role === 'front_desk';
  const [providerId, setProviderId] = useState('');
  const [date, setDate] = useState('');
  const [typedDate, setTypedDate] = useState('');
  const [view, setView] = useState<View>('day');
  const [showOpen, setShowOpen] = useState(false);
  const [status, setStatus] = useState<Status>(null);
  const [busyRef, setBusyRef] = useState<string | null>(null);
  const [visitNames, setVisitNames] = useState<Record<string, string>>({});
  const [cancelling, setCancelling] = useState<ScheduleEntry | null>(null);
  const [moving, setMoving] = useState<ScheduleEntry | null>(null);
  const statusRef = useRef<HTMLDivElement>(null);

  // Providers and the clinic's zone; a clinician starts on their own schedule when their name matches.
  const providersLoad = useLoad(
    (signal) =>
      appointmentsApi(api)
        .staffProviders(signal)
        .then((r) => {
          const mine = r.providers.find((p) => p.name === me?.user.display_name);
          setProviderId((mine ?? r.providers[0])?.id ?? '');
          const today = todayIn(r.time_zone);
          setDate(today);
          setTypedDate(today);
          return r;
        }),
    [],
  );
  const providers = providersLoad.data?.providers ?? null;
  const timeZone = providersLoad.data?.time_zone ?? null;

  const firstDay = date;

  const scheduleLoad = useLoad(
    (signal) =>
      appointmentsApi(api)
        .staffSchedule({ provider: providerId, date: firstDay, days: view === 'week' ? 7 : 1 }, signal)
        .then((s) => {
          const names: Record<string, string> = {};
          for (const day of s.days) for (const e of day.entries) if (e.appointment) names[e.appointment.visit_type_id] = e.appointment.visit_type_name;
          setVisitNames((prev) => ({ ...names, ...prev }));
          return s;
        }),
    [providerId, firstDay, view],
    { enabled: Boolean(providerId && firstDay), keepData: true },
  );
  const schedule = scheduleLoad.data;
  const loadError = providersLoad.error
    ? errorText(providersLoad.error, t`We couldn't load the providers. Please try again.`)
    : scheduleLoad.error
      ? errorText(scheduleLoad.error, t`We couldn't load the schedule. Please try again.`)
      : null;

  const queueLoad = useLoad((signal) => appointmentsApi(api).frontDeskQueue(null, signal).then((q) => q.items), [], { keepData: true });
  const queue = queueLoad.data;
  const setQueue = queueLoad.set;
  const queueError = queueLoad.error ? errorText(queueLoad.error, t`We couldn't load online requests and changes.`) : null;

  // Visit type names for open slots and the queue (the staff routes send ids there).
  const someone = queue?.[0]?.patient_id ?? schedule?.days.flatMap((d) => d.entries).find((e) => e.appointment)?.appointment?.patient_id;
  // Loaded once, for the first patient seen: the names are the clinic's, whoever the patient is.
  const typesLoad = useLoad((signal) => appointmentsApi(api).bookingOptions(someone!, signal), [], { enabled: Boolean(someone) });
  const typeNames: Record<string, string> = Object.fromEntries(typesLoad.data?.visit_types.map((v) => [v.id, v.name]) ?? []);
  const visitName = (id: string | null) => (id ? (typeNames[id] ?? visitNames[id] ?? humanize(id)) : '');

  const say = (next: Status) => {
    setStatus(next);
    requestAnimationFrame(() => statusRef.current?.focus());
  };
  const refresh = () => {
    scheduleLoad.reload();
    queueLoad.reload();
  };

  const decide = async (ref: string, approve: boolean, who: string) => {
    if (busyRef) return;
    setBusyRef(ref);
    try {
      if (approve) await appointmentsApi(api).approveRequest(ref);
      else await appointmentsApi(api).declineRequest(ref);
      say({ tone: 'success', text: approve ? t`Request confirmed for ${who}.` : t`Request declined for ${who}; the time is open again.` });
      refresh();
    } catch (e) {
      say({ tone: 'error', text: errorText(e, t`We couldn't record the decision. Please try again.`) });
      refresh();
    } finally {
      setBusyRef(null);
    }
  };

  const markDone = async (item: QueueItem) => {
    if (busyRef) return;
    setBusyRef(item.ref);
    try {
      await appointmentsApi(api).markQueueItemDone(item.ref);
      setQueue((q) => (q ?? []).filter((i) => i.ref !== item.ref));
      say({ tone: 'success', text: t`Marked as reviewed: ${item.patient_name}, ${QUEUE_WORDS[item.kind]}.` });
    } catch (e) {
      say({ tone: 'error', text: errorText(e, t`We couldn't mark that as reviewed. Please try again.`) });
      refresh();
    } finally {
      setBusyRef(null);
    }
  };

  const commitDate = (value: string) => {
    setTypedDate(value);
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) setDate(value);
  };
  const step = (days: number) => {
    const next = addDays(date, days);
    setDate(next);
    setTypedDate(next);
  };

  const tz = schedule?.time_zone ?? timeZone ?? 'UTC';
  const providerName = providers?.find((p) => p.id === providerId)?.name ?? schedule?.provider.name ?? '';
  const today = timeZone ? todayIn(timeZone) : '';
  const requests = (queue ?? []).filter((q) => q.kind === 'requested');
  const others = (queue ?? []).filter((q) => q.kind !== 'requested');

  return (
    <Page title={t`Schedule`} lead={timeZone ? t`Times are the clinic's local time: ${zoneLabel(timeZone)}.` : undefined}>
      <div ref={statusRef} tabIndex={-1} class="status-anchor">
        <div role="status" aria-live="polite">
          {status ? (
            <Notice tone={status.tone}>
              <p>{status.text}</p>
            </Notice>
          ) : null}
        </div>
      </div>

      {!providers ? (
        loadError ? (
          <Notice tone="error" role="alert">
            <p>{loadError}</p>
          </Notice>
        ) : (
          <Loading label={t`Loading the schedule…`} />
        )
      ) : (
        <>
          <ScheduleControls
            providers={providers}
            providerId={providerId}
            setProviderId={setProviderId}
            typedDate={typedDate}
            commitDate={commitDate}
            view={view}
            setView={setView}
            step={step}
            onToday={() => {
              if (!today) return;
              setDate(today);
              setTypedDate(today);
            }}
            showOpen={showOpen}
            setShowOpen={setShowOpen}
          />

          <QueueCard
            requests={requests}
            others={others}
            loading={queue === null && !queueError}
            error={queueError}
            canManage={canManage}
            busyRef={busyRef}
            visitName={visitName}
            timeZone={tz}
            onDecide={decide}
            onDone={markDone}
          />

          {loadError ? (
            <LoadFailed error={loadError} onRetry={refresh} />
          ) : !schedule ? (
            <Loading label={t`Loading the schedule…`} />
          ) : (
            <div class="appt-days" aria-live="polite" aria-busy="false">
              {schedule.days.map((day) => (
                <DayCard
                  key={day.date}
                  day={day}
                  providerName={providerName}
                  timeZone={tz}
                  showOpen={showOpen}
                  canManage={canManage}
                  busyRef={busyRef}
                  visitName={visitName}
                  onCancel={setCancelling}
                  onMove={setMoving}
                  onDecide={decide}
                />
              ))}
            </div>
          )}
        </>
      )}

      <StaffCancelDialog
        entry={cancelling}
        timeZone={tz}
        providerName={providerName}
        onClose={() => setCancelling(null)}
        onDone={(text) => {
          setCancelling(null);
          say({ tone: 'success', text });
          refresh();
        }}
      />
      {providers ? (
        <StaffMoveDialog
          entry={moving}
          timeZone={tz}
          providers={providers}
          providerId={providerId}
          onClose={() => setMoving(null)}
          onDone={(text) => {
            setMoving(null);
            say({ tone: 'success', text });
            refresh();
          }}
        />
      ) : null}
    </Page>
  );
}
