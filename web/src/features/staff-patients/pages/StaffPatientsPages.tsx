// Staff patient search (lazily loaded chunk): find a patient, their overview for non-clinical staff,
// and booking for a patient (the patients' own booking flow, given the patient id).

import '../../appointments/appointments.css';
import '../staffPatients.css';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, type Profile } from '../../../shared/api/client';
import { appointmentsApi } from '../../appointments/api';
import { Icon } from '../../../shared/ui/Icons';
import { Loading, Notice, Page } from '../../../shared/ui/ui';
import { useApp } from '../../../shared/context';
import { formatDay, formatTime } from '../../appointments/appointmentsFormat';
import { formatDate, formatPhone, LANGUAGES } from '../../../shared/format';
import { Link } from '../../../router';
import {
  chartHref,
  fieldMessage,
  formatBirthDate,
  resultsSummary,
  SEARCH_HINT,
  searchPatients,
  searchProblem,
  type PatientMatch,
  type PatientSearchPage,
  type StaffPatientsRoute,
} from '../staffPatients';
import { BookPage } from '../../appointments/pages/AppointmentsBook';
import { NotFoundPage } from '../../../shared/ui/Misc';
import { ProxyAccessPanel } from '../../proxies/pages/ProxyStaff';
import { StaffPatientActions } from './StaffPatientsActions';
import { accountApi } from '../../account/api';
import { useLoad } from '../../../shared/hooks/useLoad';

export function StaffPatientsPage({ route }: { route: StaffPatientsRoute }) {
  if (route.page === 'search') return <SearchPage />;
  if (route.page === 'overview') return <OverviewPage key={route.patientId} patientId={route.patientId} />;
  if (route.page === 'book') return <BookForPatientPage key={route.patientId} patientId={route.patientId} />;
  return <NotFoundPage />;
}

function problemText(e: unknown, fallback: string): string {
  if (e instanceof ApiError && e.code === 'network') return e.message;
  return fallback;
}

function initialQuery(): string {
  try {
    return new URLSearchParams(location.search).get('q') ?? '';
  } catch {
    return '';
  }
}

// --- search ---------------------------------------------------------------------------------------

function SearchPage() {
  const { api } = useApp();
  const [text, setText] = useState(initialQuery);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [searched, setSearched] = useState<string | null>(null);
  const [page, setPage] = useState<PatientSearchPage | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [announce, setAnnounce] = useState('');
  const inputRef = useRef<HTMLInputElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const firstNewRow = useRef<number | null>(null);
  const controller = useRef<AbortController | null>(null);

  const run = async (q: string, cursor: string | null, moveFocus: boolean) => {
    controller.current?.abort();
    const mine = new AbortController();
    controller.current = mine;
    setBusy(true);
    setFailure(null);
    try {
      const result = await searchPatients(api, q, cursor, mine.signal);
      if (cursor && page) {
        firstNewRow.current = page.items.length;
        setPage({ ...result, items: [...page.items, ...result.items] });
      } else {
        firstNewRow.current = null;
        setPage(result);
        setSearched(q);
        if (moveFocus) requestAnimationFrame(() => headingRef.current?.focus());
      }
      const total = (cursor && page ? page.items.length : 0) + result.items.length;
      setAnnounce(total === 0 ? `No patients found for ${q}.` : resultsSummary(total, result.matched_by, Boolean(result.next_cursor)));
    } catch (e) {
      if (mine.signal.aborted) return;
      if (e instanceof ApiError && e.code === 'unauthorized') return;
      if (e instanceof ApiError && e.status === 400 && (e.fields.q || !e.fields.cursor)) {
        setFieldError(fieldMessage(e.fields.q ?? e.message) ?? 'Check what you typed.');
        setPage(null);
        inputRef.current?.focus();
      } else {
        setFailure(problemText(e, "We couldn't search right now. Please try again."));
      }
    } finally {
      if (!mine.signal.aborted) setBusy(false);
    }
  };

  // A search in the address (e.g. coming back from a chart) runs once on arrival.
  useEffect(() => {
    const q = initialQuery().trim();
    if (q && !searchProblem(q)) void run(q, null, false);
    return () => controller.current?.abort();
  }, []);

  // After "Show more", focus moves to the first newly shown patient.
  useEffect(() => {
    if (firstNewRow.current === null) return;
    document.getElementById(`sp-row-${firstNewRow.current}`)?.focus();
    firstNewRow.current = null;
  }, [page]);

  const submit = (event: Event) => {
    event.preventDefault();
    const problem = searchProblem(text);
    if (problem) {
      setFieldError(problem);
      inputRef.current?.focus();
      return;
    }
    setFieldError(null);
    const q = text.trim();
    // Keep the search in the address so "back" from a chart returns to these results.
    history.replaceState(null, '', `/staff/patients?q=${encodeURIComponent(q)}`);
    void run(q, null, true);
  };

  const describedBy = [fieldError ? 'sp-q-error' : null, 'sp-q-hint'].filter(Boolean).join(' ');
  return (
    <Page title="Patients" lead="Find a patient to open their chart or book an appointment for them.">
      <form class="card sp-search" role="search" onSubmit={submit} noValidate aria-label="Find a patient">
        <div class={`field${fieldError ? ' field--error' : ''}`}>
          <label for="sp-q">Find a patient</label>
          <p class="hint" id="sp-q-hint">
            {SEARCH_HINT}. For example: Morgan · Morgan, Alex · 03/09/1984
          </p>
          {fieldError ? (
            <p class="field-error" id="sp-q-error">
              <Icon name="alert" size={18} />
              <span>
                <span class="visually-hidden">Error: </span>
                {fieldError}
              </span>
            </p>
          ) : null}
          <div class="sp-search-row">
            <input
              ref={inputRef}
              id="sp-q"
              name="q"
              type="search"
              autoComplete="off"
              spellcheck={false}
              maxLength={80}
              value={text}
              aria-describedby={describedBy}
              aria-invalid={fieldError ? 'true' : undefined}
              onInput={(e) => {
                setText((e.currentTarget as HTMLInputElement).value);
                if (fieldError) setFieldError(null);
              }}
            />
            <button type="submit" class="button button--primary" aria-disabled={busy ? 'true' : undefined}>
              Search
            </button>
          </div>
        </div>
      </form>
      {failure ? (
        <Notice tone="error" role="alert">
          <p>{failure}</p>
        </Notice>
      ) : null}
      {busy && !page ? <Loading label="Searching…" /> : null}
      {page && searched !== null ? (
        <section class="sp-results" aria-labelledby="sp-results-title">
          <h2 id="sp-results-title" ref={headingRef} tabIndex={-1}>
            Results for “{searched}”
          </h2>
          {page.items.length === 0 ? (
            <div class="card empty">
              <p>No patients found for “{searched}”.</p>
              <p class="small">
                Check the spelling, try fewer letters of the family name, or search by date of birth (MM/DD/YYYY) instead.
              </p>
            </div>
          ) : (
            <ResultsTable items={page.items} summary={resultsSummary(page.items.length, page.matched_by, Boolean(page.next_cursor))} />
          )}
          {page.next_cursor ? (
            <div class="center sp-more">
              <button
                type="button"
                class="button button--secondary"
                aria-disabled={busy ? 'true' : undefined}
                onClick={() => !busy && void run(searched, page.next_cursor, false)}
              >
                {busy ? 'Loading…' : 'Show more patients'}
              </button>
            </div>
          ) : null}
        </section>
      ) : null}
      <p class="visually-hidden" role="status" aria-live="polite">
        {announce}
      </p>
    </Page>
  );
}

function ResultsTable({ items, summary }: { items: PatientMatch[]; summary: string }) {
  return (
    <div class="card card--flush">
      <table class="log-table sp-table">
        <caption class="sp-caption">{summary}. Select a name to open the chart.</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Date of birth</th>
            <th scope="col">Age</th>
            <th scope="col">Phone</th>
            <th scope="col">Patient ID</th>
          </tr>
        </thead>
        <tbody>
          {items.map((p, i) => (
            <tr key={p.id}>
              <th scope="row" data-label="Name" class="sp-name">
                <Link href={chartHref(p.id)} id={`sp-row-${i}`}>
                  {p.display_name}
                </Link>
              </th>
              <td data-label="Date of birth">
                <span class="sp-label" aria-hidden="true">
                  Born{' '}
                </span>
                <time dateTime={p.birth_date}>{formatBirthDate(p.birth_date)}</time>
              </td>
              <td data-label="Age">
                {p.age}
                <span class="sp-label"> years</span>
              </td>
              <td data-label="Phone">
                {p.phone_last_four ? (
                  <>
                    <span aria-hidden="true">••• </span>
                    <span class="visually-hidden">ending in </span>
                    {p.phone_last_four}
                  </>
                ) : (
                  <span class="muted">None on file</span>
                )}
              </td>
              <td data-label="Patient ID" class="sp-id">
                <span class="sp-label" aria-hidden="true">
                  ID{' '}
                </span>
                {p.id}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

// --- overview (front desk, billing, admin: the clinical chart is for clinicians) -----------------------

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
      ? "This patient wasn't found."
      : problemText(e, "We couldn't load this patient. Please try again.");
  return { profile: loaded.data, error };
}

function OverviewPage({ patientId }: { patientId: string }) {
  const { api, me } = useApp();
  const seesAppointments = me?.user.role === 'front_desk' || me?.user.role === 'admin';
  const { profile, error } = usePatientProfile(patientId);
  const upcomingLoad = useLoad((signal) => appointmentsApi(api).appointments(patientId, 'upcoming', null, signal), [patientId], {
    enabled: seesAppointments,
  });
  const upcoming = upcomingLoad.error ? [] : (upcomingLoad.data?.items ?? null);

  const name = profile ? `${profile.legal_name.given} ${profile.legal_name.family}` : 'Patient';
  return (
    <Page
      title={name}
      lead={
        profile ? (
          <>
            {profile.preferred_name ? `Goes by ${profile.preferred_name} · ` : ''}Born {formatDate(profile.birth_date)}
          </>
        ) : undefined
      }
    >
      <p class="sp-back">
        <Link href="/staff/patients">← Patients</Link>
      </p>
      {error ? (
        <Notice tone="error" role="alert">
          <p>{error}</p>
        </Notice>
      ) : !profile ? (
        <Loading label="Loading patient…" />
      ) : (
        <>
          <StaffPatientActions patientId={patientId} name={name} />
          <section class="card" aria-labelledby="sp-contact">
            <h2 id="sp-contact">Contact details</h2>
            <dl class="sp-facts">
              <dt>Phone</dt>
              <dd>{profile.phone ? <a href={`tel:${profile.phone}`}>{formatPhone(profile.phone)}</a> : 'None on file'}</dd>
              <dt>Email</dt>
              <dd>{profile.email ?? 'None on file'}</dd>
              <dt>Preferred language</dt>
              <dd>{languageName(profile.preferred_language)}</dd>
              {profile.pronouns ? (
                <>
                  <dt>Pronouns</dt>
                  <dd>{profile.pronouns}</dd>
                </>
              ) : null}
              <dt>Patient ID</dt>
              <dd class="sp-id">{profile.id}</dd>
            </dl>
          </section>
          {seesAppointments ? (
            <section class="card" aria-labelledby="sp-upcoming">
              <h2 id="sp-upcoming">Upcoming appointments</h2>
              {upcoming === null ? (
                <Loading label="Loading appointments…" />
              ) : upcoming.length === 0 ? (
                <p class="muted">No upcoming appointments.</p>
              ) : (
                <ul class="sp-appointments">
                  {upcoming.map((a) => (
                    <li key={a.id}>
                      <time dateTime={a.starts_at}>
                        {formatDay(a.starts_at, a.time_zone)}, {formatTime(a.starts_at, a.time_zone)}
                      </time>{' '}
                      · {a.visit_type?.name ?? 'Appointment'} with{' '}
                      {a.provider.name}
                      {a.status === 'requested' ? ' · requested' : ''}
                    </li>
                  ))}
                </ul>
              )}
            </section>
          ) : null}
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
      <Page title="Book an appointment" narrow>
        <Notice tone="error" role="alert">
          <p>{error}</p>
        </Notice>
      </Page>
    );
  }
  if (!profile) return <Loading label="Loading patient…" />;
  const display = `${profile.preferred_name ?? profile.legal_name.given} ${profile.legal_name.family}`;
  return <BookPage forPatient={{ id: patientId, display_name: display, backHref: chartHref(patientId) }} />;
}
