// Keep "whose records may I open" current. Grants are given and ended by other people (the
// front desk, the patient), so the app re-reads /me when the signed-in patient moves to another page or
// changes access themself, and says so plainly when the record they were viewing is no longer theirs to see.

import { t } from '@lingui/core/macro';
import { Trans } from '@lingui/react/macro';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Api, Me } from '../../../shared/api/client';
import { Notice } from '../../../shared/ui/ui';
import { onAccessChanged } from '../proxies';

interface Watch {
  api: Api;
  me: Me | null;
  setMe: (me: Me) => void;
  path: string;
  /** The record chosen in the switcher (null: their own). */
  patientId: string | null;
  /** Forget the chosen record (it is no longer reachable). */
  onLost: () => void;
}

/** The name of the record that just stopped being reachable ('' if unknown), until the next navigation. */
export function useAccessWatch({ api, me, setMe, path, patientId, onLost }: Watch): string | null {
  const [lost, setLost] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const first = useRef(true);
  const latest = useRef({ me, patientId, onLost });
  latest.current = { me, patientId, onLost };

  useEffect(() => onAccessChanged(() => setTick((n) => n + 1)), []);

  // Signed in (or reloaded) while the record last viewed is no longer reachable: say so, don't just switch.
  const sub = me?.user.sub ?? null;
  useEffect(() => {
    const { me: now, patientId: chosen, onLost: forget } = latest.current;
    if (!now || !chosen || now.user.role !== 'patient') return;
    if (!now.patients.some((p) => p.id === chosen)) {
      setLost('');
      forget();
    }
  }, [sub]);

  useEffect(() => {
    if (first.current) {
      first.current = false;
      return undefined;
    }
    setLost(null);
    if (!latest.current.me || latest.current.me.user.role !== 'patient') return undefined;
    let cancelled = false;
    api
      .me()
      .then((fresh) => {
        if (cancelled) return;
        const { me: before, patientId: chosen, onLost: forget } = latest.current;
        if (!before || JSON.stringify(fresh) === JSON.stringify(before)) return;
        const was = chosen ? before.patients.find((p) => p.id === chosen) : undefined;
        if (was && !fresh.patients.some((p) => p.id === was.id)) {
          setLost(was.display_name);
          forget();
        }
        setMe(fresh);
      })
      .catch(() => {
        /* the page's own requests report problems; the switcher stays as it was */
      });
    return () => {
      cancelled = true;
    };
  }, [path, tick]);

  return lost;
}

export function AccessEndedNotice({ name }: { name: string }) {
  return (
    <div class="page proxy-access-ended">
      <Notice tone="warning" role="alert" title={name ? t`You no longer have access to ${name}'s record` : t`You no longer have access to the record you were viewing`}>
        <p>
          <Trans>
            The access was ended by the patient or the clinic. You're now viewing your own record. If you think this is a mistake, contact the clinic's
            front desk.
          </Trans>
        </p>
      </Notice>
    </div>
  );
}
