// The patient's health record, its printable summary, "Download my record" (FHIR),
// and the result release preferences.

import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../../shared/api/client';
import { type HealthSummary, type Medication, recordsApi, type ResultPreferences, type Visit } from '../api';
import { Icon } from '../../../shared/ui/Icons';
import { Loading, Notice, Page } from '../../../shared/ui/ui';
import { useApp } from '../../../shared/context';
import { capitalize, formatDate, formatDateTime } from '../../../shared/format';
import { exportFilename, saveFile } from '../records';
import { Link } from '../../../router';
import { loadFailure, useLoad } from '../../../shared/hooks/useLoad';

const VISIT_TYPES: Record<Visit['visit_type'], string> = {
  office: 'Office visit',
  telehealth: 'Video visit',
  urgent_care: 'Urgent care',
  hospital: 'Hospital',
};

function byName<T>(key: (t: T) => string) {
  return (a: T, b: T) => key(a).localeCompare(key(b));
}

export function HealthRecordPage() {
  const { api, patient, clinic } = useApp();
  const pid = patient?.id ?? null;
  const forSelf = patient?.relationship === 'self';
  const loaded = useLoad((signal) => recordsApi(api).healthSummary(pid!, signal), [pid], { enabled: pid !== null });
  const summary = loaded.data;
  const error = loadFailure(loaded.error, "We couldn't load the health record. Please try again.");

  const heading = forSelf || !patient ? 'Health record' : `${patient.display_name}'s health record`;

  return (
    <Page
      title={heading}
      lead={
        forSelf
          ? 'Your conditions, medicines, allergies, vaccines and visits, as the clinic has them. If something is wrong or missing, tell your care team.'
          : 'Conditions, medicines, allergies, vaccines and visits, as the clinic has them.'
      }
    >
      <p class="print-only print-meta">
        {patient?.display_name} · {clinic?.name ?? 'Clinic Portal'} · Printed {formatDateTime(new Date().toISOString())}
      </p>
      <nav class="rec-links no-print" aria-label="Health record">
        <Link href="/results" class="rec-link">
          <Icon name="clipboard" />
          <span>
            <span class="rec-link-title">Test results</span>
            <span class="rec-link-desc">Lab and imaging results, with trends</span>
          </span>
          <Icon name="chevron" class="rec-link-chevron" />
        </Link>
        <Link href="/documents" class="rec-link">
          <Icon name="lock" />
          <span>
            <span class="rec-link-title">Documents</span>
            <span class="rec-link-desc">Insurance cards, forms and outside records</span>
          </span>
          <Icon name="chevron" class="rec-link-chevron" />
        </Link>
      </nav>

      {error ? (
        <Notice tone="error" role="alert">
          <p>{error}</p>
          <button type="button" class="button button--secondary" onClick={loaded.reload}>
            Try again
          </button>
        </Notice>
      ) : !summary ? (
        <Loading label="Loading health record…" />
      ) : (
        <>
          <SummaryActions />
          <SummaryView summary={summary} />
        </>
      )}
      {pid ? <ReleasePreferences key={pid} /> : null}
    </Page>
  );
}

/** Print and "Download my record". */
function SummaryActions() {
  const { api, patient } = useApp();
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);

  const download = async () => {
    if (!patient || busy) return;
    setBusy(true);
    setStatus(null);
    try {
      const bundle = await recordsApi(api).exportRecord(patient.id);
      const filename = exportFilename(bundle.timestamp);
      saveFile(JSON.stringify(bundle, null, 2), filename, 'application/fhir+json');
      setStatus({ tone: 'success', text: `Saved ${filename} to your downloads.` });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'unauthorized') return;
      setStatus({
        tone: 'error',
        text: e instanceof ApiError && e.code === 'network' ? e.message : "We couldn't prepare the download. Please try again.",
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card rec-actions no-print" aria-labelledby="rec-actions-title">
      <h2 id="rec-actions-title" class="visually-hidden">
        Print or download
      </h2>
      <div class="rec-actions-row">
        <button type="button" class="button button--secondary" onClick={() => window.print()}>
          Print summary
        </button>
        <button type="button" class="button button--primary" onClick={download} aria-disabled={busy ? 'true' : undefined}>
          {busy ? 'Preparing download…' : 'Download my record (FHIR)'}
        </button>
      </div>
      <p class="muted small">
        The download is a standard health-record file (FHIR) that other clinics and health apps can read. Keep it safe: it
        holds your health information.
      </p>
      <div role="status" aria-live="polite">
        {status ? (
          <Notice tone={status.tone}>
            <p>{status.text}</p>
          </Notice>
        ) : null}
      </div>
    </section>
  );
}

function Section({ id, title, count, children }: { id: string; title: string; count?: number; children: ComponentChildren }) {
  return (
    <section class="card rec-section" aria-labelledby={id}>
      <h2 id={id}>
        {title}
        {count !== undefined ? <span class="rec-count"> ({count})</span> : null}
      </h2>
      {children}
    </section>
  );
}

function Empty({ children }: { children: ComponentChildren }) {
  return <p class="muted rec-empty">{children}</p>;
}

function SummaryView({ summary }: { summary: HealthSummary }) {
  const activeProblems = summary.problems.filter((p) => p.status === 'active').sort(byName((p) => p.name));
  const pastProblems = summary.problems.filter((p) => p.status !== 'active').sort(byName((p) => p.name));
  const meds = [...summary.medications].sort(byName((m: Medication) => m.name));
  const activeMeds = meds.filter((m) => m.status === 'active');
  const stoppedMeds = meds.filter((m) => m.status !== 'active');
  const allergies = summary.allergies.filter((a) => a.status === 'active').sort(byName((a) => a.substance));
  const immunizations = [...summary.immunizations].sort((a, b) => b.date.localeCompare(a.date));
  const visits = [...summary.visits].sort((a, b) => b.start.localeCompare(a.start));

  // Printing shows every visit's summary, not only the open ones.
  useEffect(() => {
    const opened: HTMLDetailsElement[] = [];
    const before = () => {
      document.querySelectorAll<HTMLDetailsElement>('details.rec-visit:not([open]), details.rec-more:not([open])').forEach((d) => {
        d.open = true;
        opened.push(d);
      });
    };
    const after = () => {
      opened.splice(0).forEach((d) => (d.open = false));
    };
    window.addEventListener('beforeprint', before);
    window.addEventListener('afterprint', after);
    return () => {
      window.removeEventListener('beforeprint', before);
      window.removeEventListener('afterprint', after);
    };
  }, []);

  return (
    <div class="rec-grid">
      <Section id="rec-allergies" title="Allergies" count={allergies.length}>
        {allergies.length === 0 ? (
          <Empty>No allergies are recorded. If you have any, tell your care team.</Empty>
        ) : (
          <ul class="rec-list">
            {allergies.map((a) => (
              <li key={a.id} class="rec-item">
                <p class="rec-item-title">
                  {a.substance}
                  {a.severity ? <span class={`rec-severity rec-severity--${a.severity}`}>{capitalize(a.severity)}</span> : null}
                </p>
                <p class="rec-item-meta">
                  {a.reaction ? `Reaction: ${a.reaction}` : 'Reaction not recorded'}
                  {a.noted_date ? ` · Noted ${formatDate(a.noted_date)}` : ''}
                </p>
              </li>
            ))}
          </ul>
        )}
      </Section>

      <Section id="rec-problems" title="Health conditions" count={activeProblems.length}>
        {activeProblems.length === 0 ? (
          <Empty>No current health conditions are recorded.</Empty>
        ) : (
          <ul class="rec-list">
            {activeProblems.map((p) => (
              <li key={p.id} class="rec-item">
                <p class="rec-item-title">{p.name}</p>
                <p class="rec-item-meta">
                  {p.onset_date ? `Since ${formatDate(p.onset_date)}` : 'Current'}
                  {p.note ? ` · ${p.note}` : ''}
                </p>
              </li>
            ))}
          </ul>
        )}
        {pastProblems.length > 0 ? (
          <details class="rec-more">
            <summary>Past conditions ({pastProblems.length})</summary>
            <ul class="rec-list">
              {pastProblems.map((p) => (
                <li key={p.id} class="rec-item">
                  <p class="rec-item-title">{p.name}</p>
                  <p class="rec-item-meta">
                    {capitalize(p.status)}
                    {p.onset_date ? ` · Began ${formatDate(p.onset_date)}` : ''}
                  </p>
                </li>
              ))}
            </ul>
          </details>
        ) : null}
      </Section>

      <Section id="rec-meds" title="Medicines" count={activeMeds.length}>
        {activeMeds.length === 0 ? <Empty>No current medicines are recorded.</Empty> : <MedicationList meds={activeMeds} />}
        {stoppedMeds.length > 0 ? (
          <details class="rec-more">
            <summary>Stopped medicines ({stoppedMeds.length})</summary>
            <MedicationList meds={stoppedMeds} />
          </details>
        ) : null}
      </Section>

      <Section id="rec-immunizations" title="Vaccines" count={immunizations.length}>
        {immunizations.length === 0 ? (
          <Empty>No vaccines are recorded.</Empty>
        ) : (
          <ul class="rec-list">
            {immunizations.map((i) => (
              <li key={i.id} class="rec-item rec-item--row">
                <span class="rec-item-title">{i.vaccine}</span>
                <span class="rec-item-meta">
                  {formatDate(i.date)}
                  {i.dose_number ? ` · Dose ${i.dose_number}` : ''}
                </span>
              </li>
            ))}
          </ul>
        )}
      </Section>

      <Section id="rec-visits" title="Visits and after-visit summaries" count={visits.length}>
        {visits.length === 0 ? (
          <Empty>No visits are recorded yet.</Empty>
        ) : (
          <div class="rec-visits">
            {visits.map((v, i) => (
              <details key={v.id} class="rec-visit" open={i === 0}>
                <summary>
                  <span class="rec-visit-head">
                    <span class="rec-visit-reason">{v.reason}</span>
                    <span class="rec-visit-when">
                      <time dateTime={v.start}>{formatDateTime(v.start)}</time> · {VISIT_TYPES[v.visit_type]}
                    </span>
                  </span>
                </summary>
                <dl class="rec-avs">
                  <div>
                    <dt>Seen by</dt>
                    <dd>
                      {v.provider}
                      {v.location ? `, ${v.location}` : ''}
                    </dd>
                  </div>
                  {v.diagnoses.length > 0 ? (
                    <div>
                      <dt>Diagnoses</dt>
                      <dd>
                        <ul>
                          {v.diagnoses.map((d) => (
                            <li key={d.name}>{d.name}</li>
                          ))}
                        </ul>
                      </dd>
                    </div>
                  ) : null}
                  {v.instructions ? (
                    <div>
                      <dt>Instructions</dt>
                      <dd class="rec-pre">{v.instructions}</dd>
                    </div>
                  ) : null}
                  {v.follow_up ? (
                    <div>
                      <dt>Follow-up</dt>
                      <dd>{v.follow_up}</dd>
                    </div>
                  ) : null}
                </dl>
              </details>
            ))}
          </div>
        )}
      </Section>
    </div>
  );
}

function MedicationList({ meds }: { meds: Medication[] }) {
  return (
    <ul class="rec-list">
      {meds.map((m) => (
        <li key={m.id} class="rec-item">
          <p class="rec-item-title">
            {m.name}
            <span class={`rec-status rec-status--${m.status}`}>{m.status === 'active' ? 'Active' : 'Stopped'}</span>
          </p>
          <p class="rec-med-instructions">
            <span class="visually-hidden">Dose: </span>
            {m.dose} · {m.instructions}
          </p>
          <p class="rec-item-meta">
            Prescribed by {m.prescriber} · Started {formatDate(m.start_date)}
            {m.end_date ? ` · Stopped ${formatDate(m.end_date)}` : ''}
          </p>
        </li>
      ))}
    </ul>
  );
}

// --- result release preferences --------------------------------------------------------------------

type Choice = { review_first: boolean; max_wait_days: number };

export function ReleasePreferences() {
  const { api, patient } = useApp();
  const [choices, setChoices] = useState<Record<string, Choice>>({});
  const [status, setStatus] = useState<{ tone: 'success' | 'error' | 'warning' | 'info'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const statusRef = useRef<HTMLDivElement>(null);
  const pid = patient?.id ?? null;
  const forSelf = patient?.relationship === 'self';

  const choicesOf = (p: ResultPreferences) =>
    Object.fromEntries(p.categories.map((c) => [c.id, { review_first: c.review_first, max_wait_days: c.max_wait_days }]));
  const loaded = useLoad(
    (signal) =>
      recordsApi(api)
        .resultPreferences(pid!, signal)
        .then((p) => {
          setChoices(choicesOf(p));
          return p;
        }),
    [pid],
    { enabled: pid !== null, keepData: true },
  );
  const prefs = loaded.data;
  const loadError = loadFailure(loaded.error, "We couldn't load these choices.");
  const adopt = (p: ResultPreferences) => {
    loaded.set(p);
    setChoices(choicesOf(p));
  };

  // Arriving from "Change when you see results": bring this section into view once it has loaded.
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (prefs && location.hash === '#release-preferences') {
      requestAnimationFrame(() => {
        headingRef.current?.scrollIntoView({ block: 'start' });
        headingRef.current?.focus({ preventScroll: true });
      });
    }
  }, [prefs !== null]);

  const save = async (event: Event) => {
    event.preventDefault();
    if (!pid || !prefs || busy) return;
    const changed = prefs.categories.some(
      (c) => choices[c.id]?.review_first !== c.review_first || (choices[c.id]?.review_first && choices[c.id]?.max_wait_days !== c.max_wait_days),
    );
    if (!changed) {
      setStatus({ tone: 'info', text: 'There are no changes to save.' });
      return;
    }
    setBusy(true);
    setStatus(null);
    try {
      const categories = Object.fromEntries(
        prefs.categories.filter((c) => c.allow_review_first).map((c) => [c.id, choices[c.id] ?? { review_first: false, max_wait_days: c.max_wait_days }]),
      );
      const updated = await recordsApi(api).updateResultPreferences(pid, { version: prefs.version, categories });
      adopt(updated);
      setStatus({ tone: 'success', text: 'Your choices were saved. They apply to results that arrive from now on.' });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'unauthorized') return;
      if (e instanceof ApiError && e.status === 409) {
        try {
          adopt(await recordsApi(api).resultPreferences(pid));
        } catch {
          /* the message still says to review */
        }
        setStatus({ tone: 'warning', text: 'These choices were changed elsewhere. We loaded the latest; please review and save again.' });
      } else {
        setStatus({
          tone: 'error',
          text: e instanceof ApiError && e.code === 'network' ? e.message : "We couldn't save your choices. Please try again.",
        });
      }
      requestAnimationFrame(() => statusRef.current?.focus());
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card rec-prefs no-print" aria-labelledby="rec-prefs-title" id="release-preferences">
      <h2 id="rec-prefs-title" ref={headingRef} tabIndex={-1}>When {forSelf ? 'you see' : 'to see'} new test results</h2>
      <p>
        <strong>By default, results appear here as soon as they are ready</strong>, often before your clinician has looked at
        them. For some kinds of results you may prefer to hear about them from your clinician first. If you choose that, a
        result of that kind appears when your clinician releases it, and never later than the wait you pick.
      </p>
      {loadError ? (
        <Notice tone="error">
          <p>{loadError}</p>
        </Notice>
      ) : !prefs ? (
        <Loading label="Loading your choices…" />
      ) : (
        <form onSubmit={save} noValidate>
          <ul class="rec-pref-list">
            {prefs.categories.map((c) => {
              const choice = choices[c.id] ?? { review_first: false, max_wait_days: c.max_wait_days };
              const set = (next: Partial<Choice>) => {
                setChoices((all) => ({ ...all, [c.id]: { ...choice, ...next } }));
                setStatus(null);
              };
              const boxId = `pref-${c.id}`;
              const waitId = `pref-${c.id}-wait`;
              return (
                <li key={c.id} class="rec-pref">
                  <fieldset>
                    <legend>{c.label}</legend>
                    {c.description ? <p class="hint" id={`${boxId}-desc`}>{c.description}</p> : null}
                    {c.allow_review_first ? (
                      <>
                        <div class="check">
                          <input
                            type="checkbox"
                            id={boxId}
                            checked={choice.review_first}
                            aria-describedby={c.description ? `${boxId}-desc` : undefined}
                            onChange={(e) => set({ review_first: (e.currentTarget as HTMLInputElement).checked })}
                          />
                          <label for={boxId}>{c.review_first_prompt}</label>
                        </div>
                        {choice.review_first ? (
                          <div class="field rec-wait">
                            <label for={waitId}>Longest wait before I see them anyway</label>
                            <select
                              id={waitId}
                              value={String(choice.max_wait_days)}
                              onChange={(e) => set({ max_wait_days: Number((e.currentTarget as HTMLSelectElement).value) })}
                            >
                              {Array.from({ length: c.max_wait_days_limit }, (_, i) => i + 1).map((d) => (
                                <option key={d} value={String(d)}>
                                  {d} {d === 1 ? 'day' : 'days'}
                                </option>
                              ))}
                            </select>
                          </div>
                        ) : (
                          <p class="rec-pref-now">Shown as soon as they are ready.</p>
                        )}
                      </>
                    ) : (
                      <p class="rec-pref-now">Always shown as soon as they are ready.</p>
                    )}
                  </fieldset>
                </li>
              );
            })}
          </ul>
          <div class="form-actions">
            <button type="submit" class="button button--primary" aria-disabled={busy ? 'true' : undefined}>
              {busy ? 'Saving…' : 'Save my choices'}
            </button>
            {prefs.updated_at ? <p class="muted small">Last changed {formatDateTime(prefs.updated_at)}</p> : null}
          </div>
          <div ref={statusRef} tabIndex={-1} role="status" aria-live="polite" class="rec-status-line">
            {status ? (
              <Notice tone={status.tone}>
                <p>{status.text}</p>
              </Notice>
            ) : null}
          </div>
        </form>
      )}
    </section>
  );
}
