// The front desk's queue on the schedule page: requests to approve or decline, and what patients changed online.

import { msg, t } from '@lingui/core/macro';
import { Trans } from '@lingui/react/macro';
import type { QueueItem } from '../api';
import { formatShortDateTime } from '../appointmentsFormat';
import { Loading, Notice } from '../../../shared/ui/ui';
import { translated } from '../../../shared/i18n';

export const QUEUE_WORDS = translated<QueueItem['kind']>({
  booked: msg`Booked online`,
  requested: msg`Request to confirm`,
  cancelled: msg`Cancelled online`,
  rescheduled: msg`Moved online`,
});

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
            {t`${visitName(q.visit_type_id)} with ${q.provider.name}, ${formatShortDateTime(q.starts_at, timeZone)}`}
          </p>
          <p class="muted small">{t`Received ${formatShortDateTime(q.at, timeZone)}`}</p>
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
                  {t`Confirm`}
                  <span class="visually-hidden">{t` ${q.patient_name}'s request`}</span>
                </button>
                <button
                  type="button"
                  class="button button--secondary appt-small"
                  onClick={() => onDecide(q.appointment_ref, false, q.patient_name)}
                  aria-disabled={busyRef ? 'true' : undefined}
                >
                  {t`Decline`}
                  <span class="visually-hidden">{t` ${q.patient_name}'s request`}</span>
                </button>
              </>
            ) : (
              <button type="button" class="button button--secondary appt-small" onClick={() => onDone(q)} aria-disabled={busyRef ? 'true' : undefined}>
                {t`Mark reviewed`}
                <span class="visually-hidden">{t`: ${q.patient_name}, ${QUEUE_WORDS[q.kind]}`}</span>
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
        <h2 id="sched-queue-title">
          <Trans>Online requests and changes</Trans>
        </h2>
        <p class="muted small">
          <Trans>What patients booked, asked for, moved or cancelled online, oldest first.</Trans>
        </p>
      </div>
      {error ? (
        <Notice tone="error">
          <p>{error}</p>
        </Notice>
      ) : loading ? (
        <Loading label={t`Loading…`} />
      ) : (
        <>
          <h3 class="appt-queue-sub">
            <Trans>
              Requests to confirm <span class="appt-count-badge">{requests.length}</span>
            </Trans>
          </h3>
          {requests.length === 0 ? (
            <p class="muted">
              <Trans>No requests waiting.</Trans>
            </p>
          ) : (
            <ul class="appt-queue-list">{requests.map(item)}</ul>
          )}
          {others.length === 0 ? (
            <p class="muted small">
              <Trans>No other changes to review.</Trans>
            </p>
          ) : (
            <details class="appt-queue-more">
              <summary>
                <span class="appt-queue-sub">
                  <Trans>
                    Changes to review <span class="appt-count-badge">{others.length}</span>
                  </Trans>
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
