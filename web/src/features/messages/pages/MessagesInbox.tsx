// The patient's conversations with the care team, newest activity first.

import { t } from '@lingui/core/macro';
import { Icon } from '../../../shared/ui/Icons';
import { Page } from '../../../shared/ui/ui';
import { ListBody, ShowMore } from '../../../shared/ui/Lists';
import { useApp } from '../../../shared/context';
import { announceUnreadChanged, patientThreadStatus } from '../messages';
import type { ThreadPage, ThreadSummary } from '../api';
import { Link } from '../../../router';
import { HiddenNotice } from '../../../shared/ui/HiddenNotice';
import { ThreadRow, UnreadBadge, useMessagesApi } from './MessagesShared';
import { useLoadMore, usePagedList } from '../../../shared/hooks/usePagedList';
import { loadFailure } from '../../../shared/hooks/useLoad';

export function PatientInboxPage() {
  const { patient } = useApp();
  const msg = useMessagesApi();
  const pid = patient?.id ?? null;
  const forSelf = patient?.relationship === 'self';
  const list = usePagedList<ThreadSummary, ThreadPage>(
    (cursor, signal) =>
      msg.threads(pid!, cursor, signal).then((page) => {
        if (cursor === null) announceUnreadChanged();
        return page;
      }),
    [pid],
    { enabled: pid !== null, keepItems: true },
  );
  const { items, loadingMore: more } = list;
  const { moreError, clearMoreError, loadMore } = useLoadMore(list, t`We couldn't load more messages. Please try again.`);
  const error = loadFailure(list.error, t`We couldn't load your messages. Please try again.`) ?? moreError;
  const retry = () => {
    clearMoreError();
    list.reload();
  };

  const unread = items?.filter((thread) => thread.unread).length ?? 0;

  return (
    <Page
      title={t`Messages`}
      heading={forSelf || !patient ? t`Messages` : t`Messages for ${patient.display_name}`}
      lead={t`Write to your care team about non-urgent questions. They usually answer within 2 business days.`}
    >
      <div class="msg-actions">
        <Link href="/messages/new" class="button button--primary">
          <Icon name="mail" size={20} />
          {t`New message`}
        </Link>
        <Link href="/refills" class="button button--secondary">
          <Icon name="clipboard" size={20} />
          {t`Prescription refills`}
        </Link>
      </div>

      <section aria-labelledby="msg-inbox-title">
        <h2 id="msg-inbox-title" class="section-title">
          {t`Conversations`}
          {unread ? <span class="msg-count">{t`${unread} unread`}</span> : null}
        </h2>
        {list.first?.some_hidden ? <HiddenNotice /> : null}
        <ListBody
          error={error}
          onRetry={retry}
          items={items}
          loadingLabel={t`Loading messages…`}
          empty={<p>{t`No messages yet. When you write to your care team, the conversation appears here.`}</p>}
        >
          {(shown) => (
            <>
              <ul class="msg-threads" data-testid="thread-list">
                {shown.map((thread) => (
                  <ThreadRow
                    key={thread.id}
                    thread={thread}
                    href={`/messages/${encodeURIComponent(thread.id)}`}
                    side={thread.status === 'closed' ? <span class="msg-pill msg-pill--closed">{t`Closed`}</span> : null}
                  >
                    <span class="msg-thread-subject">
                      {thread.unread ? (
                        <UnreadBadge>
                          {t`New`}<span class="visually-hidden">{t`, reply,`}</span>
                        </UnreadBadge>
                      ) : null}
                      {thread.subject}
                    </span>
                    <span class="msg-thread-meta">
                      {thread.pool_name} · {patientThreadStatus(thread)}
                    </span>
                  </ThreadRow>
                ))}
              </ul>
              <ShowMore shown={list.hasMore} onClick={loadMore} busy={more} label={t`Show older conversations`} />
            </>
          )}
        </ListBody>
      </section>
    </Page>
  );
}
