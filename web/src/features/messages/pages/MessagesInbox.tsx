// The patient's conversations with the care team, newest activity first.

import { Icon } from '../../../shared/ui/Icons';
import { Page } from '../../../shared/ui/ui';
import { ListBody, ShowMore } from '../../../shared/ui/Lists';
import { useApp } from '../../../shared/context';
import { announceUnreadChanged, patientThreadStatus } from '../messages';
import type { ThreadSummary } from '../api';
import { Link } from '../../../router';
import { ThreadRow, UnreadBadge, useMessagesApi } from './MessagesShared';
import { useLoadMore, usePagedList } from '../../../shared/hooks/usePagedList';
import { loadFailure } from '../../../shared/hooks/useLoad';

export function PatientInboxPage() {
  const { patient } = useApp();
  const msg = useMessagesApi();
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
  const { moreError, clearMoreError, loadMore } = useLoadMore(list, "We couldn't load more messages. Please try again.");
  const error = loadFailure(list.error, "We couldn't load your messages. Please try again.") ?? moreError;
  const retry = () => {
    clearMoreError();
    list.reload();
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
        <ListBody
          error={error}
          onRetry={retry}
          items={items}
          loadingLabel="Loading messages…"
          empty={<p>No messages yet. When you write to your care team, the conversation appears here.</p>}
        >
          {(shown) => (
            <>
              <ul class="msg-threads" data-testid="thread-list">
                {shown.map((t) => (
                  <ThreadRow
                    key={t.id}
                    thread={t}
                    href={`/messages/${encodeURIComponent(t.id)}`}
                    side={t.status === 'closed' ? <span class="msg-pill msg-pill--closed">Closed</span> : null}
                  >
                    <span class="msg-thread-subject">
                      {t.unread ? (
                        <UnreadBadge>
                          New<span class="visually-hidden"> reply,</span>
                        </UnreadBadge>
                      ) : null}
                      {t.subject}
                    </span>
                    <span class="msg-thread-meta">
                      {t.pool_name} · {patientThreadStatus(t)}
                    </span>
                  </ThreadRow>
                ))}
              </ul>
              <ShowMore shown={list.hasMore} onClick={loadMore} busy={more} label="Show older conversations" />
            </>
          )}
        </ListBody>
      </section>
    </Page>
  );
}
