// messaging (issue 8): the entry into the messaging and refill pages, which load on first use (their own
// chunk), and the navigation label with the unread count (main bundle: it shows on every page).

import '../messages-nav.css';
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { Loading, Notice, Page } from '../components/ui';
import { useApp } from '../context';
import { messagesApi, onUnreadChanged } from '../messages';

export { isPatientMessagesPath, isStaffMessagesPath } from '../messages';

type RoutesModule = typeof import('./MessagesRoutes');
let loaded: RoutesModule | null = null;
let pending: Promise<RoutesModule> | null = null;

function load(): Promise<RoutesModule> {
  pending ??= import('./MessagesRoutes')
    .then((m) => (loaded = m))
    .catch((e: unknown) => {
      pending = null; // let "Try again" fetch it afresh
      throw e;
    });
  return pending;
}

export function MessagesArea({ path }: { path: string }) {
  const [mod, setMod] = useState<RoutesModule | null>(loaded);
  const [failed, setFailed] = useState(false);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (mod) return undefined;
    let live = true;
    setFailed(false);
    load()
      .then((m) => live && setMod(m))
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [attempt]);
  if (mod) return <mod.MessagesRoutes path={path} />;
  if (failed) {
    return (
      <Page title="Messages" narrow>
        <Notice tone="error" role="alert" title="We couldn't open this page">
          <p>Check your internet connection and try again.</p>
          <button type="button" class="button button--secondary" onClick={() => setAttempt((n) => n + 1)}>
            Try again
          </button>
        </Notice>
      </Page>
    );
  }
  return <Loading label="Loading messages…" />;
}

/** "Messages" with a badge counting conversations that have a reply the patient has not read yet. */
export function MessagesNavLabel() {
  const { api, patient } = useApp();
  const [count, setCount] = useState(0);
  const [tick, setTick] = useState(0);
  const pid = patient?.id ?? null;
  useEffect(() => onUnreadChanged(() => setTick((n) => n + 1)), []);
  useEffect(() => {
    if (!pid) return undefined;
    const controller = new AbortController();
    messagesApi(api)
      .unread(pid, controller.signal)
      .then((r) => setCount(r.unread_threads))
      .catch((e: unknown) => {
        if (!(e instanceof ApiError)) return; // aborted
        setCount(0);
      });
    return () => controller.abort();
  }, [pid, tick]);
  return (
    <span class="nav-with-badge">
      Messages
      {count > 0 ? (
        <span class="nav-badge" data-testid="messages-unread-badge">
          {count}
          <span class="visually-hidden"> unread</span>
        </span>
      ) : null}
    </span>
  );
}
