// billing (issue 4): the billing pages load on first use, so the main bundle stays small.

import type { FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Loading, Notice, Page } from '../components/ui';

/** Patient pages: balance and statements, one statement, paying, receipts, payment plans. */
export function isBillingPath(path: string): boolean {
  return path === '/billing' || path.startsWith('/billing/');
}

/** Billing staff pages: the open-balance work list and a patient's ledger. */
export function isStaffBillingPath(path: string): boolean {
  return path === '/staff/billing' || /^\/staff\/billing\/patients\/[^/]+$/.test(path);
}

type RoutesModule = { BillingRoutes: FunctionComponent<{ path: string }> };
let loaded: RoutesModule | null = null;

export function BillingArea({ path }: { path: string }) {
  const [mod, setMod] = useState<RoutesModule | null>(loaded);
  const [failed, setFailed] = useState(false);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (mod) return;
    setFailed(false);
    import('./BillingRoutes')
      .then((m) => {
        loaded = m;
        setMod(m);
      })
      .catch(() => setFailed(true));
  }, [attempt]);
  if (mod) return <mod.BillingRoutes path={path} />;
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
