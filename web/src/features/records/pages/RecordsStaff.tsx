// The clinician's side: results waiting for release (hold with a reason, release),
// and a patient's chart (review + comment, add a result, a problem or a medication).

import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../../shared/api/client';
import { type CategoryPreference, type HealthSummary, type LabResult, recordsApi, type ResultSummary, type WorkListItem } from '../api';
import { Dialog } from '../../../shared/ui/Dialog';
import { Field, Loading, Notice, Page, TextField } from '../../../shared/ui/ui';
import { useApp } from '../../../shared/context';
import { formatDate, formatDateTime } from '../../../shared/format';
import { endOfLocalDay, humanField, localDateInput, parseNumber, releaseStateText } from '../recordsStaff';
import { Link } from '../../../router';
import { ComponentRows, ReviewBox } from './RecordsResults';
import { accountApi } from '../../account/api';
import { StaffPatientActions } from '../../staff-patients/pages/StaffPatientsActions';
import { useLoad } from '../../../shared/hooks/useLoad';
import { usePagedList } from '../../../shared/hooks/usePagedList';

type Api = ReturnType<typeof useApp>['api'];

function errorText(e: unknown, fallback: string): string {
  if (!(e instanceof ApiError)) return fallback;
  if (e.code === 'network') return e.message;
  const fields = Object.entries(e.fields);
  if (fields.length > 0) return `${e.message.replace(/\.?$/, ':')} ${fields.map(([k, v]) => `${humanField(k)} ${v}`).join('; ')}.`;
  if (e.status === 409 || e.status === 400) return `${e.message.charAt(0).toUpperCase()}${e.message.slice(1).replace(/\.?$/, '.')}`;
  return fallback;
}

// --- hold dialog --------------------------------------------------------------------------------------

function HoldDialog({
  target,
  onClose,
  onHeld,
}: {
  target: { patientId: string; resultId: string; name: string } | null;
  onClose: () => void;
  onHeld: (r: LabResult) => void;
}) {
  const { api } = useApp();
  const [reason, setReason] = useState('');
  const [until, setUntil] = useState(() => localDateInput(7));
  const [errors, setErrors] = useState<{ reason?: string; until?: string; form?: string }>({});
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (target) {
      setReason('');
      setUntil(localDateInput(7));
      setErrors({});
    }
  }, [target?.resultId]);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!target || busy) return;
    const next: typeof errors = {};
    if (reason.trim().length < 10) next.reason = 'Write the reason for the hold (at least 10 characters). It is kept in the record.';
    if (!until || until < localDateInput(1) || until > localDateInput(30)) next.until = 'Choose a date from tomorrow up to 30 days from today.';
    setErrors(next);
    if (next.reason || next.until) {
      requestAnimationFrame(() => document.getElementById(next.reason ? 'hold-reason' : 'hold-until')?.focus());
      return;
    }
    setBusy(true);
    try {
      // The end of the chosen day, but never past the 30-day limit (measured from now).
      const latest = Date.now() + 30 * 86_400_000 - 60_000;
      const untilIso = new Date(Math.min(new Date(endOfLocalDay(until)).getTime(), latest)).toISOString();
      const held = await recordsApi(api).holdResult(target.patientId, target.resultId, { reason: reason.trim(), until: untilIso });
      onHeld(held);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'unauthorized') return;
      setErrors({ form: errorText(e, "The hold wasn't saved. Please try again.") });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={target !== null}
      onClose={onClose}
      id="hold-dialog"
      title="Hold this result"
      initialFocus="hold-reason"
    >
      <form onSubmit={submit} noValidate class="stack">
        <p>
          Holding keeps <strong>{target?.name}</strong> from the patient until the date you choose, at most 30 days. Only hold
          a result when seeing it now could harm the patient; the reason is recorded.
        </p>
        {errors.form ? (
          <Notice tone="error" role="alert">
            <p>{errors.form}</p>
          </Notice>
        ) : null}
        <Field id="hold-reason" label="Reason for the hold" error={errors.reason} hint="For example: new finding I will explain in person first.">
          {(describedBy, invalid) => (
            <textarea
              class="rec-textarea"
              id="hold-reason"
              rows={3}
              maxLength={1000}
              value={reason}
              onInput={(e) => setReason((e.currentTarget as HTMLTextAreaElement).value)}
              aria-describedby={describedBy}
              aria-invalid={invalid ? 'true' : undefined}
              required
            />
          )}
        </Field>
        <Field id="hold-until" label="Release to the patient on" error={errors.until} hint="The result is released automatically at the end of that day.">
          {(describedBy, invalid) => (
            <input
              id="hold-until"
              type="date"
              min={localDateInput(1)}
              max={localDateInput(30)}
              value={until}
              onInput={(e) => setUntil((e.currentTarget as HTMLInputElement).value)}
              aria-describedby={describedBy}
              aria-invalid={invalid ? 'true' : undefined}
              class="input--short rec-date"
            />
          )}
        </Field>
        <div class="form-actions">
          <button type="submit" class="button button--primary" aria-disabled={busy ? 'true' : undefined}>
            {busy ? 'Saving…' : 'Hold result'}
          </button>
          <button type="button" class="button button--ghost" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}

// --- work list -------------------------------------------------------------------------------------

export function StaffWorkListPage() {
  const { api } = useApp();
  const [moreError, setMoreError] = useState<string | null>(null);
  const [announce, setAnnounce] = useState('');
  const [holding, setHolding] = useState<{ patientId: string; resultId: string; name: string } | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const list = usePagedList<WorkListItem>((cursor, signal) => recordsApi(api).resultWorkList(cursor, signal), [], { keepItems: true });
  const { items, setItems } = list;
  const error = list.error ? errorText(list.error, "We couldn't load the work list. Please try again.") : moreError;

  const loadMore = async () => {
    try {
      const page = await list.loadMore();
      if (page) setAnnounce(`${page.items.length} more loaded.`);
    } catch (e) {
      setMoreError(errorText(e, "We couldn't load more. Please try again."));
    }
  };

  const release = async (item: WorkListItem) => {
    if (busyId) return;
    setBusyId(item.result_id);
    try {
      await recordsApi(api).releaseResult(item.patient_id, item.result_id);
      setItems((prev) => prev.filter((i) => i.result_id !== item.result_id));
      setAnnounce(`${item.name} for ${item.patient_name} was released. The patient can see it now.`);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'unauthorized') return;
      setAnnounce(errorText(e, `${item.name} wasn't released. Please try again.`));
    } finally {
      setBusyId(null);
    }
  };

  return (
    <Page
      title="Results waiting for release"
      lead="Results the patient can't see yet: because they asked to review them with you first, or because a clinician put them on hold. Each is released automatically when its wait ends."
    >
      {error ? (
        <Notice tone="error" role="alert">
          <p>{error}</p>
          <button
            type="button"
            class="button button--secondary"
            onClick={() => {
              setMoreError(null);
              list.reload();
            }}
          >
            Try again
          </button>
        </Notice>
      ) : null}
      {items === null ? (
        error ? null : <Loading label="Loading the work list…" />
      ) : items.length === 0 ? (
        <div class="card empty">
          <p>Nothing is waiting. Every result has been released to its patient.</p>
        </div>
      ) : (
        <ul class="wl-list">
          {items.map((item) => (
            <li key={item.result_id} class="card wl-item">
              <div class="wl-main">
                <p class="wl-title">
                  <Link href={`/staff/patients/${encodeURIComponent(item.patient_id)}`}>{item.patient_name || 'Patient'}</Link>
                  <span class="wl-sep"> · </span>
                  <span>{item.name}</span>
                </p>
                <p class="muted small">
                  Collected {formatDateTime(item.collected_at)} · Entered {formatDateTime(item.entered_at)}
                </p>
                <p class={`wl-state wl-state--${item.state}`}>
                  <span class="wl-state-label">{item.state === 'held' ? 'On hold' : 'Patient asked to review first'}</span>{' '}
                  {releaseStateText(item)}
                </p>
                {item.hold_reason ? (
                  <p class="wl-reason">
                    <span class="muted">Reason{item.held_by ? ` (${item.held_by})` : ''}:</span> {item.hold_reason}
                  </p>
                ) : null}
              </div>
              <div class="wl-actions">
                <button
                  type="button"
                  class="button button--primary"
                  onClick={() => release(item)}
                  aria-disabled={busyId === item.result_id ? 'true' : undefined}
                >
                  Release now<span class="visually-hidden">: {item.name} for {item.patient_name}</span>
                </button>
                <button
                  type="button"
                  class="button button--secondary"
                  aria-haspopup="dialog"
                  onClick={() => setHolding({ patientId: item.patient_id, resultId: item.result_id, name: item.name })}
                >
                  {item.state === 'held' ? 'Change hold' : 'Hold'}
                  <span class="visually-hidden">: {item.name} for {item.patient_name}</span>
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      {items && list.hasMore ? (
        <div class="center">
          <button type="button" class="button button--secondary" onClick={loadMore}>
            Load more
          </button>
        </div>
      ) : null}
      <p class="visually-hidden" role="status" aria-live="polite">
        {announce}
      </p>
      <HoldDialog
        target={holding}
        onClose={() => setHolding(null)}
        onHeld={(r) => {
          setItems((prev) =>
            prev.map((i) =>
              i.result_id === r.id && r.release
                ? {
                    ...i,
                    state: r.release.state,
                    visible_from: r.release.visible_from,
                    hold_reason: r.release.hold_reason,
                    hold_until: r.release.hold_until,
                    held_by: r.release.held_by,
                  }
                : i,
            ),
          );
          setAnnounce(`${r.name} is on hold.`);
          setHolding(null);
        }}
      />
    </Page>
  );
}

// --- a patient's chart -----------------------------------------------------------------------------

function Collapsible({ id, title, children }: { id: string; title: string; children: ComponentChildren }) {
  return (
    <details class="card st-form" id={id}>
      <summary>
        <h2 class="st-summary-title">{title}</h2>
      </summary>
      <div class="st-form-body">{children}</div>
    </details>
  );
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
  const failure = chart.error ?? resultList.error;
  const error = failure ? (failure instanceof ApiError ? failure : new ApiError(0, 'internal', String(failure))) : null;

  const name = profile ? `${profile.legal_name.given} ${profile.legal_name.family}` : 'Patient chart';
  const reviewFirst = categories.filter((c) => c.review_first);

  return (
    <Page
      title={name}
      lead={
        profile ? (
          <>
            {profile.preferred_name ? `Goes by ${profile.preferred_name} · ` : ''}Born {formatDate(profile.birth_date)} · Patient chart
          </>
        ) : undefined
      }
    >
      <p class="res-back">
        <Link href="/staff/results">← Results waiting for release</Link>
      </p>
      {error ? (
        <Notice tone="error" role="alert">
          <p>{error.status === 404 ? "This patient wasn't found." : errorText(error, "We couldn't load this chart. Please try again.")}</p>
        </Notice>
      ) : !profile || !summary || !results ? (
        <Loading label="Loading chart…" />
      ) : (
        <>
          <StaffPatientActions patientId={patientId} name={name} />
          {reviewFirst.length > 0 ? (
            <Notice tone="info" title="Release choices">
              <p>
                This patient asked to review these results with a clinician before seeing them:{' '}
                {reviewFirst.map((c) => `${c.label} (at most ${c.max_wait_days} ${c.max_wait_days === 1 ? 'day' : 'days'})`).join(', ')}.
              </p>
            </Notice>
          ) : null}
          <section class="card" aria-labelledby="st-results">
            <h2 id="st-results">Results</h2>
            {results.length === 0 ? (
              <p class="muted">No results yet.</p>
            ) : (
              <ul class="st-results">
                {results.map((r) => (
                  <li key={r.id} class="st-result">
                    <div class="st-result-head">
                      <div>
                        <p class="st-result-name">{r.name}</p>
                        <p class="muted small">
                          Collected {formatDate(r.collected_at.slice(0, 10))} · {r.category_label}
                          {r.abnormal_count > 0 ? ` · ${r.abnormal_count} outside range` : ''}
                          {r.reviewed ? ' · Reviewed' : ' · Not reviewed'}
                        </p>
                      </div>
                      <span class={`st-state st-state--${r.release?.state ?? 'released'}`}>
                        {r.release?.state === 'held' ? 'On hold' : r.release?.state === 'awaiting_review' ? 'Waiting for review' : 'Released'}
                      </span>
                      <button
                        type="button"
                        class="button button--secondary"
                        aria-expanded={openId === r.id ? 'true' : 'false'}
                        aria-controls={`st-panel-${r.id}`}
                        onClick={() => setOpenId((cur) => (cur === r.id ? null : r.id))}
                      >
                        {openId === r.id ? 'Close' : 'Open'}
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
                      setAnnounce(errorText(e, "We couldn't load more results."));
                    }
                  }}
                >
                  Load more
                </button>
              </div>
            ) : null}
          </section>

          <Collapsible id="st-add-result" title="Add a result">
            <AddResultForm
              api={api}
              patientId={patientId}
              categories={categories}
              onAdded={(r) => {
                setResults((prev) => [r, ...prev].sort((a, b) => b.collected_at.localeCompare(a.collected_at)));
                setAnnounce(
                  r.release?.state === 'released'
                    ? `${r.name} was added and released to the patient.`
                    : `${r.name} was added. The patient sees it ${releaseStateText({ state: r.release?.state ?? 'awaiting_review', visible_from: r.release?.visible_from ?? '' })}.`,
                );
              }}
            />
          </Collapsible>

          <div class="grid-2 st-lists">
            <section class="card" aria-labelledby="st-problems">
              <h2 id="st-problems">Problems</h2>
              <ul class="st-simple">
                {summary.problems.map((p) => (
                  <li key={p.id}>
                    <strong>{p.name}</strong> <span class="muted">· {p.status}</span>
                  </li>
                ))}
              </ul>
              <AddProblemForm
                api={api}
                patientId={patientId}
                onAdded={(p) => {
                  setSummary((s) => ({ ...s, problems: [...s.problems, p] }));
                  setAnnounce(`${p.name} was added to the problem list.`);
                }}
              />
            </section>
            <section class="card" aria-labelledby="st-meds">
              <h2 id="st-meds">Medications</h2>
              <ul class="st-simple">
                {summary.medications.map((m) => (
                  <li key={m.id}>
                    <strong>{m.name}</strong> <span class="muted">· {m.dose} · {m.status}</span>
                  </li>
                ))}
              </ul>
              <AddMedicationForm
                api={api}
                patientId={patientId}
                onAdded={(m) => {
                  setSummary((s) => ({ ...s, medications: [...s.medications, m] }));
                  setAnnounce(`${m.name} was added to the medication list.`);
                }}
              />
            </section>
          </div>
          <p class="center">
            <button
              type="button"
              class="link-button"
              onClick={() => {
                chart.reload();
                resultList.reload();
              }}
            >
              Reload chart
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

function ResultPanel({
  patientId,
  resultId,
  onChanged,
}: {
  patientId: string;
  resultId: string;
  onChanged: (r: LabResult, message: string) => void;
}) {
  const { api } = useApp();
  const [comment, setComment] = useState('');
  const [releaseToo, setReleaseToo] = useState(false);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const [holding, setHolding] = useState(false);
  const loaded = useLoad(
    (signal) =>
      recordsApi(api)
        .result(patientId, resultId, signal)
        .then((r) => {
          setComment(r.comment ?? '');
          return r;
        }),
    [patientId, resultId],
  );
  const result = loaded.data;
  const setResult = loaded.set;
  const error = loaded.error ? errorText(loaded.error, "We couldn't open this result.") : null;

  if (error) {
    return (
      <Notice tone="error">
        <p>{error}</p>
      </Notice>
    );
  }
  if (!result) return <Loading label="Opening result…" />;
  const released = result.release?.state === 'released';

  const apply = (updated: LabResult, message: string) => {
    setResult(updated);
    setStatus({ tone: 'success', text: message });
    onChanged(updated, message);
  };

  const review = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setStatus(null);
    try {
      const updated = await recordsApi(api).reviewResult(patientId, resultId, {
        comment: comment.trim() || null,
        release: !released && releaseToo,
      });
      apply(updated, !released && releaseToo ? 'Marked reviewed and released to the patient.' : 'Marked reviewed.');
      setReleaseToo(false);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'unauthorized') return;
      setStatus({ tone: 'error', text: errorText(e, "The review wasn't saved. Please try again.") });
    } finally {
      setBusy(false);
    }
  };

  const release = async () => {
    if (busy) return;
    setBusy(true);
    setStatus(null);
    try {
      apply(await recordsApi(api).releaseResult(patientId, resultId), 'Released to the patient.');
    } catch (e) {
      if (e instanceof ApiError && e.code === 'unauthorized') return;
      setStatus({ tone: 'error', text: errorText(e, "The result wasn't released. Please try again.") });
    } finally {
      setBusy(false);
    }
  };

  const commentId = `st-comment-${resultId}`;
  const releaseId = `st-release-${resultId}`;
  return (
    <div class="st-panel">
      {result.release ? (
        <p class={`wl-state wl-state--${result.release.state}`}>
          <span class="wl-state-label">
            {result.release.state === 'held' ? 'On hold' : result.release.state === 'awaiting_review' ? 'Waiting for review' : 'Released'}
          </span>{' '}
          {released
            ? `The patient can see this result${result.release.released_by ? ` (released by ${result.release.released_by})` : ''}.`
            : releaseStateText(result.release)}
          {result.release.hold_reason ? ` Reason: ${result.release.hold_reason}` : ''}
        </p>
      ) : null}
      <ComponentRows components={result.components} />
      <ReviewBox result={result} audience="staff" />
      <form onSubmit={review} noValidate class="stack">
        <Field id={commentId} label="Comment for the patient" optional hint="Plain words; the patient reads this next to the result.">
          {(describedBy) => (
            <textarea
              class="rec-textarea"
              id={commentId}
              rows={3}
              maxLength={2000}
              value={comment}
              onInput={(e) => setComment((e.currentTarget as HTMLTextAreaElement).value)}
              aria-describedby={describedBy}
            />
          )}
        </Field>
        {!released ? (
          <div class="check">
            <input type="checkbox" id={releaseId} checked={releaseToo} onChange={(e) => setReleaseToo((e.currentTarget as HTMLInputElement).checked)} />
            <label for={releaseId}>Also release it to the patient now</label>
          </div>
        ) : null}
        <div class="form-actions">
          <button type="submit" class="button button--primary" aria-disabled={busy ? 'true' : undefined}>
            Mark reviewed
          </button>
          {!released ? (
            <>
              <button type="button" class="button button--secondary" onClick={release} aria-disabled={busy ? 'true' : undefined}>
                Release now
              </button>
              <button type="button" class="button button--secondary" aria-haspopup="dialog" onClick={() => setHolding(true)}>
                {result.release?.state === 'held' ? 'Change hold' : 'Hold'}
              </button>
            </>
          ) : null}
        </div>
        <div role="status" aria-live="polite">
          {status ? (
            <Notice tone={status.tone}>
              <p>{status.text}</p>
            </Notice>
          ) : null}
        </div>
      </form>
      <HoldDialog
        target={holding ? { patientId, resultId, name: result.name } : null}
        onClose={() => setHolding(false)}
        onHeld={(r) => {
          setHolding(false);
          apply(r, 'The result is on hold.');
        }}
      />
    </div>
  );
}

// --- add forms -------------------------------------------------------------------------------------

interface ComponentDraft {
  name: string;
  code: string;
  value: string;
  unit: string;
  low: string;
  high: string;
}
const emptyComponent = (): ComponentDraft => ({ name: '', code: '', value: '', unit: '', low: '', high: '' });

function FormStatus({ status }: { status: { tone: 'success' | 'error'; text: string } | null }) {
  return (
    <div role="status" aria-live="polite">
      {status ? (
        <Notice tone={status.tone}>
          <p>{status.text}</p>
        </Notice>
      ) : null}
    </div>
  );
}

function AddResultForm({
  api,
  patientId,
  categories,
  onAdded,
}: {
  api: Api;
  patientId: string;
  categories: CategoryPreference[];
  onAdded: (r: LabResult) => void;
}) {
  const [category, setCategory] = useState(categories[0]?.id ?? 'lab');
  const [name, setName] = useState('');
  const [collected, setCollected] = useState(() => localDateInput(0));
  const [components, setComponents] = useState<ComponentDraft[]>([emptyComponent()]);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const nameRef = useRef<HTMLInputElement>(null);

  const setComp = (i: number, patch: Partial<ComponentDraft>) =>
    setComponents((all) => all.map((c, j) => (j === i ? { ...c, ...patch } : c)));

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const problems: string[] = [];
    if (!name.trim()) problems.push('Give the result a name.');
    const parsed = components.map((c, i) => {
      const value = parseNumber(c.value);
      const low = parseNumber(c.low);
      const high = parseNumber(c.high);
      if (!c.name.trim()) problems.push(`Value ${i + 1}: give it a name.`);
      if (!c.value.trim()) problems.push(`Value ${i + 1}: enter the result.`);
      if (c.code.trim() && !/^\d{1,7}-\d$/.test(c.code.trim())) problems.push(`Value ${i + 1}: a LOINC code looks like 4548-4.`);
      const numeric = value !== null;
      if (!numeric && (c.unit.trim() || c.low.trim() || c.high.trim())) problems.push(`Value ${i + 1}: a unit or range needs a number as the result.`);
      return {
        name: c.name.trim(),
        code: c.code.trim() || null,
        ...(numeric ? { value, unit: c.unit.trim() || null, ref_low: low, ref_high: high } : { value_text: c.value.trim() }),
      };
    });
    if (problems.length > 0) {
      setStatus({ tone: 'error', text: problems.join(' ') });
      return;
    }
    setBusy(true);
    setStatus(null);
    try {
      // Collected today means "now"; an earlier day means midday of that day.
      const at = collected === localDateInput(0) ? new Date().toISOString() : new Date(`${collected}T12:00:00`).toISOString();
      const added = await recordsApi(api).addResult(patientId, {
        category,
        name: name.trim(),
        collected_at: at,
        components: parsed,
        comment: comment.trim() || null,
      });
      onAdded(added);
      setStatus({ tone: 'success', text: `${added.name} was added.` });
      setName('');
      setComponents([emptyComponent()]);
      setComment('');
      nameRef.current?.focus();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'unauthorized') return;
      setStatus({ tone: 'error', text: errorText(e, "The result wasn't added. Please try again.") });
    } finally {
      setBusy(false);
    }
  };

  const chosen = categories.find((c) => c.id === category);
  return (
    <form onSubmit={submit} noValidate class="stack">
      <div class="form-grid">
        <Field id="ar-category" label="Category">
          {() => (
            <select id="ar-category" value={category} onChange={(e) => setCategory((e.currentTarget as HTMLSelectElement).value)}>
              {categories.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="ar-name" label="Result name" hint="As the patient will see it, e.g. Lipid panel.">
          {(describedBy) => (
            <input ref={nameRef} id="ar-name" type="text" maxLength={200} value={name} aria-describedby={describedBy} onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)} />
          )}
        </Field>
        <Field id="ar-collected" label="Collected on">
          {() => (
            <input id="ar-collected" type="date" max={localDateInput(0)} value={collected} class="input--short rec-date" onInput={(e) => setCollected((e.currentTarget as HTMLInputElement).value)} />
          )}
        </Field>
      </div>
      {chosen?.review_first ? (
        <p class="hint-box">
          This patient asked to review {chosen.label.toLowerCase()} first: the result waits for your release, at most{' '}
          {chosen.max_wait_days} {chosen.max_wait_days === 1 ? 'day' : 'days'}.
        </p>
      ) : (
        <p class="hint-box">The patient sees this result as soon as you add it.</p>
      )}
      {components.map((c, i) => (
        <fieldset key={i} class="st-component">
          <legend>Value {i + 1}</legend>
          <div class="form-grid">
            <TextField id={`ar-c${i}-name`} label="Name" value={c.name} onValue={(v) => setComp(i, { name: v })} maxLength={120} />
            <TextField id={`ar-c${i}-code`} label="LOINC code" optional value={c.code} onValue={(v) => setComp(i, { code: v })} maxLength={9} hint="Lets it appear in trends." />
            <TextField id={`ar-c${i}-value`} label="Result" value={c.value} onValue={(v) => setComp(i, { value: v })} maxLength={500} hint="A number, or words." />
            <TextField id={`ar-c${i}-unit`} label="Unit" optional value={c.unit} onValue={(v) => setComp(i, { unit: v })} maxLength={30} />
            <TextField id={`ar-c${i}-low`} label="Normal range from" optional value={c.low} onValue={(v) => setComp(i, { low: v })} inputMode="decimal" />
            <TextField id={`ar-c${i}-high`} label="Normal range to" optional value={c.high} onValue={(v) => setComp(i, { high: v })} inputMode="decimal" />
          </div>
          {components.length > 1 ? (
            <button type="button" class="link-button" onClick={() => setComponents((all) => all.filter((_, j) => j !== i))}>
              Remove value {i + 1}
            </button>
          ) : null}
        </fieldset>
      ))}
      <div>
        <button
          type="button"
          class="button button--secondary"
          onClick={() => {
            setComponents((all) => [...all, emptyComponent()]);
            requestAnimationFrame(() => document.getElementById(`ar-c${components.length}-name`)?.focus());
          }}
        >
          Add another value
        </button>
      </div>
      <Field id="ar-comment" label="Comment for the patient" optional hint="Adding a comment also marks the result reviewed.">
        {(describedBy) => (
          <textarea class="rec-textarea" id="ar-comment" rows={3} maxLength={2000} value={comment} aria-describedby={describedBy} onInput={(e) => setComment((e.currentTarget as HTMLTextAreaElement).value)} />
        )}
      </Field>
      <div class="form-actions">
        <button type="submit" class="button button--primary" aria-disabled={busy ? 'true' : undefined}>
          {busy ? 'Adding…' : 'Add result'}
        </button>
      </div>
      <FormStatus status={status} />
    </form>
  );
}

function AddProblemForm({ api, patientId, onAdded }: { api: Api; patientId: string; onAdded: (p: HealthSummary['problems'][number]) => void }) {
  const [name, setName] = useState('');
  const [onset, setOnset] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    if (!name.trim()) {
      setStatus({ tone: 'error', text: 'Enter the problem.' });
      document.getElementById('ap-name')?.focus();
      return;
    }
    setBusy(true);
    setStatus(null);
    try {
      const added = await recordsApi(api).addProblem(patientId, { name: name.trim(), onset_date: onset || null, note: note.trim() || null });
      onAdded(added);
      setStatus({ tone: 'success', text: `${added.name} was added.` });
      setName('');
      setOnset('');
      setNote('');
    } catch (e) {
      if (e instanceof ApiError && e.code === 'unauthorized') return;
      setStatus({ tone: 'error', text: errorText(e, "The problem wasn't added. Please try again.") });
    } finally {
      setBusy(false);
    }
  };

  return (
    <details class="st-inline">
      <summary>Add a problem</summary>
      <form onSubmit={submit} noValidate class="stack">
        <TextField id="ap-name" label="Problem" value={name} onValue={setName} maxLength={200} />
        <Field id="ap-onset" label="Since" optional>
          {() => <input id="ap-onset" type="date" max={localDateInput(0)} value={onset} class="input--short rec-date" onInput={(e) => setOnset((e.currentTarget as HTMLInputElement).value)} />}
        </Field>
        <TextField id="ap-note" label="Note" optional value={note} onValue={setNote} maxLength={1000} />
        <div>
          <button type="submit" class="button button--primary" aria-disabled={busy ? 'true' : undefined}>
            {busy ? 'Adding…' : 'Add problem'}
          </button>
        </div>
        <FormStatus status={status} />
      </form>
    </details>
  );
}

function AddMedicationForm({ api, patientId, onAdded }: { api: Api; patientId: string; onAdded: (m: HealthSummary['medications'][number]) => void }) {
  const { me } = useApp();
  const [form, setForm] = useState({ name: '', dose: '', instructions: '', prescriber: me?.user.display_name ?? '', start: localDateInput(0) });
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const set = (key: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [key]: value }));

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const missing = (
      [
        ['name', 'the medication'],
        ['dose', 'the dose'],
        ['instructions', 'how to take it'],
        ['prescriber', 'the prescriber'],
        ['start', 'the start date'],
      ] as const
    ).filter(([k]) => !form[k].trim());
    if (missing.length > 0) {
      setStatus({ tone: 'error', text: `Enter ${missing.map(([, label]) => label).join(', ')}.` });
      document.getElementById(`am-${missing[0]![0]}`)?.focus();
      return;
    }
    setBusy(true);
    setStatus(null);
    try {
      const added = await recordsApi(api).addMedication(patientId, {
        name: form.name.trim(),
        dose: form.dose.trim(),
        instructions: form.instructions.trim(),
        prescriber: form.prescriber.trim(),
        start_date: form.start,
      });
      onAdded(added);
      setStatus({ tone: 'success', text: `${added.name} was added.` });
      setForm((f) => ({ ...f, name: '', dose: '', instructions: '' }));
    } catch (e) {
      if (e instanceof ApiError && e.code === 'unauthorized') return;
      setStatus({ tone: 'error', text: errorText(e, "The medication wasn't added. Please try again.") });
    } finally {
      setBusy(false);
    }
  };

  return (
    <details class="st-inline">
      <summary>Add a medication</summary>
      <form onSubmit={submit} noValidate class="stack">
        <TextField id="am-name" label="Medication" value={form.name} onValue={set('name')} maxLength={200} hint="Name and strength, e.g. Metformin 500 mg tablet." />
        <TextField id="am-dose" label="Dose" value={form.dose} onValue={set('dose')} maxLength={100} />
        <TextField id="am-instructions" label="How to take it" value={form.instructions} onValue={set('instructions')} maxLength={500} />
        <TextField id="am-prescriber" label="Prescriber" value={form.prescriber} onValue={set('prescriber')} maxLength={100} />
        <Field id="am-start" label="Start date">
          {() => <input id="am-start" type="date" max={localDateInput(0)} value={form.start} class="input--short rec-date" onInput={(e) => set('start')((e.currentTarget as HTMLInputElement).value)} />}
        </Field>
        <div>
          <button type="submit" class="button button--primary" aria-disabled={busy ? 'true' : undefined}>
            {busy ? 'Adding…' : 'Add medication'}
          </button>
        </div>
        <FormStatus status={status} />
      </form>
    </details>
  );
}
