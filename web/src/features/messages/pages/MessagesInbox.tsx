// The patient's conversations with the care team, newest activity first.

import { useState } from 'preact/hooks';
import { Icon } from '../../../shared/ui/Icons';
import { Loading, Notice, Page } from '../../../shared/ui/ui';
import { useApp } from '../../../shared/context';
import { formatDateTime } from '../../../shared/format';
import { announceUnreadChanged, listTime, patientThreadStatus } from '../messages';
import type { ThreadSummary } from '../api';
import { Link } from '../../../router';
import { useMessagesApi } from './MessagesShared';
import { usePagedList } from '../../../shared/hooks/usePagedList';
import { loadFailure } from '../../../shared/hooks/useLoad';

export function PatientInboxPage() {
  const { patient } = useApp();
  const msg = useMessagesApi();
  const [moreError, setMoreError] = useState<string | null>(null);
  const pid = patient?.id ?? null;
  const forSelf = patient?.relationship === 'self';
  const list = usePagedList<ThreadSummary>(
    (cursor, signal) =>
      msg.threads(pid!, cursor, signal).then((page) => {
        if (cursor === null) announceUnreadChanged();
        return page;
      }),
    [pid],
    { enabled: pid !== null, keepItems: true },
  );
  const { items, loadingMore: more } = list;
  const error = loadFailure(list.error, "We couldn't load your messages. Please try again.") ?? moreError;
  const retry = () => {
    setMoreError(null);
    list.reload();
  };

  const loadMore = async () => {
    try {
      await list.loadMore();
    } catch {
      setMoreError("We couldn't load more messages. Please try again.");
    }
  };

  const unread = items?.filter((t) => t.unread).length ?? 0;

  return (
    <Page
      title="Messages"
      heading={forSelf || !patient ? 'Messages' : `Messages for ${patient.display_name}`}
      lead="Write to your care team about non-urgent questions. They usually answer within 2 business days."
    >
      <div class="msg-actions">
        <Link href="/messages/new" class="button button--primary">
          <Icon name="mail" size={20} />
          New message
        </Link>
        <Link href="/refills" class="button button--secondary">
          <Icon name="clipboard" size={20} />
          Prescription refills
        </Link>
      </div>

      <section aria-labelledby="msg-inbox-title">
        <h2 id="msg-inbox-title" class="section-title">
          Conversations
          {unread ? <span class="msg-count">{unread} unread</span> : null}
        </h2>
        {error ? (
          <Notice tone="error" role="alert">
            <p>{error}</p>
            <button type="button" class="button button--secondary" onClick={retry}>
              Try again
            </button>
          </Notice>
        ) : items === null ? (
          <Loading label="Loading messages…" />
        ) : items.length === 0 ? (
          <div class="card empty">
            <p>No messages yet. When you write to your care team, the conversation appears here.</p>
          </div>
        ) : (
          <>
            <ul class="msg-threads" data-testid="thread-list">
              {items.map((t) => (
                <li key={t.id} class={`msg-thread${t.unread ? ' is-unread' : ''}`} data-thread-id={t.id}>
                  <Link href={`/messages/${encodeURIComponent(t.id)}`} class="msg-thread-link">
                    <span class="msg-thread-main">
                      <span class="msg-thread-subject">
                        {t.unread ? (
                          <span class="msg-new" data-testid="thread-unread">
                            New<span class="visually-hidden"> reply,</span>
                          </span>
                        ) : null}
                        {t.subject}
                      </span>
                      <span class="msg-thread-meta">
                        {t.pool_name} · {patientThreadStatus(t)}
                      </span>
                    </span>
                    <span class="msg-thread-side">
                      <time dateTime={t.last_message_at} title={formatDateTime(t.last_message_at)}>
                        {listTime(t.last_message_at)}
                      </time>
                      {t.status === 'closed' ? <span class="msg-pill msg-pill--closed">Closed</span> : null}
                    </span>
                    <Icon name="chevron" class="msg-thread-chevron" />
                  </Link>
                </li>
              ))}
            </ul>
            {list.hasMore ? (
              <p class="center">
                <button type="button" class="button button--secondary" onClick={loadMore} aria-disabled={more ? 'true' : undefined}>
                  {more ? 'Loading…' : 'Show older conversations'}
                </button>
              </p>
            ) : null}
          </>
        )}
      </section>
    </Page>
  );
}
