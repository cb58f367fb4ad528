// The front desk's queue on the schedule page: requests to approve or decline, and what patients changed online.

import type { QueueItem } from '../api';
import { formatShortDateTime } from '../appointmentsFormat';
import { Loading, Notice } from '../../../shared/ui/ui';

export const QUEUE_WORDS: Record<QueueItem['kind'], string> = {
  booked: 'Booked online',
  requested: 'Request to confirm',
  cancelled: 'Cancelled online',
  rescheduled: 'Moved online',
};

export function QueueCard({
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
