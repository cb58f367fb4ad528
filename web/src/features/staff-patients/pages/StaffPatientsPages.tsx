// Staff patient pages (lazily loaded chunk): the search (StaffPatientSearch), a patient's overview for
// non-clinical staff, and booking for a patient (the patients' own booking flow, given the patient id).

import { t } from '@lingui/core/macro';
import { Trans } from '@lingui/react/macro';
import '../../appointments/appointments.css';
import '../staffPatients.css';
import '../../billing/billing.css';
import { ApiError, type Profile } from '../../../shared/api/client';
import { Loading, Notice, Page } from '../../../shared/ui/ui';
import { useApp } from '../../../shared/context';
import { formatDate, formatPhone, LANGUAGES } from '../../../shared/format';
import { Link } from '../../../router';
import { chartHref, type StaffPatientsRoute } from '../staffPatients';
import { BookPage } from '../../appointments/pages/AppointmentsBook';
import { NotFoundPage } from '../../../shared/ui/Misc';
import { ProxyAccessPanel } from '../../proxies/pages/ProxyStaff';
import { StaffPatientActions } from './StaffPatientsActions';
import { UpcomingVisits } from './StaffChartSections';
import { accountApi } from '../../account/api';
import { useLoad } from '../../../shared/hooks/useLoad';
import { SearchPage } from './StaffPatientSearch';
import { RegisterPatientPage } from '../../enrolment/pages/RegisterPatient';
import { InvitationsPanel } from '../../enrolment/pages/InvitationsPanel';
import { RegistrationQueuePage } from '../../enrolment/pages/RegistrationRequests';
import { CheckinReviewPage } from './CheckinReview';
import { InsuranceSection } from '../../billing/pages/BillingInsurance';
import { StaffDocumentsSection } from '../../records/pages/RecordsChartDocuments';
import { ProfileEditor } from '../../account/pages/ProfileEditor';
import { useState } from 'preact/hooks';

export function StaffPatientsPage({ route }: { route: StaffPatientsRoute }) {
  if (route.page === 'search') return <SearchPage />;
  if (route.page === 'register') return <RegisterPatientPage />;
  if (route.page === 'requests') return <RegistrationQueuePage />;
  if (route.page === 'overview') return <OverviewPage key={route.patientId} patientId={route.patientId} />;
  if (route.page === 'book') return <BookForPatientPage key={route.patientId} patientId={route.patientId} />;
  if (route.page === 'checkin-review') {
    return <CheckinReviewPage key={`${route.patientId}/${route.appointmentId}`} patientId={route.patientId} appointmentId={route.appointmentId} />;
  }
  return <NotFoundPage />;
}

export function problemText(e: unknown, fallback: string): string {
  if (e instanceof ApiError && e.code === 'network') return e.message;
  return fallback;
}

function languageName(code: string): string {
  return LANGUAGES.find((l) => l.code === code)?.label ?? code;
}

/** The patient's profile for a staff page, and a sentence if it could not be loaded. */
function usePatientProfile(patientId: string): { profile: Profile | null; error: string | null } {
  const { api } = useApp();
  const loaded = useLoad((signal) => accountApi(api).getProfile(patientId, signal), [patientId]);
  const e = loaded.error;
  const error = !e
    ? null
    : e instanceof ApiError && e.status === 404
      ? t`This patient wasn't found.`
      : problemText(e, t`We couldn't load this patient. Please try again.`);
  return { profile: loaded.data, error };
}

function OverviewPage({ patientId }: { patientId: string }) {
  const { me } = useApp();
  const seesAppointments = me?.user.role === 'front_desk' || me?.user.role === 'admin';
  const { profile: loaded, error } = usePatientProfile(patientId);
  const [saved, setSaved] = useState<Profile | null>(null);
  const [editing, setEditing] = useState(false);
  const profile = saved ?? loaded;
  const mayEdit = me?.user.role === 'front_desk' || me?.user.role === 'admin'; // the API's profile:update

  const name = profile ? `${profile.legal_name.given} ${profile.legal_name.family}` : t`Patient`;
  return (
    <Page
      title={name}
      lead={
        profile ? (
          <>
            {profile.preferred_name ? t`Goes by ${profile.preferred_name} · ` : ''}
            {t`Born ${formatDate(profile.birth_date)}`}
          </>
        ) : undefined
      }
    >
      <p class="sp-back">
        <Link href="/staff/patients">
          <Trans>← Patients</Trans>
        </Link>
      </p>
      {error ? (
        <Notice tone="error" role="alert">
          <p>{error}</p>
        </Notice>
      ) : !profile ? (
        <Loading label={t`Loading patient…`} />
      ) : (
        <>
          {new URLSearchParams(location.search).get('registered') ? (
            <Notice tone="success" role="status">
              <p>{t`${name} is registered. Invite them to the portal below.`}</p>
            </Notice>
          ) : null}
          <StaffPatientActions patientId={patientId} name={name} />
          <section class="card" aria-labelledby="sp-contact">
            <h2 id="sp-contact">
              <Trans>Contact details</Trans>
            </h2>
            <dl class="sp-facts">
              <dt>
                <Trans>Phone</Trans>
              </dt>
              <dd>{profile.phone ? <a href={`tel:${profile.phone}`}>{formatPhone(profile.phone)}</a> : t`None on file`}</dd>
              <dt>
                <Trans>Email</Trans>
              </dt>
              <dd>{profile.email ?? t`None on file`}</dd>
              <dt>
                <Trans>Preferred language</Trans>
              </dt>
              <dd>{languageName(profile.preferred_language)}</dd>
              {profile.pronouns ? (
                <>
                  <dt>
                    <Trans>Pronouns</Trans>
                  </dt>
                  <dd>{profile.pronouns}</dd>
                </>
              ) : null}
              <dt>
                <Trans>Patient ID</Trans>
              </dt>
              <dd class="sp-id">{profile.id}</dd>
            </dl>
            {mayEdit && !editing ? (
              <button type="button" class="button button--secondary" aria-expanded="false" onClick={() => setEditing(true)}>
                <Trans>Edit contact details</Trans>
              </button>
            ) : null}
          </section>
          {me?.user.role === 'front_desk' ? <InsuranceSection patientId={patientId} staff /> : null}
          {me?.user.role === 'front_desk' ? <StaffDocumentsSection patientId={patientId} /* the API's document:read */ /> : null}
          {mayEdit && editing ? (
            <section class="card" aria-labelledby="sp-edit">
              <h2 id="sp-edit">
                <Trans>Edit contact details</Trans>
              </h2>
              <ProfileEditor profile={profile} patientId={patientId} onSaved={(p) => setSaved(p)} />
              <button type="button" class="button button--ghost" onClick={() => setEditing(false)}>
                <Trans>Close the form</Trans>
              </button>
            </section>
          ) : null}
          {seesAppointments ? <UpcomingVisits patientId={patientId} /> : null}
          <InvitationsPanel patientId={patientId} patientName={name} patientEmail={profile.email ?? null} /* front desk and admin only */ />
          <ProxyAccessPanel patientId={patientId} patientName={name} /* front desk and admin only */ />
        </>
      )}
    </Page>
  );
}

// --- booking for a patient -----------------------------------------------------------------------------

function BookForPatientPage({ patientId }: { patientId: string }) {
  const { profile, error } = usePatientProfile(patientId);
  if (error) {
    return (
      <Page title={t`Book an appointment`} narrow>
        <Notice tone="error" role="alert">
          <p>{error}</p>
        </Notice>
      </Page>
    );
  }
  if (!profile) return <Loading label={t`Loading patient…`} />;
  const display = `${profile.preferred_name ?? profile.legal_name.given} ${profile.legal_name.family}`;
  return <BookPage forPatient={{ id: patientId, display_name: display, backHref: chartHref(patientId) }} />;
}
