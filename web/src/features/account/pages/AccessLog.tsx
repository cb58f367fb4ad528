import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../../../shared/api/client';
import { type AccessLogEntry, accountApi } from '../api';
import { Loading, Notice, Page } from '../../../shared/ui/ui';
import { useApp } from '../../../shared/context';
import { formatDateTime, roleLabel } from '../../../shared/format';

export function AccessLogPage() {
  const { api, patient, me } = useApp();
  const [items, setItems] = useState<AccessLogEntry[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [announce, setAnnounce] = useState('');
  const [attempt, setAttempt] = useState(0);
  const pid = patient?.id ?? null;

  useEffect(() => {
    if (!pid) return undefined;
    const controller = new AbortController();
    setItems(null);
    setError(null);
    setCursor(null);
    accountApi(api)
      .accessLog(pid, null, controller.signal)
      .then((page) => {
        setItems(page.items);
        setCursor(page.next_cursor);
      })
      .catch((e: unknown) => {
        if (controller.signal.aborted) return;
        setError(e instanceof ApiError && e.code === 'network' ? e.message : "We couldn't load the access history. Please try again.");
      });
    return () => controller.abort();
  }, [pid, attempt]);

  const loadMore = async () => {
    if (!pid || !cursor || loadingMore) return;
    setLoadingMore(true);
    try {
      const page = await accountApi(api).accessLog(pid, cursor);
      setItems((prev) => [...(prev ?? []), ...page.items]);
      setCursor(page.next_cursor);
      setAnnounce(
        `${page.items.length} more ${page.items.length === 1 ? 'entry' : 'entries'} loaded.${page.next_cursor ? '' : ' That is everything.'}`,
      );
    } catch (e) {
      setAnnounce('');
      setError(e instanceof ApiError && e.code === 'network' ? e.message : "We couldn't load more entries. Please try again.");
    } finally {
      setLoadingMore(false);
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
      {error ? (
        <Notice tone="error" role="alert">
          <p>{error}</p>
          {items === null ? (
            <button type="button" class="button button--secondary" onClick={() => setAttempt((n) => n + 1)}>
              Try again
            </button>
          ) : null}
        </Notice>
      ) : null}
      {items === null ? (
        error ? null : <Loading label="Loading access history…" />
      ) : items.length === 0 ? (
        <div class="card empty">
          <p>No one has viewed {whose} yet.</p>
        </div>
      ) : (
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
              {items.map((item) => {
                const isYou = me?.user.display_name === item.actor_name && item.actor_role === me.user.role;
                return (
                  <tr key={item.id}>
                    <td data-label="When">
                      <time dateTime={item.at}>{formatDateTime(item.at)}</time>
                    </td>
                    <td data-label="Who" class="who">
                      {item.actor_name}
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
      {items && cursor ? (
        <div class="center">
          <button type="button" class="button button--secondary" onClick={loadMore} aria-disabled={loadingMore ? 'true' : undefined}>
            {loadingMore ? 'Loading…' : 'Load more'}
          </button>
        </div>
      ) : null}
      <p class="visually-hidden" role="status" aria-live="polite">
        {announce}
      </p>
    </Page>
  );
}
