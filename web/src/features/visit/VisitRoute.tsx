// The visit page loads on first use, in its own chunk (the Chime SDK only in a further chunk inside it).

import { useEffect, useState } from 'preact/hooks';
import { Loading, Notice, Page } from '../../shared/ui/ui';

type VisitModule = typeof import('./VisitPage');
const VISIT = /^\/visit\/([A-Za-z0-9_-]{1,64})\/([A-Za-z0-9_-]{1,80})$/;

/** The patient and appointment of a /visit/<pid>/<aid> path, or null. */
export function visitRoute(path: string): { pid: string; aid: string } | null {
  const match = VISIT.exec(path);
  return match ? { pid: match[1]!, aid: match[2]! } : null;
}

export function VisitRoute({ pid, aid }: { pid: string; aid: string }) {
  const [module, setModule] = useState<VisitModule | null>(null);
  const [failed, setFailed] = useState(false);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    setFailed(false);
    import('./VisitPage')
      .then((m) => live && setModule(m))
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [attempt]);
  if (module) return <module.VisitPage pid={pid} aid={aid} />;
  if (!failed) return <Loading label="Opening your video visit…" />;
  return (
    <Page title="Video visit" narrow>
      <Notice tone="error" role="alert" title="We couldn't open this page">
        <p>Check your internet connection and try again.</p>
        <button type="button" class="button button--secondary" onClick={() => setAttempt((n) => n + 1)}>
          Try again
        </button>
      </Notice>
    </Page>
  );
}
