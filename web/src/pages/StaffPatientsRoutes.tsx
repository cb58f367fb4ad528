// Staff patient search: the route into the search, overview and booking pages, loaded on first use
// (their own chunk) so the main bundle stays small.

import { useEffect, useState } from 'preact/hooks';
import { Loading, Notice, Page } from '../components/ui';
import type { StaffPatientsRoute } from '../staffPatients';

type PagesModule = typeof import('./StaffPatientsPages');

let loaded: PagesModule | null = null;

export function StaffPatientsArea({ route }: { route: StaffPatientsRoute }) {
  const [pages, setPages] = useState<PagesModule | null>(loaded);
  const [failed, setFailed] = useState(false);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (pages) return undefined;
    let live = true;
    setFailed(false);
    import('./StaffPatientsPages')
      .then((m) => {
        loaded = m;
        if (live) setPages(m);
      })
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [attempt]);
  if (pages) return <pages.StaffPatientsPage route={route} />;
  if (failed) {
    return (
      <Page title="Patients" narrow>
        <Notice tone="error" role="alert" title="We couldn't open this page">
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
