// The routes into the appointment pages, which load on first use (their own chunk),
// so the main bundle stays small for people who never open them.

import { t } from '@lingui/core/macro';
import { useEffect, useState } from 'preact/hooks';
import { loadAreaMessages } from '../../../shared/i18n';
import { Loading, Notice, Page } from '../../../shared/ui/ui';

/** One lazily loaded chunk and its area's messages, fetched once (again after a failure). */
function loader<M>(load: () => Promise<M>, area: string) {
  const state: { loaded: M | null; pending: Promise<M> | null } = { loaded: null, pending: null };
  const fetchOnce = (): Promise<M> => {
    state.pending ??= Promise.all([load(), loadAreaMessages(area)])
      .then(([m]) => (state.loaded = m))
      .catch((e: unknown) => {
        state.pending = null; // let "Try again" fetch it afresh
        throw e;
      });
    return state.pending;
  };
  return { state, fetchOnce };
}

// The patient pages and the staff schedules are separate areas: neither downloads the other's code.
const patientPages = loader(() => import('./AppointmentsPages'), 'appointments');
const staffPages = loader(() => import('./AppointmentsStaffPages'), 'schedule');

/** Start fetching the pages now (the address is known before the account is). */
export function preloadAppointments(path: string): void {
  void (path.startsWith('/schedule') ? staffPages : patientPages).fetchOnce().catch(() => undefined);
}

function usePages<M>({ state, fetchOnce }: ReturnType<typeof loader<M>>): { pages: M | null; failed: boolean; retry: () => void } {
  const [pages, setPages] = useState<M | null>(state.loaded);
  const [failed, setFailed] = useState(false);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (pages) return;
    let live = true;
    setFailed(false);
    fetchOnce()
      .then((m) => live && setPages(() => m))
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [attempt]);
  return { pages, failed, retry: () => setAttempt((n) => n + 1) };
}

function LoadFailed({ retry }: { retry: () => void }) {
  return (
    <Page title={t`Appointments`} narrow>
      <Notice tone="error" role="alert" title={t`We couldn't open this page`}>
        <p>{t`Check your internet connection and try again.`}</p>
        <button type="button" class="button button--secondary" onClick={retry}>
          {t`Try again`}
        </button>
      </Notice>
    </Page>
  );
}

/** Everything under /appointments for patients and caregivers. */
export function PatientAppointmentsRoute({ path }: { path: string }) {
  const { pages, failed, retry } = usePages(patientPages);
  if (pages) return <pages.PatientAppointments path={path} />;
  return failed ? <LoadFailed retry={retry} /> : <Loading label={t`Loading appointments…`} />;
}

/** /schedule (one provider) and /schedule/day (all providers' day) for clinicians, the front desk and administrators. */
export function StaffScheduleRoute({ path = '/schedule' }: { path?: string }) {
  const { pages, failed, retry } = usePages(staffPages);
  if (pages) return path === '/schedule/day' ? <pages.ClinicDayPage /> : <pages.StaffSchedulePage />;
  return failed ? <LoadFailed retry={retry} /> : <Loading label={t`Loading the schedule…`} />;
}
