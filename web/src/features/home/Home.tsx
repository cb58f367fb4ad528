import { t } from '@lingui/core/macro';
import { Trans } from '@lingui/react/macro';
import './home.css';
import type { Role } from '../../shared/api/client';
import { Icon, type IconName } from '../../shared/ui/Icons';
import { Page } from '../../shared/ui/ui';
import { useApp } from '../../shared/context';
import { firstName, roleLabel } from '../../shared/format';
import { Link } from '../../router';
import { NextAppointmentCard } from '../appointments/pages/AppointmentsHome';
import { useLoad } from '../../shared/hooks/useLoad';
import { workQueueApi } from '../workqueue/api';
import { QUEUE_PATH, refillsSummary, resultsSummary, threadsSummary } from '../workqueue/workqueue';
import { ApiError } from '../../shared/api/client';
import { homeApi } from './api';
import { attentionItems } from './attention';

/** What needs the patient: first on the page, so it is what a phone shows without scrolling. */
function Attention() {
  const { api, patient } = useApp();
  const pid = patient?.id ?? null;
  const loaded = useLoad((signal) => homeApi(api).summary(pid!, signal), [pid], { enabled: pid !== null });
  const failed = loaded.error !== null && !(loaded.error instanceof ApiError && loaded.error.code === 'unauthorized');
  const items = loaded.data ? attentionItems(loaded.data) : null;
  return (
    <>
      <section class="card attention" aria-labelledby="home-attention">
        <h2 id="home-attention">{t`Needs your attention`}</h2>
        {failed ? (
          <p class="muted">{t`We couldn't check for new results, messages and bills just now. Reload the page to try again.`}</p>
        ) : items === null ? (
          <div class="attention-skeleton" aria-busy="true">
            <span class="visually-hidden" role="status">
              {t`Loading…`}
            </span>
            <span class="skeleton-block attention-skeleton-row" />
            <span class="skeleton-block attention-skeleton-row" />
          </div>
        ) : items.length === 0 ? (
          <p class="attention-none">
            <Icon name="check" /> {t`You're all caught up.`}
          </p>
        ) : (
          <ul class="attention-list">
            {items.map((item) => (
              <li key={item.key}>
                <Link href={item.href} class={`attention-item${item.urgent ? ' attention-item--urgent' : ''}`}>
                  <span class="tile-icon">
                    <Icon name={item.icon} />
                  </span>
                  <span class="tile-text">
                    <span class="tile-title">{item.title}</span>
                    <span class="tile-desc">{item.text}</span>
                  </span>
                  <Icon name="chevron" class="tile-chevron" />
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
      <NextAppointmentCard
        next={failed ? null : loaded.data === null ? undefined : (loaded.data.next_appointment ?? null)}
        failed={failed}
      />
    </>
  );
}
import { offers } from '../proxies/scope';

function Card({
  href,
  onClick,
  icon,
  title,
  text,
}: {
  href?: string;
  onClick?: () => void;
  icon: IconName;
  title: string;
  text: string;
}) {
  const body = (
    <>
      <span class="tile-icon">
        <Icon name={icon} />
      </span>
      <span class="tile-text">
        <span class="tile-title">{title}</span>
        <span class="tile-desc">{text}</span>
      </span>
      <Icon name="chevron" class="tile-chevron" />
    </>
  );
  return (
    <li>
      {href ? (
        <Link href={href} class="tile">
          {body}
        </Link>
      ) : (
        <button type="button" class="tile" onClick={onClick} aria-haspopup="dialog">
          {body}
        </button>
      )}
    </li>
  );
}

export function PatientHome() {
  const { me, clinic, patient, selfProfile, openHelp } = useApp();
  if (!me) return null;
  const self = me.patients.find((p) => p.relationship === 'self');
  const greetingName = selfProfile
    ? selfProfile.preferred_name || selfProfile.legal_name.given
    : firstName(self?.display_name ?? me.user.display_name);
  const forSomeoneElse = patient && patient.relationship !== 'self';

  return (
    <Page
      title={t`Home`}
      heading={t`Hello, ${greetingName}`}
      lead={clinic ? t`Welcome to the ${clinic.name} patient portal.` : t`Welcome to your patient portal.`}
    >
      {!patient ? (
        <div class="card">
          <h2>{t`Your account isn't linked to a record yet`}</h2>
          <p>{t`Please contact the clinic so they can connect your portal account to your health record.`}</p>
        </div>
      ) : (
        <>
        <Attention key={patient.id} />
        <section aria-labelledby="home-record">
          <h2 id="home-record" class="section-title">
            {forSomeoneElse ? t`${patient.display_name}'s record` : t`Your record`}
          </h2>
          <ul class="tiles">
            {offers(patient, '/record') ? (
              <Card
                href="/record"
                icon="clipboard"
                title={t`Health record & test results`}
                text={t`Results with trends, medicines, allergies, vaccines, visit summaries and documents.`}
              />
            ) : null}
            {offers(patient, '/appointments') ? (
              <Card href="/appointments" icon="clock" title={t`Appointments`} text={t`Book, change, check in for and join video visits.`} />
            ) : null}
            {offers(patient, '/messages') ? (
              <Card href="/messages" icon="mail" title={t`Messages & refills`} text={t`Write to your care team and request prescription refills.`} />
            ) : null}
            {offers(patient, '/billing') ? (
              <Card href="/billing" icon="card" title={t`Billing & payments`} text={t`See statements, pay a bill, get receipts or set up a payment plan.`} />
            ) : null}
            <Card
              href="/profile"
              icon="user"
              title={t`Profile & contact info`}
              text={forSomeoneElse ? t`Phone, address, emergency contact and preferences.` : t`Update your phone, address, emergency contact and preferences.`}
            />
            {offers(patient, '/access-log') ? (
              <Card
                href="/access-log"
                icon="eye"
                title={t`Who viewed my record`}
                text={t`See when clinic staff opened or changed the record.`}
              />
            ) : null}
            <Card onClick={openHelp} icon="help" title={t`Help`} text={t`Contact the clinic, opening hours and emergencies.`} />
          </ul>
        </section>
        </>
      )}
    </Page>
  );
}

/** What each staff role does in the portal, in the language on screen. */
function roleDuties(role: Exclude<Role, 'patient'>): { summary: string; duties: string[] } {
  switch (role) {
    case 'clinician':
      return {
        summary: t`You care for patients. In the portal you will review results, answer messages and see your schedule.`,
        duties: [
          t`Review lab results before they are released to patients`,
          t`Reply to messages sent to your care team`,
          t`See your upcoming appointments`,
        ],
      };
    case 'front_desk':
      return {
        summary: t`You help patients get care. In the portal you will manage appointments and patient accounts.`,
        duties: [
          t`Book, move and cancel appointments`,
          t`Help patients with sign-in and account questions`,
          t`Answer messages sent to the front desk`,
        ],
      };
    case 'billing':
      return {
        summary: t`You look after statements and payments. In the portal you will handle bills and billing questions.`,
        duties: [t`Review open statements and payments`, t`Answer billing messages from patients`],
      };
    case 'admin':
      return {
        summary: t`You run the portal for the clinic. In the portal you will manage staff accounts and review access.`,
        duties: [t`Manage staff accounts and roles`, t`Review who accessed patient records`],
      };
  }
}

/** A clinician's counts of what waits (counts only: no patient is named on the home page). */
function ClinicianQueueCard() {
  const { api } = useApp();
  const counts = useLoad((signal) => workQueueApi(api).counts(signal), []);
  const c = counts.data;
  return (
    <section class="card" aria-labelledby="queue-title">
      <h2 id="queue-title">
        <Trans>What needs you today</Trans>
      </h2>
      {counts.error ? (
        <p>
          <Trans>We couldn't count your work. Open your work queue to see it.</Trans>
        </p>
      ) : !c ? (
        <p class="muted">
          <Trans>Counting…</Trans>
        </p>
      ) : (
        <ul class="checklist" aria-label={t`Waiting for you`}>
          <li>{resultsSummary(c.results, c.results_abnormal, c.cap)}</li>
          <li>{refillsSummary(c.refills, c.cap)}</li>
          <li>{threadsSummary(c.threads, c.cap)}</li>
        </ul>
      )}
      <ul class="tiles">
        <Card href={QUEUE_PATH} icon="clipboard" title={t`Open my work queue`} text={t`Review results, decide refills and answer messages.`} />
      </ul>
    </section>
  );
}

export function StaffHome() {
  const { me, clinic, openHelp } = useApp();
  if (!me) return null;
  const role = me.user.role === 'patient' ? 'clinician' : me.user.role;
  const info = roleDuties(role);
  const clinicName = clinic ? clinic.name : 'Clinic Portal';
  return (
    <Page
      title={t`Staff home`}
      heading={t`Hello, ${me.user.display_name}`}
      lead={
        <>
          <span class="badge">{roleLabel(me.user.role)}</span>
          <span>{t`${clinicName} · Staff portal`}</span>
        </>
      }
    >
      <div class="grid-2">
        {me.user.role === 'clinician' ? <ClinicianQueueCard /> : null}
        <section class="card" aria-labelledby="role-title">
          <h2 id="role-title">{t`Your role: ${roleLabel(me.user.role)}`}</h2>
          <p>{info.summary}</p>
          <ul class="checklist">
            {info.duties.map((d) => (
              <li key={d}>{d}</li>
            ))}
          </ul>
          {me.user.role === 'admin' ? (
            <ul class="tiles">
              <Card
                href="/admin/staff"
                icon="user"
                title={t`Manage staff accounts`}
                text={t`Add staff, change roles and pools, disable accounts, reset authenticators.`}
              />
              <Card
                href="/admin/access"
                icon="eye"
                title={t`Review who accessed records`}
                text={t`Who opened a patient's record, what they did and when; filter by staff member and dates, download as CSV.`}
              />
              <Card
                href="/admin/audit"
                icon="eye"
                title={t`Admin audit`}
                text={t`Every change administrators made to staff accounts, and every import of patients.`}
              />
              <Card
                href="/admin/import"
                icon="user"
                title={t`Import existing patients`}
                text={t`Bring the clinic's patient list in from a CSV file or a FHIR Bundle, checked first.`}
              />
            </ul>
          ) : (
            <p class="muted">
              <Trans>Your work lists will appear on this page as they are turned on for the clinic.</Trans>
            </p>
          )}
        </section>
        <section class="card" aria-labelledby="staff-help">
          <h2 id="staff-help">
            <Trans>Need a hand?</Trans>
          </h2>
          <p>
            <Trans>Patients see the clinic's phone, email and hours under Help on every page.</Trans>
          </p>
          <button type="button" class="button button--secondary" onClick={openHelp} aria-haspopup="dialog">
            <Icon name="help" /> <Trans>Open Help</Trans>
          </button>
          <p class="muted small">
            <Trans>Every time you open or change a patient's record, it is recorded and the patient can see it.</Trans>
          </p>
        </section>
        <section class="card" aria-labelledby="staff-security">
          <h2 id="staff-security">
            <Trans>Your sign-in</Trans>
          </h2>
          <ul class="tiles">
            <Card href="/security" icon="lock" title={t`Sign-in and security`} text={t`Change your password; see your two-step sign-in.`} />
          </ul>
        </section>
      </div>
    </Page>
  );
}
