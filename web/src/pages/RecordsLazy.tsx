// records (issue 6): the health-record pages load on first use, so the main bundle stays small.

import type { FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Loading, Notice, Page } from '../components/ui';

/** Patient pages of the health record. */
export function isRecordsPath(path: string): boolean {
  return path === '/record' || path === '/results' || path.startsWith('/results/') || path === '/documents';
}

/** Clinician pages: the results work list and a patient's chart. */
export function isStaffRecordsPath(path: string): boolean {
  return path === '/staff/results' || /^\/staff\/patients\/[^/]+$/.test(path);
}

type RoutesModule = { RecordsRoutes: FunctionComponent<{ path: string }> };
let loaded: RoutesModule | null = null;

export function RecordsArea({ path }: { path: string }) {
  const [mod, setMod] = useState<RoutesModule | null>(loaded);
  const [failed, setFailed] = useState(false);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (mod) return;
    setFailed(false);
    import('./RecordsRoutes')
      .then((m) => {
        loaded = m;
        setMod(m);
      })
      .catch(() => setFailed(true));
  }, [attempt]);
  if (mod) return <mod.RecordsRoutes path={path} />;
  if (failed) {
    return (
      <Page title="Something went wrong" narrow>
        <Notice tone="error" role="alert" title="This page didn't load">
          <p>Check your internet connection and try again.</p>
          <button type="button" class="button button--secondary" onClick={() => setAttempt((n) => n + 1)}>
            Try again
          </button>
        </Notice>
      </Page>
    );
  }
  return <Loading label="Loading…" />;
}
