import { useState } from 'preact/hooks';
import { ApiError } from '../../../shared/api/client';
import { type AccessLogEntry, accountApi } from '../api';
import { Page } from '../../../shared/ui/ui';
import { PagedListBody } from '../../../shared/ui/Lists';
import { useApp } from '../../../shared/context';
import { formatDateTime, roleLabel } from '../../../shared/format';
import { usePagedList } from '../../../shared/hooks/usePagedList';

export function AccessLogPage() {
  const { api, patient, me } = useApp();
  const [moreError, setMoreError] = useState<string | null>(null);
  const [announce, setAnnounce] = useState('');
  const pid = patient?.id ?? null;
  const log = usePagedList<AccessLogEntry>((cursor, signal) => accountApi(api).accessLog(pid!, cursor, signal), [pid], {
    enabled: pid !== null,
  });
  const { items, loadingMore } = log;
  const error = log.error
    ? log.error instanceof ApiError && log.error.code === 'network'
      ? log.error.message
      : "We couldn't load the access history. Please try again."
    : moreError;

  const loadMore = async () => {
    try {
      const page = await log.loadMore();
      if (!page) return;
      setAnnounce(
        `${page.items.length} more ${page.items.length === 1 ? 'entry' : 'entries'} loaded.${page.next_cursor ? '' : ' That is everything.'}`,
      );
    } catch (e) {
      setAnnounce('');
      setMoreError(e instanceof ApiError && e.code === 'network' ? e.message : "We couldn't load more entries. Please try again.");
    }
  };

  const forSelf = patient?.relationship === 'self';
  const whose = forSelf || !patient ? 'your record' : `${patient.display_name}'s record`;

  return (
    <Page
      title="Who viewed my record"
      heading={forSelf || !patient ? 'Who viewed my record' : `Who viewed ${patient.display_name}'s record`}
      lead={`Every time someone opens or changes ${whose}, it is listed here, newest first. If something looks wrong, contact the clinic.`}
    >
      <PagedListBody
        error={error}
        onRetry={log.reload}
        items={items}
        loadingLabel="Loading access history…"
        empty={<p>No one has viewed {whose} yet.</p>}
        hasMore={log.hasMore}
        onMore={loadMore}
        busy={loadingMore}
        announce={announce}
      >
        {(shown) => (
            <div class="card card--flush">
              <table class="log-table">
                <caption class="visually-hidden">Access to {whose}, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Who</th>
                    <th scope="col">Role</th>
                    <th scope="col">What</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((item) => {
                    const isYou = me?.user.display_name === item.actor_name && item.actor_role === me.user.role;
                    return (
                      <tr key={item.id}>
                        <td data-label="When">
                          <time dateTime={item.at}>{formatDateTime(item.at)}</time>
                        </td>
                        <td data-label="Who" class="who">
                          {item.actor_label}
                          {isYou ? <span class="you"> (you)</span> : null}
                        </td>
                        <td data-label="Role">
                          <span class={`role role--${item.actor_role}`}>{roleLabel(item.actor_role)}</span>
                        </td>
                        <td data-label="What">{item.action_label}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
        )}
      </PagedListBody>
    </Page>
  );
}
