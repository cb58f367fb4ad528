// A patient's chart for a clinician: results with their release state, problems and medications, and the
// forms to add to them.

import { plural, t } from '@lingui/core/macro';
import { Trans } from '@lingui/react/macro';
import { useState } from 'preact/hooks';
import { ApiError } from '../../../shared/api/client';
import { type HealthSummary, recordsApi, type ResultSummary } from '../api';
import { Loading, Notice, Page } from '../../../shared/ui/ui';
import { useApp } from '../../../shared/context';
import { formatDate } from '../../../shared/format';
import { releaseStateText } from '../recordsStaff';
import { medicationStatus, problemStatus } from '../healthSummary';
import { Link } from '../../../router';
import { accountApi } from '../../account/api';
import { StaffPatientActions } from '../../staff-patients/pages/StaffPatientsActions';
import { AllergiesSection, EntrySourceNote, ImmunizationsSection, UpcomingVisits } from '../../staff-patients/pages/StaffChartSections';
import { useLoad } from '../../../shared/hooks/useLoad';
import { usePagedList } from '../../../shared/hooks/usePagedList';
import { AddResultForm } from './RecordsChartForms';
import { AddMedicationForm, AddProblemForm } from './RecordsChartListForms';
import { ResultPanel } from './RecordsResultPanel';
import { ConfidentialToggle } from './ConfidentialToggle';
import { StaffDocumentsSection } from './RecordsChartDocuments';
import { Collapsible, errorText } from './RecordsStaff';

type MarkableList = 'problems' | 'medications' | 'allergies';

/** The summary with one problem, medication or allergy marked (or unmarked) confidential. */
export function withConfidential(summary: HealthSummary, list: MarkableList, id: string, hidden: boolean): HealthSummary {
  const items: { id: string; confidential: boolean }[] = summary[list];
  return { ...summary, [list]: items.map((x) => (x.id === id ? { ...x, confidential: hidden } : x)) };
}

function reviewFirstText(c: { label: string; max_wait_days: number }): string {
  const label = c.label;
  return plural(c.max_wait_days, { one: `${label} (at most # day)`, other: `${label} (at most # days)` });
}

function goesBy(name: string): string {
  return t`Goes by ${name}`;
}

function outsideRange(count: number): string {
  return t`${count} outside range`;
}

export function StaffChartPage({ patientId }: { patientId: string }) {
  const { api } = useApp();
  const [openId, setOpenId] = useState<string | null>(null);
  const [announce, setAnnounce] = useState('');
  const chart = useLoad(
    (signal) =>
      Promise.all([
        accountApi(api).getProfile(patientId, signal),
        recordsApi(api).healthSummary(patientId, signal),
        recordsApi(api).resultPreferences(patientId, signal),
      ]).then(([profile, summary, prefs]) => ({ profile, summary, categories: prefs.categories })),
    [patientId],
    { keepData: true },
  );
  const resultList = usePagedList<ResultSummary>((cursor, signal) => recordsApi(api).results(patientId, cursor, signal), [patientId], {
    keepItems: true,
  });
  const profile = chart.data?.profile ?? null;
  const summary = chart.data?.summary ?? null;
  const categories = chart.data?.categories ?? [];
  const results = resultList.items;
  const setResults = resultList.setItems;
  const setSummary = (update: (s: HealthSummary) => HealthSummary) => chart.set((c) => (c ? { ...c, summary: update(c.summary) } : c));
  const markConfidential = (list: MarkableList, id: string) => (hidden: boolean, message: string) => {
    setSummary((s) => withConfidential(s, list, id, hidden));
    setAnnounce(message);
  };
  const failure = chart.error ?? resultList.error;
  const error = failure ? (failure instanceof ApiError ? failure : new ApiError(0, 'internal', String(failure))) : null;

  const name = profile ? `${profile.legal_name.given} ${profile.legal_name.family}` : t`Patient chart`;
  const reviewFirst = categories.filter((c) => c.review_first);

  return (
    <Page
      title={name}
      lead={
        profile ? (
          <>
            {profile.preferred_name ? `${goesBy(profile.preferred_name)} · ` : ''}
            <Trans>Born {formatDate(profile.birth_date)} · Patient chart</Trans>
          </>
        ) : undefined
      }
    >
      <p class="res-back">
        <Link href="/staff/results">{t`← Results waiting for release`}</Link>
      </p>
      {error ? (
        <Notice tone="error" role="alert">
          <p>{error.status === 404 ? t`This patient wasn't found.` : errorText(error, t`We couldn't load this chart. Please try again.`)}</p>
        </Notice>
      ) : !profile || !summary || !results ? (
        <Loading label={t`Loading chart…`} />
      ) : (
        <>
          <StaffPatientActions patientId={patientId} name={name} />
          {reviewFirst.length > 0 ? (
            <Notice tone="info" title={t`Release choices`}>
              <p>
                {t`This patient asked to review these results with a clinician before seeing them:`} {reviewFirst.map(reviewFirstText).join(', ')}.
              </p>
            </Notice>
          ) : null}
          <section class="card" aria-labelledby="st-results">
            <h2 id="st-results">{t`Results`}</h2>
            {results.length === 0 ? (
              <p class="muted">{t`No results yet.`}</p>
            ) : (
              <ul class="st-results">
                {results.map((r) => (
                  <li key={r.id} class="st-result">
                    <div class="st-result-head">
                      <div>
                        <p class="st-result-name">{r.name}</p>
                        <p class="muted small">
                          <Trans>
                            Collected {formatDate(r.collected_at.slice(0, 10))} · {r.category_label}
                          </Trans>
                          {r.abnormal_count > 0 ? ` · ${outsideRange(r.abnormal_count)}` : ''}
                          {` · ${r.reviewed ? t`Reviewed` : t`Not reviewed`}`}
                        </p>
                      </div>
                      <span class={`st-state st-state--${r.release?.state ?? 'released'}`}>
                        {r.release?.state === 'held' ? t`On hold` : r.release?.state === 'awaiting_review' ? t`Waiting for review` : t`Released`}
                      </span>
                      <button
                        type="button"
                        class="button button--secondary"
                        aria-expanded={openId === r.id ? 'true' : 'false'}
                        aria-controls={`st-panel-${r.id}`}
                        onClick={() => setOpenId((cur) => (cur === r.id ? null : r.id))}
                      >
                        {openId === r.id ? t`Close` : t`Open`}
                        <span class="visually-hidden"> {r.name}</span>
                      </button>
                    </div>
                    {openId === r.id ? (
                      <div id={`st-panel-${r.id}`}>
                        <ResultPanel
                          patientId={patientId}
                          resultId={r.id}
                          onChanged={(updated, message) => {
                            setResults((prev) => prev.map((x) => (x.id === updated.id ? { ...x, ...updated } : x)));
                            setAnnounce(message);
                          }}
                        />
                      </div>
                    ) : null}
                  </li>
                ))}
              </ul>
            )}
            {resultList.hasMore ? (
              <div class="center">
                <button
                  type="button"
                  class="button button--secondary"
                  onClick={async () => {
                    try {
                      await resultList.loadMore();
                    } catch (e) {
                      setAnnounce(errorText(e, t`We couldn't load more results.`));
                    }
                  }}
                >
                  {t`Load more`}
                </button>
              </div>
            ) : null}
          </section>

          <Collapsible id="st-add-result" title={t`Add a result`}>
            <AddResultForm
              api={api}
              patientId={patientId}
              categories={categories}
              onAdded={(r) => {
                setResults((prev) => [r, ...prev].sort((a, b) => b.collected_at.localeCompare(a.collected_at)));
                setAnnounce(
                  r.release?.state === 'released'
                    ? t`${r.name} was added and released to the patient.`
                    : `${t`${r.name} was added.`} ${releaseStateText({ state: r.release?.state ?? 'awaiting_review', visible_from: r.release?.visible_from ?? '' })}`,
                );
              }}
            />
          </Collapsible>

          <div class="grid-2 st-lists">
            <section class="card" aria-labelledby="st-problems">
              <h2 id="st-problems">{t`Problems`}</h2>
              <ul class="st-simple">
                {summary.problems.map((p) => (
                  <li key={p.id}>
                    <strong>{p.name}</strong> <span class="muted">· {problemStatus(p.status)}</span>{' '}
                    <ConfidentialToggle
                      patientId={patientId}
                      kind="problem"
                      itemId={p.id}
                      name={p.name}
                      confidential={p.confidential}
                      onChanged={markConfidential('problems', p.id)}
                    />
                  </li>
                ))}
              </ul>
              <AddProblemForm
                api={api}
                patientId={patientId}
                onAdded={(p) => {
                  setSummary((s) => ({ ...s, problems: [...s.problems, p] }));
                  setAnnounce(t`${p.name} was added to the problem list.`);
                }}
              />
            </section>
            <section class="card" aria-labelledby="st-meds">
              <h2 id="st-meds">{t`Medications`}</h2>
              <ul class="st-simple">
                {summary.medications.map((m) => (
                  <li key={m.id}>
                    <strong>{m.name}</strong> <span class="muted">· {m.dose} · {medicationStatus(m.status)}</span>{' '}
                    <ConfidentialToggle
                      patientId={patientId}
                      kind="medication"
                      itemId={m.id}
                      name={m.name}
                      confidential={m.confidential}
                      onChanged={markConfidential('medications', m.id)}
                    />
                    <EntrySourceNote source={m.source} />
                  </li>
                ))}
              </ul>
              <AddMedicationForm
                api={api}
                patientId={patientId}
                onAdded={(m) => {
                  setSummary((s) => ({ ...s, medications: [...s.medications, m] }));
                  setAnnounce(t`${m.name} was added to the medication list.`);
                }}
              />
            </section>
            <AllergiesSection
              allergies={summary.allergies}
              actions={(a) => (
                <ConfidentialToggle
                  patientId={patientId}
                  kind="allergy"
                  itemId={a.id}
                  name={a.substance}
                  confidential={a.confidential}
                  onChanged={markConfidential('allergies', a.id)}
                />
              )}
            />
            <ImmunizationsSection immunizations={summary.immunizations} />
          </div>
          <StaffDocumentsSection patientId={patientId} onAnnounce={setAnnounce} />
          <UpcomingVisits patientId={patientId} headingId="st-upcoming" />
          <p class="center">
            <button
              type="button"
              class="link-button"
              onClick={() => {
                chart.reload();
                resultList.reload();
              }}
            >
              {t`Reload chart`}
            </button>
          </p>
        </>
      )}
      <p class="visually-hidden" role="status" aria-live="polite">
        {announce}
      </p>
    </Page>
  );
}
