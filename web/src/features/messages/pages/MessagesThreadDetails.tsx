// The details panel beside a conversation: its status, patient, care team, dates and assignee; for its care
// team, Assign to me and Close conversation.

import { t } from '@lingui/core/macro';
import { useApp } from '../../../shared/context';
import { formatDateTime } from '../../../shared/format';
import { waitingText } from '../messages';
import type { ThreadSummary } from '../api';
import { Link } from '../../../router';

export function ThreadDetails({
  thread,
  staff,
  closed,
  assignedToMe,
  busy,
  act,
}: {
  thread: ThreadSummary;
  staff: boolean;
  closed: boolean;
  assignedToMe: boolean;
  busy: 'reply' | 'assign' | 'close' | 'more' | null;
  act: (kind: 'assign' | 'close') => void;
}) {
  const { me } = useApp();
  return (
    <aside class="card msg-details" aria-labelledby="msg-details-title">
      <h2 id="msg-details-title">{t`Details`}</h2>
      <dl class="msg-dl">
        <div>
          <dt>{t`Status`}</dt>
          <dd>
            <span class={`msg-pill msg-pill--${closed ? 'closed' : 'open'}`}>{closed ? t`Closed` : t`Open`}</span>
          </dd>
        </div>
        {staff ? (
          <div>
            <dt>{t`Patient`}</dt>
            <dd>
              {me?.user.role === 'clinician' ? (
                <Link href={`/staff/patients/${encodeURIComponent(thread.patient_id)}`}>{thread.patient_name}</Link>
              ) : (
                thread.patient_name
              )}
            </dd>
          </div>
        ) : null}
        <div>
          <dt>{t`Care team`}</dt>
          <dd>{thread.pool_name}</dd>
        </div>
        <div>
          <dt>{t`Started`}</dt>
          <dd>{formatDateTime(thread.created_at)}</dd>
        </div>
        {staff && thread.waiting_since && !closed ? (
          <div>
            <dt>{t`Waiting`}</dt>
            <dd>{waitingText(thread.waiting_since)}</dd>
          </div>
        ) : null}
        {staff ? (
          <div>
            <dt>{t`Assigned to`}</dt>
            <dd>{thread.assignee_name ?? t`Nobody yet`}</dd>
          </div>
        ) : null}
        {closed && thread.closed_at ? (
          <div>
            <dt>{t`Closed`}</dt>
            <dd>{formatDateTime(thread.closed_at)}</dd>
          </div>
        ) : null}
      </dl>
      {staff && !closed ? (
        <div class="msg-staff-actions">
          {!assignedToMe ? (
            <button type="button" class="button button--secondary" onClick={() => act('assign')} aria-disabled={busy === 'assign' ? 'true' : undefined}>
              {busy === 'assign' ? t`Assigning…` : t`Assign to me`}
            </button>
          ) : null}
          <button type="button" class="button button--secondary" onClick={() => act('close')} aria-disabled={busy === 'close' ? 'true' : undefined}>
            {busy === 'close' ? t`Closing…` : t`Close conversation`}
          </button>
        </div>
      ) : null}
    </aside>
  );
}
