// Access review (admins): find a patient, then see who opened their record, what they did and when,
// filtered by staff member and clinic days, and download it as a CSV file.

import { msg, plural, t } from '@lingui/core/macro';
import { useMemo, useState } from 'preact/hooks';
import { ApiError } from '../../../shared/api/client';
import { PagedListBody } from '../../../shared/ui/Lists';
import { Notice, Page, SelectField, TextField } from '../../../shared/ui/ui';
import { useApp } from '../../../shared/context';
import { useLoad } from '../../../shared/hooks/useLoad';
import { useLoadMore, usePagedList } from '../../../shared/hooks/usePagedList';
import { formatDate, formatDateTime } from '../../../shared/format';
import { translated } from '../../../shared/i18n';
import { Link } from '../../../router';
import { saveFile } from '../../records/records';
import { type PatientMatch, searchPatients } from '../../staff-patients/api';
import { type AccessFilters, type AccessReviewEntry, type AccessReviewPage, adminApi, type PrivacyFlag, type PrivacyReportPage as ReportPage } from '../api';

function message(e: unknown, fallback: string): string {
  return e instanceof ApiError && (e.code === 'network' || e.status === 400) ? e.message : fallback;
}

// How someone is named in the list: "Dr. Ana Rivera, clinician", "Alex Morgan, as caregiver".
const ROLE_WORDS = translated({
  patient: msg`patient`,
  clinician: msg`clinician`,
  front_desk: msg`front desk`,
  billing: msg`billing`,
  admin: msg`administrator`,
});

function whoDid(item: AccessReviewEntry): string {
  const name = item.actor_name;
  if (item.actor_relationship === 'caregiver') return t`${name}, as caregiver`;
  const role = (ROLE_WORDS as Record<string, string>)[item.actor_role] ?? item.actor_role;
  return t`${name}, ${role}`;
}

function bornOn(isoDate: string): string {
  const date = formatDate(isoDate);
  return t`Born ${date}`;
}

function forPatient(name: string): string {
  return t`for ${name}`;
}

function accessesLast(count: number): string {
  return plural(count, { one: '# access, last', other: '# accesses, last' });
}

export function AccessReviewPage() {
  const [patient, setPatient] = useState<{ id: string; name: string } | null>(null);
  return (
    <Page
      title={t`Review record access`}
      lead={t`Who opened a patient's record, what they did and when. Each review is recorded in the admin audit and shown to the patient.`}
    >
      <p class="admin-actions">
        <Link href="/admin/staff">{t`Back to staff accounts`}</Link>
        <Link href="/admin/privacy-report">{t`Privacy report: records opened without a visit`}</Link>
      </p>
      <PatientFinder onChoose={setPatient} chosen={patient} />
      {patient ? <AccessList key={patient.id} patientId={patient.id} patientName={patient.name} /> : null}
    </Page>
  );
}

function PatientFinder({ onChoose, chosen }: { onChoose: (p: { id: string; name: string }) => void; chosen: { id: string } | null }) {
  const { api } = useApp();
  const [q, setQ] = useState('');
  const [found, setFound] = useState<PatientMatch[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const search = async (event: Event) => {
    event.preventDefault();
    if (q.trim().length < 2) {
      setError(t`Enter at least 2 characters: a family name, a birth date or a patient id.`);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      setFound((await searchPatients(api, q.trim())).items);
    } catch (e) {
      setFound(null);
      setError(message(e, t`We couldn't search. Please try again.`));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card" aria-labelledby="review-find">
      <h2 id="review-find">{t`Patient`}</h2>
      <form class="review-search" onSubmit={search} noValidate>
        <TextField
          id="review-q"
          label={t`Find a patient`}
          hint={t`Family name ('family, given'), birth date or patient id`}
          value={q}
          onValue={setQ}
          error={error ?? undefined}
          autocomplete="off"
        />
        <button type="submit" class="button button--secondary" aria-disabled={busy ? 'true' : undefined}>
          {busy ? t`Searching…` : t`Search`}
        </button>
      </form>
      {found !== null ? (
        found.length === 0 ? (
          <p role="status">{t`No patient matches.`}</p>
        ) : (
          <ul class="admin-list" aria-label={t`Matching patients`}>
            {found.map((m) => (
              <li key={m.id} class="item-row">
                <div class="admin-row-main">
                  <p class="admin-name">{m.display_name}</p>
                  <p class="muted small">
                    {bornOn(m.birth_date)} · {m.id}
                  </p>
                </div>
                <button
                  type="button"
                  class="button button--secondary"
                  aria-pressed={chosen?.id === m.id ? 'true' : 'false'}
                  onClick={() => onChoose({ id: m.id, name: m.display_name })}
                >
                  {t`Review access`}
                  <span class="visually-hidden"> {forPatient(m.display_name)}</span>
                </button>
              </li>
            ))}
          </ul>
        )
      ) : null}
    </section>
  );
}

function AccessList({ patientId, patientName }: { patientId: string; patientName: string }) {
  const { api } = useApp();
  const client = useMemo(() => adminApi(api), [api]);
  const staff = useLoad((signal) => client.list(null, signal).then((page) => page.items), []).data;
  const [draft, setDraft] = useState<AccessFilters>({});
  const [filters, setFilters] = useState<AccessFilters>({});
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const [downloaded, setDownloaded] = useState('');
  const list = usePagedList<AccessReviewEntry, AccessReviewPage>(
    (cursor, signal) => client.accessReview(patientId, filters, cursor, signal),
    [patientId, filters.actor, filters.from, filters.to],
  );
  const { moreError, clearMoreError, loadMore } = useLoadMore(list, t`We couldn't load more entries. Please try again.`);
  const error = list.error ? message(list.error, t`We couldn't load the access review. Please try again.`) : moreError;
  const staffOptions: readonly (readonly [string, string])[] = [
    ['', t`Everyone`],
    ...(staff ?? []).map((m) => [m.sub, `${m.display_name} (${m.username})`] as const),
  ];
  const download = async () => {
    setDownloadError(null);
    setDownloaded('');
    try {
      const blob = await client.accessExport(patientId, filters);
      saveFile(blob, `access-${patientId}.csv`, 'text/csv');
      setDownloaded(t`The CSV file was downloaded.`);
    } catch (e) {
      setDownloadError(message(e, t`We couldn't make the CSV file. Please try again.`));
    }
  };
  return (
    <section class="card" aria-labelledby="review-list">
      <h2 id="review-list">{t`Access to the record of ${patientName}`}</h2>
      <form
        class="review-filters"
        onSubmit={(e) => {
          e.preventDefault();
          clearMoreError();
          setFilters({ ...draft });
        }}
      >
        <SelectField id="review-actor" label={t`Staff member`} value={draft.actor ?? ''} options={staffOptions} onValue={(v) => setDraft({ ...draft, actor: v })} />
        <TextField id="review-from" label={t`From`} type="date" optional value={draft.from ?? ''} onValue={(v) => setDraft({ ...draft, from: v })} />
        <TextField id="review-to" label={t`To`} type="date" optional value={draft.to ?? ''} onValue={(v) => setDraft({ ...draft, to: v })} />
        <div class="review-buttons">
          <button type="submit" class="button button--primary">
            {t`Show`}
          </button>
          <button type="button" class="button button--secondary" onClick={download}>
            {t`Download CSV`}
          </button>
        </div>
      </form>
      {downloadError ? (
        <Notice tone="error" role="alert">
          <p>{downloadError}</p>
        </Notice>
      ) : null}
      <p class="visually-hidden" role="status">
        {downloaded}
      </p>
      <PagedListBody
        error={error}
        onRetry={() => {
          clearMoreError();
          list.reload();
        }}
        items={list.items}
        loadingLabel={t`Loading the access review…`}
        empty={<p>{t`No access matches these filters.`}</p>}
        hasMore={list.hasMore}
        onMore={loadMore}
        busy={list.loadingMore}
        announce={list.items ? plural(list.items.length, { one: '# entry shown.', other: '# entries shown.' }) : ''}
      >
        {(items) => (
          <table class="log-table">
            <caption class="visually-hidden">{t`Access to the record of ${patientName}, newest first`}</caption>
            <thead>
              <tr>
                <th scope="col">{t`When`}</th>
                <th scope="col">{t`Who`}</th>
                <th scope="col">{t`What`}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={item.id}>
                  <td data-label={t`When`}>
                    <time dateTime={item.at}>{formatDateTime(item.at)}</time>
                  </td>
                  <td data-label={t`Who`}>{whoDid(item)}</td>
                  {/* The server names each action in English. */}
                  <td data-label={t`What`} lang="en">
                    {item.action_label}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </PagedListBody>
    </section>
  );
}

const dayText = (d: Date) => d.toISOString().slice(0, 10);

/** Staff who opened records of patients they had no visit with in the year before, over chosen days. */
export function PrivacyReportPage() {
  const { api } = useApp();
  const client = useMemo(() => adminApi(api), [api]);
  const today = new Date();
  const [draft, setDraft] = useState({ from: dayText(new Date(today.getTime() - 30 * 86_400_000)), to: dayText(today) });
  const [range, setRange] = useState<{ from: string; to: string } | null>(null);
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const list = usePagedList<PrivacyFlag, ReportPage>(
    (cursor, signal) => client.privacyReport(range!, cursor, signal),
    [range?.from, range?.to],
    { enabled: range !== null },
  );
  const { moreError, clearMoreError, loadMore } = useLoadMore(list, t`We couldn't load more of the report. Please try again.`);
  const error = list.error ? message(list.error, t`We couldn't run the report. Please try again.`) : moreError;
  const incomplete = list.first?.incomplete_staff.length ?? 0;
  const download = async () => {
    setDownloadError(null);
    try {
      saveFile(await client.privacyExport(range ?? draft), 'privacy-report.csv', 'text/csv');
    } catch (e) {
      setDownloadError(message(e, t`We couldn't make the CSV file. Please try again.`));
    }
  };
  return (
    <Page
      title={t`Privacy report`}
      lead={t`Staff who opened a patient's record with no visit between them in the year before (clinicians: with their care team; other staff: at the clinic). A signal to look into, not proof of wrongdoing. Running it is recorded.`}
    >
      <p class="admin-actions">
        <Link href="/admin/access">{t`Review one patient's record access`}</Link>
      </p>
      <form
        class="review-filters card"
        onSubmit={(e) => {
          e.preventDefault();
          clearMoreError();
          setRange({ ...draft });
        }}
      >
        <TextField id="privacy-from" label={t`From`} type="date" value={draft.from} onValue={(v) => setDraft({ ...draft, from: v })} />
        <TextField id="privacy-to" label={t`To`} type="date" value={draft.to} onValue={(v) => setDraft({ ...draft, to: v })} />
        <div class="review-buttons">
          <button type="submit" class="button button--primary">
            {t`Run report`}
          </button>
          <button type="button" class="button button--secondary" onClick={download}>
            {t`Download CSV`}
          </button>
        </div>
      </form>
      {downloadError ? (
        <Notice tone="error" role="alert">
          <p>{downloadError}</p>
        </Notice>
      ) : null}
      {incomplete ? (
        <Notice tone="warning">
          <p>{t`Some staff members opened more records than one report reads. Choose a shorter range to see all of theirs.`}</p>
        </Notice>
      ) : null}
      {range ? (
        <PagedListBody
          error={error}
          onRetry={() => {
            clearMoreError();
            list.reload();
          }}
          items={list.items}
          loadingLabel={t`Running the report…`}
          empty={
            <p>
              {list.hasMore
                ? plural(list.first?.staff_checked ?? 0, {
                    one: 'None among the # staff member checked so far. Load more to check the rest.',
                    other: 'None among the # staff members checked so far. Load more to check the rest.',
                  })
                : t`No record was opened without a visit in these days.`}
            </p>
          }
          hasMore={list.hasMore}
          onMore={loadMore}
          busy={list.loadingMore}
          announce={list.items ? plural(list.items.length, { one: '# row shown.', other: '# rows shown.' }) : ''}
        >
          {(items) => (
            <table class="log-table">
              <caption class="visually-hidden">{t`Records opened without a visit`}</caption>
              <thead>
                <tr>
                  <th scope="col">{t`Staff member`}</th>
                  <th scope="col">{t`Patient`}</th>
                  <th scope="col">{t`Accesses`}</th>
                  <th scope="col">{t`What`}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((f) => (
                  <tr key={`${f.staff_sub}:${f.patient_id}`}>
                    <td data-label={t`Staff member`}>{f.staff_name}</td>
                    <td data-label={t`Patient`}>{f.patient_id}</td>
                    <td data-label={t`Accesses`}>
                      {accessesLast(f.accesses)} <time dateTime={f.last_at}>{formatDateTime(f.last_at)}</time>
                    </td>
                    <td data-label={t`What`} lang="en">
                      {f.what.join('; ')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </PagedListBody>
      ) : null}
    </Page>
  );
}
