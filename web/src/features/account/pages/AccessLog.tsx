import { plural, t } from '@lingui/core/macro';
import { useState } from 'preact/hooks';
import { ApiError } from '../../../shared/api/client';
import { type AccessLogEntry, accountApi } from '../api';
import { Page } from '../../../shared/ui/ui';
import { PagedListBody } from '../../../shared/ui/Lists';
import { useApp } from '../../../shared/context';
import { formatDateTime } from '../../../shared/format';
import { usePagedList } from '../../../shared/hooks/usePagedList';

export function AccessLogPage() {
  const { api, patient } = useApp();
  const [moreError, setMoreError] = useState<string | null>(null);
  const [announce, setAnnounce] = useState('');
  const [includeOwn, setIncludeOwn] = useState(false);
  const pid = patient?.id ?? null;
  const log = usePagedList<AccessLogEntry>(
    (cursor, signal) => accountApi(api).accessLog(pid!, cursor, signal, includeOwn),
    [pid, includeOwn],
    { enabled: pid !== null },
  );
  const { items, loadingMore } = log;
  const error = log.error
    ? log.error instanceof ApiError && log.error.code === 'network'
      ? log.error.message
      : t`We couldn't load the access history. Please try again.`
    : moreError;

  const loadMore = async () => {
    try {
      const page = await log.loadMore();
      if (!page) return;
      const count = page.items.length;
      const loaded = plural(count, { one: '# more entry loaded.', other: '# more entries loaded.' });
      setAnnounce(page.next_cursor ? loaded : `${loaded} ${t`That is everything.`}`);
    } catch (e) {
      setAnnounce('');
      setMoreError(e instanceof ApiError && e.code === 'network' ? e.message : t`We couldn't load more entries. Please try again.`);
    }
  };

  const forSelf = patient?.relationship === 'self';
  const own = forSelf || !patient;
  const name = patient?.display_name ?? '';

  return (
    <Page
      title={t`Who viewed my record`}
      heading={own ? t`Who viewed my record` : t`Who viewed ${name}'s record`}
      lead={
        own
          ? t`Every time clinic staff or a caregiver opens or changes your record, it is listed here, newest first. If something looks wrong, contact the clinic.`
          : t`Every time clinic staff or a caregiver opens or changes ${name}'s record, it is listed here, newest first. If something looks wrong, contact the clinic.`
      }
    >
      <div class="log-filter">
        <input
          id="log-include-own"
          type="checkbox"
          checked={includeOwn}
          onChange={(e) => {
            setMoreError(null);
            setAnnounce('');
            setIncludeOwn((e.currentTarget as HTMLInputElement).checked);
          }}
        />
        <label for="log-include-own">{t`Include my own views and changes`}</label>
      </div>
      <PagedListBody
        error={error}
        onRetry={log.reload}
        items={items}
        loadingLabel={t`Loading access history…`}
        empty={
          <p>
            {own
              ? includeOwn
                ? t`No one has viewed your record yet.`
                : t`No one else has viewed your record yet.`
              : includeOwn
                ? t`No one has viewed ${name}'s record yet.`
                : t`No one else has viewed ${name}'s record yet.`}
          </p>
        }
        hasMore={log.hasMore}
        onMore={loadMore}
        busy={loadingMore}
        announce={announce}
      >
        {(shown) => (
            <div class="card card--flush">
              <table class="log-table">
                <caption class="visually-hidden">
                  {own
                    ? includeOwn
                      ? t`Access to your record, newest first`
                      : t`Access to your record by others, newest first`
                    : includeOwn
                      ? t`Access to ${name}'s record, newest first`
                      : t`Access to ${name}'s record by others, newest first`}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">{t`When`}</th>
                    <th scope="col">{t`Who`}</th>
                    <th scope="col">{t`What`}</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((item) => (
                    <tr key={item.id}>
                      <td data-label={t`When`}>
                        <time dateTime={item.at}>{formatDateTime(item.at)}</time>
                      </td>
                      <td data-label={t`Who`} class="who">
                        {item.who}
                        {item.mine ? <span class="you">{t` (you)`}</span> : null}
                      </td>
                      <td data-label={t`What`}>{item.action_label}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
        )}
      </PagedListBody>
    </Page>
  );
}
