// The staff schedule. A provider's day or week (appointments with check-in status,
// cancellations, blocked time, optionally open times), the front-desk queue of what patients did online
// (approve or decline requests, mark reviewed), and moving or cancelling a visit for a patient.

import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../../shared/api/client';
import { type AppointmentProvider, appointmentsApi, type AppointmentSlot, type QueueItem, type Schedule, type ScheduleEntry } from '../api';
import {
  addDays,
  formatCalendarDay,
  formatDay,
  formatShortDateTime,
  formatTime,
  formatTimeRange,
  MODALITY_LABEL,
  todayIn,
  zoneLabel,
} from '../appointmentsFormat';
import { Dialog } from '../../../shared/ui/Dialog';
import { Field, Loading, Notice, Page } from '../../../shared/ui/ui';
import { useApp } from '../../../shared/context';
import { ApptIcon } from './AppointmentsHome';
import { errorText, TimePicker } from './AppointmentsShared';
import { useLoad } from '../../../shared/hooks/useLoad';

type View = 'day' | 'week';
type Status = { tone: 'success' | 'error'; text: string } | null;

const STATUS_WORDS: Record<string, string> = {
  booked: 'Booked',
  requested: 'Requested',
  cancelled: 'Cancelled',
  declined: 'Declined',
  rescheduled: 'Moved',
};

const QUEUE_WORDS: Record<QueueItem['kind'], string> = {
  booked: 'Booked online',
  requested: 'Request to confirm',
  cancelled: 'Cancelled online',
  rescheduled: 'Moved online',
};

/** "follow-up" -> "Follow-up" when no name is known. */
function humanize(id: string): string {
  const t = id.replace(/-/g, ' ');
  return t.charAt(0).toUpperCase() + t.slice(1);
}

interface Row {
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
    ? errorText(providersLoad.error, "We couldn't load the providers. Please try again.")
    : scheduleLoad.error
      ? errorText(scheduleLoad.error, "We couldn't load the schedule. Please try again.")
      : null;

  const queueLoad = useLoad((signal) => appointmentsApi(api).frontDeskQueue(null, signal).then((q) => q.items), [], { keepData: true });
  const queue = queueLoad.data;
  const setQueue = queueLoad.set;
  const queueError = queueLoad.error ? errorText(queueLoad.error, "We couldn't load online requests and changes.") : null;

  // Visit type names for open slots and the queue (the staff routes send ids there).
  const someone = queue?.[0]?.patient_id ?? schedule?.days.flatMap((d) => d.entries).find((e) => e.appointment)?.appointment?.patient_id;
  const namesLoaded = useRef(false);
  useEffect(() => {
    if (!someone || namesLoaded.current) return;
    namesLoaded.current = true;
    appointmentsApi(api)
      .bookingOptions(someone)
      .then((o) => setVisitNames((prev) => ({ ...prev, ...Object.fromEntries(o.visit_types.map((v) => [v.id, v.name])) })))
      .catch(() => {
        namesLoaded.current = false;
      });
  }, [someone]);
  const visitName = (id: string | null) => (id ? visitNames[id] ?? humanize(id) : '');

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
      say({ tone: 'success', text: approve ? `Request confirmed for ${who}.` : `Request declined for ${who}; the time is open again.` });
      refresh();
    } catch (e) {
      say({ tone: 'error', text: errorText(e, "We couldn't record the decision. Please try again.") });
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
      say({ tone: 'success', text: `Marked as reviewed: ${item.patient_name}, ${QUEUE_WORDS[item.kind].toLowerCase()}.` });
    } catch (e) {
      say({ tone: 'error', text: errorText(e, "We couldn't mark that as reviewed. Please try again.") });
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
    <Page title="Schedule" lead={timeZone ? `Times are the clinic's local time: ${zoneLabel(timeZone)}.` : undefined}>
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
          <Loading label="Loading the schedule…" />
        )
      ) : (
        <>
          <form class="card appt-schedule-controls" onSubmit={(e) => e.preventDefault()} aria-label="Choose a schedule">
            <Field id="sched-provider" label="Provider">
              {(describedBy) => (
                <select
                  id="sched-provider"
                  value={providerId}
                  aria-describedby={describedBy}
                  onChange={(e) => setProviderId((e.currentTarget as HTMLSelectElement).value)}
                >
                  {providers.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name}
                      {p.specialty ? `, ${p.specialty}` : ''}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field id="sched-date" label="Date">
              {(describedBy) => (
                <input
                  id="sched-date"
                  type="date"
                  class="appt-date"
                  value={typedDate}
                  aria-describedby={describedBy}
                  onChange={(e) => commitDate((e.currentTarget as HTMLInputElement).value)}
                />
              )}
            </Field>
            <fieldset class="appt-segmented">
              <legend>Show</legend>
              {(['day', 'week'] as const).map((v) => (
                <span key={v}>
                  <input type="radio" id={`sched-view-${v}`} name="sched-view" checked={view === v} onChange={() => setView(v)} />
                  <label for={`sched-view-${v}`}>{v === 'day' ? 'Day' : 'Week'}</label>
                </span>
              ))}
            </fieldset>
            <div class="appt-schedule-nav" role="group" aria-label="Move through the schedule">
              <button type="button" class="button button--ghost" onClick={() => step(view === 'week' ? -7 : -1)}>
                <ApptIcon name="arrowLeft" />
                {view === 'week' ? 'Previous week' : 'Previous day'}
              </button>
              <button type="button" class="button button--ghost" onClick={() => {
                  if (!today) return;
                  setDate(today);
                  setTypedDate(today);
                }}>
                Today
              </button>
              <button type="button" class="button button--ghost" onClick={() => step(view === 'week' ? 7 : 1)}>
                {view === 'week' ? 'Next week' : 'Next day'}
                <ApptIcon name="arrowRight" />
              </button>
            </div>
            <div class="check appt-show-open">
              <input type="checkbox" id="sched-open" checked={showOpen} onChange={(e) => setShowOpen((e.currentTarget as HTMLInputElement).checked)} />
              <label for="sched-open">Show open times</label>
            </div>
          </form>

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
            <Notice tone="error" role="alert">
              <p>{loadError}</p>
              <button type="button" class="button button--secondary" onClick={refresh}>
                Try again
              </button>
            </Notice>
          ) : !schedule ? (
            <Loading label="Loading the schedule…" />
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

function DayCard({
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
  return (
    <section class="card card--flush appt-day-card" aria-labelledby={headingId}>
      <div class="appt-day-head">
        <h2 id={headingId}>{formatCalendarDay(day.date)}</h2>
        <p class="appt-counts">
          <span>
            <strong>{day.booked}</strong> booked
          </span>
          <span>
            <strong>{day.checked_in}</strong> checked in
          </span>
          <span>
            <strong>{day.cancelled}</strong> cancelled
          </span>
          <span>
            <strong>{day.open}</strong> open
          </span>
        </p>
      </div>
      {rows.length === 0 ? (
        <p class="appt-day-empty muted">{day.open > 0 ? 'No appointments yet.' : 'Nothing scheduled.'}</p>
      ) : (
        <table class="appt-table">
          <caption class="visually-hidden">
            {providerName}, {formatCalendarDay(day.date)}
          </caption>
          <thead>
            <tr>
              <th scope="col" class="appt-col-time">
                Time
              </th>
              <th scope="col">Patient</th>
              <th scope="col">Visit</th>
              <th scope="col" class="appt-col-status">
                Status
              </th>
              <th scope="col" class="appt-col-checkin">
                eCheck-in
              </th>
              {canManage ? (
                <th scope="col" class="appt-col-actions">
                  <span class="visually-hidden">Actions</span>
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
                    <td data-label="Time" class="appt-td-time">
                      {time}
                    </td>
                    <td data-label="Patient" colSpan={canManage ? 5 : 4}>
                      {row.kind === 'blocked' ? (
                        <span class="appt-blocked">
                          <ApptIcon name="off" size={16} />
                          Not available
                        </span>
                      ) : (
                        <span class="muted">Open · {visitName(row.entry.visit_type_id)}</span>
                      )}
                    </td>
                  </tr>
                );
              }
              const active = a.status === 'booked' || a.status === 'requested';
              const future = Date.parse(row.start) > now;
              return (
                <tr key={row.key} class={`appt-tr appt-tr--appt${active ? '' : ' appt-tr--inactive'}`}>
                  <td data-label="Time" class="appt-td-time">
                    {time}
                  </td>
                  <td data-label="Patient" class="appt-td-patient">
                    {a.patient_name}
                  </td>
                  <td data-label="Visit">
                    {a.visit_type_name}
                    <span class="muted small appt-td-sub">
                      {MODALITY_LABEL[a.modality]}
                      {a.booked_by_role === 'patient' ? ' · booked online' : ''}
                    </span>
                  </td>
                  <td data-label="Status">
                    <span class={`appt-chip appt-chip--${a.status === 'booked' ? 'ok' : a.status === 'requested' ? 'pending' : 'off'}`}>
                      <ApptIcon name={a.status === 'booked' ? 'check' : a.status === 'requested' ? 'pending' : 'off'} size={16} />
                      {STATUS_WORDS[a.status] ?? a.status}
                    </span>
                  </td>
                  <td data-label="eCheck-in">
                    {!active ? (
                      <span class="muted">–</span>
                    ) : a.checkin_status === 'completed' ? (
                      <span class="appt-checked">
                        <ApptIcon name="check" size={16} />
                        Checked in
                      </span>
                    ) : a.checkin_status === 'in_progress' ? (
                      'In progress'
                    ) : (
                      <span class="muted">Not yet</span>
                    )}
                  </td>
                  {canManage ? (
                    <td data-label="Actions" class="appt-td-actions">
                      {active && future ? (
                        <div class="appt-row-actions">
                          {a.status === 'requested' ? (
                            <>
                              <button
                                type="button"
                                class="button button--primary appt-small"
                                onClick={() => onDecide(a.ref, true, a.patient_name)}
                                aria-disabled={busyRef ? 'true' : undefined}
                              >
                                Confirm<span class="visually-hidden"> request for {a.patient_name} at {formatTime(row.start, timeZone)}</span>
                              </button>
                              <button
                                type="button"
                                class="button button--secondary appt-small"
                                onClick={() => onDecide(a.ref, false, a.patient_name)}
                                aria-disabled={busyRef ? 'true' : undefined}
                              >
                                Decline<span class="visually-hidden"> request for {a.patient_name} at {formatTime(row.start, timeZone)}</span>
                              </button>
                            </>
                          ) : null}
                          <button type="button" class="button button--secondary appt-small" onClick={() => onMove(row.entry)} aria-haspopup="dialog">
                            Move<span class="visually-hidden"> {a.patient_name}'s visit at {formatTime(row.start, timeZone)}</span>
                          </button>
                          <button type="button" class="button appt-button--danger appt-small" onClick={() => onCancel(row.entry)} aria-haspopup="dialog">
                            Cancel<span class="visually-hidden"> {a.patient_name}'s visit at {formatTime(row.start, timeZone)}</span>
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

function QueueCard({
  requests,
  others,
  loading,
  error,
  canManage,
  busyRef,
  visitName,
  timeZone,
  onDecide,
  onDone,
}: {
  requests: QueueItem[];
  others: QueueItem[];
  loading: boolean;
  error: string | null;
  canManage: boolean;
  busyRef: string | null;
  visitName: (id: string | null) => string;
  timeZone: string;
  onDecide: (ref: string, approve: boolean, who: string) => void;
  onDone: (item: QueueItem) => void;
}) {
  const item = (q: QueueItem) => {
    return (
      <li key={q.ref} class="appt-queue-item">
        <div class="appt-queue-text">
          <p class="appt-queue-title">
            <span class={`appt-chip appt-chip--${q.kind === 'requested' ? 'pending' : q.kind === 'cancelled' ? 'off' : 'ok'}`}>
              {QUEUE_WORDS[q.kind]}
            </span>{' '}
            <strong>{q.patient_name}</strong>
          </p>
          <p class="small">
            {visitName(q.visit_type_id)} with {q.provider.name}, {formatShortDateTime(q.starts_at, timeZone)}
          </p>
          <p class="muted small">Received {formatShortDateTime(q.at, timeZone)}</p>
        </div>
        {canManage ? (
          <div class="appt-row-actions">
            {q.kind === 'requested' ? (
              <>
                <button
                  type="button"
                  class="button button--primary appt-small"
                  onClick={() => onDecide(q.appointment_ref, true, q.patient_name)}
                  aria-disabled={busyRef ? 'true' : undefined}
                >
                  Confirm<span class="visually-hidden"> {q.patient_name}'s request</span>
                </button>
                <button
                  type="button"
                  class="button button--secondary appt-small"
                  onClick={() => onDecide(q.appointment_ref, false, q.patient_name)}
                  aria-disabled={busyRef ? 'true' : undefined}
                >
                  Decline<span class="visually-hidden"> {q.patient_name}'s request</span>
                </button>
              </>
            ) : (
              <button type="button" class="button button--secondary appt-small" onClick={() => onDone(q)} aria-disabled={busyRef ? 'true' : undefined}>
                Mark reviewed<span class="visually-hidden">: {q.patient_name}, {QUEUE_WORDS[q.kind].toLowerCase()}</span>
              </button>
            )}
          </div>
        ) : null}
      </li>
    );
  };
  return (
    <section class="card appt-queue" aria-labelledby="sched-queue-title">
      <div class="appt-queue-head">
        <h2 id="sched-queue-title">Online requests and changes</h2>
        <p class="muted small">What patients booked, asked for, moved or cancelled online, oldest first.</p>
      </div>
      {error ? (
        <Notice tone="error">
          <p>{error}</p>
        </Notice>
      ) : loading ? (
        <Loading label="Loading…" />
      ) : (
        <>
          <h3 class="appt-queue-sub">
            Requests to confirm <span class="appt-count-badge">{requests.length}</span>
          </h3>
          {requests.length === 0 ? (
            <p class="muted">No requests waiting.</p>
          ) : (
            <ul class="appt-queue-list">{requests.map(item)}</ul>
          )}
          {others.length === 0 ? (
            <p class="muted small">No other changes to review.</p>
          ) : (
            <details class="appt-queue-more">
              <summary>
                <span class="appt-queue-sub">
                  Changes to review <span class="appt-count-badge">{others.length}</span>
                </span>
              </summary>
              <ul class="appt-queue-list">{others.map(item)}</ul>
            </details>
          )}
        </>
      )}
    </section>
  );
}

function StaffCancelDialog({
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

function StaffMoveDialog({
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
