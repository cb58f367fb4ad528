// A care team's shared inbox: pick a pool and a tab (unread, open, closed); the
// conversations waiting longest come first.

import { t } from '@lingui/core/macro';
import { Trans } from '@lingui/react/macro';
import { useEffect, useState } from 'preact/hooks';
import { Icon } from '../../../shared/ui/Icons';
import { Page } from '../../../shared/ui/ui';
import { ListBody, ShowMore } from '../../../shared/ui/Lists';
import { formatDateTime } from '../../../shared/format';
import { badgeText, inboxStates, waitingText } from '../messages';
import type { InboxState, ThreadSummary } from '../api';
import { ThreadRow, UnreadBadge, useMessagesApi } from './MessagesShared';
import { loadFailure, useLoad } from '../../../shared/hooks/useLoad';
import { useLoadMore, usePagedList } from '../../../shared/hooks/usePagedList';

const POOL_KEY = 'portal.staffPool';
const STATE_KEY = 'portal.staffInboxState';

function remembered(key: string): string | null {
  try {
    return sessionStorage.getItem(key);
  } catch {
    return null;
  }
}

function remember(key: string, value: string): void {
  try {
    sessionStorage.setItem(key, value);
  } catch {
    /* memory only */
  }
}

export function StaffInboxPage() {
  const msg = useMessagesApi();
  const [pool, setPool] = useState<string | null>(remembered(POOL_KEY));
  const [state, setState] = useState<InboxState>((remembered(STATE_KEY) as InboxState | null) ?? 'unread');
  const poolsLoad = useLoad(
    (signal) =>
      msg.pools(signal).then((p) => {
        setPool((current) => (current && p.items.some((i) => i.id === current) ? current : (p.items[0]?.id ?? null)));
        return p;
      }),
    [],
    { keepData: true },
  );
  const pools = poolsLoad.data;
  const list = usePagedList<ThreadSummary>((cursor, signal) => msg.inbox(pool!, state, cursor, signal), [pool, state], {
    enabled: pool !== null,
  });
  const { items, loadingMore: more } = list;
  const { moreError, clearMoreError, loadMore } = useLoadMore(list, t`We couldn't load more conversations. Please try again.`);
  useEffect(clearMoreError, [pool, state]);
  const error =
    loadFailure(poolsLoad.error, t`We couldn't load your inboxes. Please try again.`) ??
    loadFailure(list.error, t`We couldn't load this inbox. Please try again.`) ??
    moreError;
  const retry = () => {
    clearMoreError();
    poolsLoad.reload();
    list.reload();
  };

  const current = pools?.items.find((p) => p.id === pool) ?? null;
  const count = (s: InboxState) => (current && s !== 'closed' && current[s] > 0 ? badgeText(current[s], pools?.count_cap) : null);

  return (
    <Page title={t`Messages`} heading={t`Care-team inbox`} lead={t`Messages from patients to your care teams. The longest waiting come first.`}>
      {pools && pools.items.length === 0 ? (
        <div class="card empty">
          <p>
            <Trans>You are not a member of any care team yet. Ask an administrator to add you to one.</Trans>
          </p>
        </div>
      ) : (
        <>
          {pools && pools.items.length > 1 ? (
            <div class="field msg-pool-picker">
              <label for="inbox-pool">
                <Trans>Care team</Trans>
              </label>
              <select
                id="inbox-pool"
                value={pool ?? ''}
                onChange={(e) => {
                  const value = (e.currentTarget as HTMLSelectElement).value;
                  setPool(value);
                  remember(POOL_KEY, value);
                }}
              >
                {pools.items.map((p) => (
                  <option key={p.id} value={p.id}>
                    {t`${p.name} (${badgeText(p.unread, pools.count_cap)} unread)`}
                  </option>
                ))}
              </select>
            </div>
          ) : current ? (
            <p class="msg-pool-name">
              <Icon name="mail" size={20} /> {current.name}
            </p>
          ) : null}

          <div class="msg-tabs" role="group" aria-label={t`Show conversations`}>
            {inboxStates().map(([value, label]) => (
              <button
                key={value}
                type="button"
                class="msg-tab"
                aria-pressed={state === value ? 'true' : 'false'}
                onClick={() => {
                  setState(value);
                  remember(STATE_KEY, value);
                }}
              >
                {label}
                {count(value) !== null ? <span class="msg-tab-count">{count(value)}</span> : null}
              </button>
            ))}
          </div>

          <section aria-labelledby="inbox-list-title" aria-busy={items === null ? 'true' : 'false'}>
            <h2 id="inbox-list-title" class="visually-hidden">
              {state === 'unread' ? t`Unread conversations` : state === 'open' ? t`Open conversations` : t`Closed conversations`}
            </h2>
            <ListBody
              error={error}
              onRetry={retry}
              items={items}
              loadingLabel={t`Loading conversations…`}
              empty={<p>{state === 'unread' ? t`Nothing unread. Well done!` : state === 'open' ? t`No open conversations.` : t`No closed conversations yet.`}</p>}
            >
              {(shown) => (
                <>
                  <ul class="msg-threads" data-testid="inbox-list">
                    {shown.map((th) => (
                      <ThreadRow key={th.id} thread={th} href={`/staff/messages/${encodeURIComponent(th.patient_id)}/${encodeURIComponent(th.id)}`}>
                        <span class="msg-thread-patient">
                          {th.unread ? (
                            <UnreadBadge>
                              {t`Unread`}
                              <span class="visually-hidden">:</span>
                            </UnreadBadge>
                          ) : null}
                          {th.patient_name}
                        </span>
                        <span class="msg-thread-subject">{th.subject}</span>
                        <span class="msg-thread-meta">
                          {th.status === 'closed'
                            ? th.closed_at
                              ? t`Closed ${formatDateTime(th.closed_at)}`
                              : t`Closed`
                            : th.waiting_since
                              ? t`Waiting ${waitingText(th.waiting_since)}`
                              : t`Answered, waiting for the patient`}
                          {th.assignee_name ? t` · Assigned to ${th.assignee_name}` : t` · Not assigned`}
                        </span>
                      </ThreadRow>
                    ))}
                  </ul>
                  <ShowMore shown={list.hasMore} onClick={loadMore} busy={more} label={t`Show more`} />
                </>
              )}
            </ListBody>
          </section>
        </>
      )}
    </Page>
  );
}
