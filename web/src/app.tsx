import { t } from '@lingui/core/macro';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { type Api, ApiError, type Clinic, MFA_REQUIRED_EVENT, type Profile } from './shared/api/client';
import type { CognitoClient } from './shared/cognito';
import { Dialog } from './shared/ui/Dialog';
import { HelpContent } from './shared/ui/Help';
import { IdleDialog } from './shared/ui/IdleDialog';
import { Loading, Notice, Page } from './shared/ui/ui';
import { AppContext, type AppContextValue } from './shared/context';
import { accessibleBrand } from './shared/format';
import { bindActivity, IdleTimer } from './shared/idle';
import { activateLocale, currentLocale, isLocale, type Locale } from './shared/i18n';
import {
  AccountArea,
  ForgotPasswordArea,
  ForgotUsernameArea,
  isAccountPath,
  SecurityPageArea,
} from './features/account/AccountLazy';
import { lazyArea } from './shared/ui/LazyArea';
import { ActivateArea, RequestRegistrationArea } from './features/enrolment/pages/EnrolmentLazy';
import { PatientHome, StaffHome } from './features/home/Home';
import { HelpPage, NotFoundPage } from './shared/ui/Misc';
import { AccessEndedNotice, useAccessWatch } from './features/proxies/pages/ProxyWatch';
import { isRecordsPath, isStaffRecordsPath, RecordsArea } from './features/records/pages/RecordsLazy';
import {
  PatientAppointmentsRoute,
  preloadAppointments,
  StaffScheduleRoute,
} from './features/appointments/pages/AppointmentsRoutes';
import { VisitRoute, visitRoute } from './features/visit/VisitRoute';
import { isPatientMessagesPath, isStaffMessagesPath, MessagesArea } from './features/messages/pages/MessagesLazy';
import { BillingArea, BillingStaffArea, isBillingPath, isStaffBillingPath } from './features/billing/pages/BillingLazy';
import { type AuthNotice, SignInPage } from './features/account/pages/SignIn';
import { StaffPatientsArea } from './features/staff-patients/pages/StaffPatientsRoutes';
import { AdminArea } from './features/admin/pages/AdminRoutes';
import { WorkQueueArea } from './features/workqueue/pages/WorkQueueLazy';
import { adminRoute } from './features/admin/adminRoute';
import { navigate, requestFocus, usePath } from './router';
import type { Session } from './shared/session';
import { staffPatientsRoute } from './features/staff-patients/staffPatientsRoute';
import { useLoad } from './shared/hooks/useLoad';
import { ACTING_KEY, ACTIVITY_KEY, PATIENT_KEY, RECORD_BAR_KEY, readStorage, writeStorage } from './shell/storage';
import { SiteHeader } from './shell/SiteHeader';
import { ActingBanner } from './features/proxies/ActingBanner';
import { NotInScopePage } from './features/proxies/pages/NotInScope';
import { actingForSomeoneElse, offersPath } from './features/proxies/scope';
import { SiteFooter } from './shell/SiteFooter';

// Staff without an authenticator app see only this page (its chunk carries the QR code library).
const MfaEnrolArea = lazyArea(() => import('./features/account/pages/MfaEnrol').then((m) => m.MfaEnrolPage));

type Me = Awaited<ReturnType<Api['me']>>;
/** A /me answer for the App's next load: started at boot, or the one that switched the language. */
let carriedMe: { api: Api; answer: Promise<Me> } | null = null;

/**
 * At boot, before the first render: a reload of a signed-in page asks who is signed in and fetches the
 * page's code and messages at once, instead of one after the other once the shell has rendered.
 */
export function startSignedInLoad(api: Api, session: Session, path: string): void {
  if (!session.signedIn) return;
  const answer = api.me();
  answer.catch(() => undefined); // the App's load reports a failure
  carriedMe = { api, answer };
  if (isRecordsPath(path) || isStaffRecordsPath(path)) RecordsArea.preload();
  else if (path === '/appointments' || path.startsWith('/appointments/') || path.startsWith('/schedule')) preloadAppointments(path);
  else if (isPatientMessagesPath(path) || path.startsWith('/staff/messages') || path.startsWith('/staff/refills')) MessagesArea.preload();
  else if (isBillingPath(path)) BillingArea.preload();
  else if (isStaffBillingPath(path)) BillingStaffArea.preload();
  else if (isAccountPath(path)) AccountArea.preload();
}

export interface AppProps {
  api: Api;
  session: Session;
  cognito: CognitoClient;
  /** Clinic details fetched before first paint (so the header doesn't flash a placeholder name), and the language asked for. */
  initialClinic?: { clinic: Clinic; locale: Locale } | null;
  /** Inactivity timings; injectable for tests and demos. */
  idle?: { warnAfterMs?: number; signOutAfterMs?: number };
}

export function App({ api, session, cognito, idle, initialClinic = null }: AppProps) {
  const path = usePath();
  const [signedIn, setSignedIn] = useState(session.signedIn);
  const [notice, setNotice] = useState<AuthNotice | null>(null);
  const [helpOpen, setHelpOpen] = useState(false);
  const [menuOpen, setMenuOpen] = useState(false);
  const [idleDeadline, setIdleDeadline] = useState<number | null>(null);
  const [patientId, setPatientId] = useState<string | null>(() => readStorage(PATIENT_KEY));
  const [selfProfile, setSelfProfile] = useState<Profile | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const idleTimer = useRef<IdleTimer | null>(null);

  // Clinic branding and contact details: public, needed on every page including sign-in. Its own text (hours,
  // notices) comes in the language asked for, so after a language switch (which re-mounts the App) ask again,
  // showing the details at hand meanwhile.
  const initialFits = initialClinic !== null && initialClinic.locale === currentLocale();
  const clinicLoad = useLoad(() => api.clinic(), [], { enabled: !initialFits });
  const clinic = (initialFits ? null : clinicLoad.data) ?? initialClinic?.clinic ?? null;
  useEffect(() => {
    if (!clinic) return;
    const brand = accessibleBrand(clinic.primary_color);
    document.documentElement.style.setProperty('--brand', brand);
    document.querySelector('meta[name="theme-color"]')?.setAttribute('content', brand);
  }, [clinic]);

  useEffect(
    () =>
      session.subscribe((event) => {
        if (event.type === 'signedIn') {
          requestFocus();
          setSignedIn(true);
          setNotice(null);
        } else if (event.type === 'signedOut') {
          carriedMe = null;
          setSignedIn(false);
          setMe(null);
          setSelfProfile(null);
          setIdleDeadline(null);
          setHelpOpen(false);
          setMenuOpen(false);
          setPatientId(null);
          writeStorage(PATIENT_KEY, null);
          writeStorage(ACTIVITY_KEY, null);
          writeStorage(RECORD_BAR_KEY, null);
          writeStorage(ACTING_KEY, null);
          setNotice(event.reason);
          // Keep the address on expiry so signing in again returns to the same page.
          if (event.reason !== 'expired') navigate('/', { replace: true });
        }
      }),
    [session],
  );

  // Who am I, and whose records may I open.
  // The signed-in shell waits for the saved language's catalog (behind the loading placeholder), so a
  // Spanish-speaking patient never sees the pages in English first and then redrawn.
  // Switching the language re-mounts this tree (LocaleRoot), so the answer that caused the switch is handed
  // to the new mount rather than fetched again.
  const meLoad = useLoad(
    async () => {
      const carried = carriedMe?.api === api ? carriedMe.answer : null;
      carriedMe = null;
      const answer = await (carried ?? api.me());
      const language = answer.user.language;
      if (isLocale(language) && language !== currentLocale()) {
        carriedMe = { api, answer: Promise.resolve(answer) }; // taken by the next mount's load
        await activateLocale(language).catch(() => undefined);
      }
      return answer;
    },
    [],
    { enabled: signedIn, keepData: true },
  );
  const me = meLoad.data;
  const setMe = meLoad.set;
  const failure = meLoad.error;
  const meError =
    !failure || (failure instanceof ApiError && failure.code === 'unauthorized') // already signed out
      ? null
      : failure instanceof ApiError
        ? failure
        : new ApiError(0, 'internal', String(failure));

  // After sign-in the patient's saved language wins over the one chosen before (and follows a change saved
  // on the profile); the whole app re-renders in it.
  const savedLanguage = selfProfile?.preferred_language ?? me?.user.language;
  useEffect(() => {
    if (isLocale(savedLanguage)) void activateLocale(savedLanguage);
  }, [savedLanguage]);

  // An answer "mfa_required" (an administrator reset the caller's MFA mid-session): read /me again, which
  // then sends the caller to enrolment.
  useEffect(() => {
    const reread = () => meLoad.reload();
    window.addEventListener(MFA_REQUIRED_EVENT, reread);
    return () => window.removeEventListener(MFA_REQUIRED_EVENT, reread);
  }, []);

  // Inactivity: warn at 13 minutes, sign out at 15.
  useEffect(() => {
    if (!signedIn) return undefined;
    const stored = Number(readStorage(ACTIVITY_KEY));
    const timer = new IdleTimer({
      ...idle,
      ...(stored > 0 ? { lastActivity: Math.min(stored, Date.now()) } : {}),
      onWarn: (deadline) => setIdleDeadline(deadline),
      onTimeout: () => session.signOut('idle'),
    });
    idleTimer.current = timer;
    const unbind = bindActivity(timer);
    const persist = () => writeStorage(ACTIVITY_KEY, String(timer.lastActivity));
    window.addEventListener('pagehide', persist);
    timer.start();
    return () => {
      unbind();
      window.removeEventListener('pagehide', persist);
      timer.stop();
      idleTimer.current = null;
    };
  }, [signedIn]);

  useEffect(() => setMenuOpen(false), [path]);

  const patients = me?.patients ?? [];
  const recordBar = me?.user.role === 'patient' && patients.length > 1;
  useEffect(() => {
    if (me) writeStorage(RECORD_BAR_KEY, recordBar ? '1' : null);
  }, [me, recordBar]);
  const patient =
    patients.find((p) => p.id === patientId) ?? patients.find((p) => p.relationship === 'self') ?? patients[0] ?? null;

  const acting = actingForSomeoneElse(patient);
  useEffect(() => {
    if (me) writeStorage(ACTING_KEY, acting ? '1' : null);
  }, [me, acting]);

  // Re-read /me as the patient moves around, so ended (or new) grants show up at once.
  const accessEnded = useAccessWatch({
    api,
    me,
    setMe,
    path,
    patientId,
    onLost: () => {
      setPatientId(null);
      writeStorage(PATIENT_KEY, null);
    },
  });

  const openHelp = useCallback(() => setHelpOpen(true), []);
  const reloadMe = useCallback(() => meLoad.reload(), []);
  const context: AppContextValue = useMemo(
    () => ({ api, session, clinic, me, patient, selfProfile, setSelfProfile, openHelp, reloadMe }),
    [api, session, clinic, me, patient, selfProfile, openHelp, reloadMe],
  );

  const isPatient = me?.user.role === 'patient';
  const staffPatients = me ? staffPatientsRoute(path, me.user.role) : null;
  const visit = me && (isPatient || me.user.role === 'clinician') ? visitRoute(path) : null;
  let content;
  if (!signedIn) {
    if (path === '/forgot-password') {
      content = (
        <ForgotPasswordArea
          cognito={cognito}
          onDone={() => {
            setNotice('passwordReset');
            navigate('/');
          }}
        />
      );
    } else if (path === '/forgot-username') {
      content = <ForgotUsernameArea onBack={() => navigate('/')} />;
    } else if (path === '/help') {
      content = <HelpPage />;
    } else if (path === '/activate') {
      content = <ActivateArea />; // no account yet: an invitation's code makes one
    } else if (path === '/register') {
      content = <RequestRegistrationArea />; // ask to be invited (when the clinic takes requests)
    } else {
      content = <SignInPage notice={notice} />;
    }
  } else if (meError) {
    content = (
      <Page title={t`Something went wrong`} narrow>
        <Notice tone="error" role="alert" title={t`We couldn't load your account`}>
          <p>{meError.code === 'network' ? meError.message : t`Please try again. If this keeps happening, contact the clinic.`}</p>
          <button type="button" class="button button--secondary" onClick={meLoad.reload}>
            {t`Try again`}
          </button>
        </Notice>
      </Page>
    );
  } else if (!me) {
    content = <Loading label={t`Loading your portal…`} />;
  } else if (me.user.mfa_required && !me.user.mfa_enabled) {
    content = (
      <MfaEnrolArea
        onEnrolled={() => {
          requestFocus();
          navigate('/', { replace: true });
          meLoad.reload();
        }}
      />
    );
  } else if (path === '/help') {
    content = <HelpPage />;
  } else if (path === '/security') {
    content = <SecurityPageArea />; // password and two-step sign-in (patients also find it on their profile)
  } else if (visit) {
    content = <VisitRoute key={path} pid={visit.pid} aid={visit.aid} />; // the video visit (own chunk)
  } else if (me.user.role === 'admin' && adminRoute(path)) {
    content = <AdminArea route={adminRoute(path)!} />; // staff accounts, admin audit
  } else if (staffPatients) {
    content = <StaffPatientsArea route={staffPatients} />; // find, overview, book for
  } else if (me.user.role === 'clinician' && path === '/staff/queue') {
    content = <WorkQueueArea />; // results to review, refills to decide, messages awaiting a reply
  } else if (me.user.role === 'clinician' && isStaffRecordsPath(path)) {
    content = <RecordsArea path={path} />; // results work list, patient chart
  } else if (isStaffMessagesPath(path, me.user.role)) {
    content = <MessagesArea path={path} />; // care-team inbox, refill work list
  } else if (me.user.role === 'billing' && isStaffBillingPath(path)) {
    content = <BillingStaffArea path={path} />; // open-balance work list, patient ledger
  } else if (!isPatient && (path === '/schedule' || path === '/schedule/day') && me.user.role !== 'billing') {
    content = <StaffScheduleRoute path={path} />; // provider schedules, front-desk queue, the clinic's day
  } else if (!isPatient) {
    content = path === '/' ? <StaffHome /> : <NotFoundPage />;
  } else if (path === '/') {
    content = <PatientHome />;
  } else if (patient && !offersPath(patient, path)) {
    content = <NotInScopePage />; // a caregiver at the address of a page outside their grant
  } else if (patient && isAccountPath(path)) {
    content = <AccountArea key={patient.id} path={path} />;
  } else if (patient && (path === '/appointments' || path.startsWith('/appointments/'))) {
    content = <PatientAppointmentsRoute key={patient.id} path={path} />;
  } else if (patient && isPatientMessagesPath(path)) {
    content = <MessagesArea key={patient.id} path={path} />;
  } else if (patient && isBillingPath(path)) {
    content = <BillingArea key={patient.id} path={path} />;
  } else if (patient && isRecordsPath(path)) {
    content = <RecordsArea key={patient.id} path={path} />;
  } else {
    content = <NotFoundPage />;
  }

  return (
    <AppContext.Provider value={context}>
      <a
        class="skip-link"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        {t`Skip to main content`}
      </a>
      <SiteHeader
        menuOpen={menuOpen}
        onToggleMenu={() => setMenuOpen((o) => !o)}
        announcement={announcement}
        signedIn={signedIn}
        holdRecordBar={signedIn && !me && readStorage(RECORD_BAR_KEY) === '1'}
        onChoosePatient={(id) => {
          setPatientId(id);
          writeStorage(PATIENT_KEY, id);
          const chosen = patients.find((p) => p.id === id);
          if (chosen) {
            const name = chosen.display_name;
            setAnnouncement(
              chosen.relationship === 'self' ? t`Now viewing your own record.` : t`Now viewing the record of ${name}.`,
            );
          }
        }}
      />
      <ActingBanner hold={signedIn && !me && readStorage(ACTING_KEY) === '1'} />
      <main id="main" tabIndex={-1} class={signedIn ? 'main--app' : undefined}>
        {accessEnded !== null ? <AccessEndedNotice name={accessEnded} /> : null}
        {content}
      </main>
      <SiteFooter clinic={clinic} />
      <Dialog open={helpOpen} onClose={() => setHelpOpen(false)} id="help-dialog" title={t`Help and contact`}>
        <HelpContent clinic={clinic} />
      </Dialog>
      <IdleDialog
        deadline={idleDeadline}
        onStay={() => {
          setIdleDeadline(null);
          idleTimer.current?.stayActive();
          void session.refresh();
        }}
        onSignOut={() => session.signOut('user')}
      />
    </AppContext.Provider>
  );
}
