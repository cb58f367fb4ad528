// Staff patient search: family name, date of birth or patient ID; the results table with "Show more".

import { t } from '@lingui/core/macro';
import { Trans } from '@lingui/react/macro';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../../shared/api/client';
import { Icon } from '../../../shared/ui/Icons';
import { Loading, Notice, Page } from '../../../shared/ui/ui';
import { useApp } from '../../../shared/context';
import { Link } from '../../../router';
import { canRegister, chartHref, fieldMessage, formatBirthDate, resultsSummary, searchHint, searchProblem } from '../staffPatients';
import { type PatientMatch, type PatientSearchPage, searchPatients } from '../api';
import { usePagedList } from '../../../shared/hooks/usePagedList';
import { problemText } from './StaffPatientsPages';

/** The search kept in this history entry's state (never in the address: it may be a name or a birth date). */
export function initialQuery(): string {
  const state: unknown = history.state;
  return state && typeof state === 'object' && 'q' in state && typeof state.q === 'string' ? state.q : '';
}

// --- search ---------------------------------------------------------------------------------------

/** A search the page asked for: a new object per submit, so the same words search again. */
interface SearchRequest {
  q: string;
  /** Focus the results heading when they arrive (a submit, not a search restored from history). */
  moveFocus: boolean;
}

type SearchPageOf = PatientSearchPage & SearchRequest;

/** A search kept in the history entry (e.g. coming back from a chart) runs once on arrival. */
function requestFromAddress(): SearchRequest | null {
  const q = initialQuery().trim();
  return q && !searchProblem(q) ? { q, moveFocus: false } : null;
}

export function SearchPage() {
  const { api, me } = useApp();
  const [text, setText] = useState(initialQuery);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [request, setRequest] = useState<SearchRequest | null>(requestFromAddress);
  // A field error from the server hides the results until the next search comes back.
  const [cleared, setCleared] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [announce, setAnnounce] = useState('');
  const inputRef = useRef<HTMLInputElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const firstNewRow = useRef<number | null>(null);

  const list = usePagedList<PatientMatch, SearchPageOf>(
    (cursor, signal) => searchPatients(api, request!.q, cursor, signal).then((page) => ({ ...page, ...request! })),
    [request],
    { enabled: request !== null, keepItems: true },
  );
  const { items, first } = list;
  const busy = list.loading || list.loadingMore;
  const page = cleared || !first || !items ? null : { items, matchedBy: first.matched_by, more: list.hasMore };
  const searched = first?.q ?? null;

  const failed = (e: unknown) => {
    if (e instanceof ApiError && e.code === 'unauthorized') return;
    if (e instanceof ApiError && e.status === 400 && (e.fields.q || !e.fields.cursor)) {
      setFieldError(fieldMessage(e.fields.q ?? e.message) ?? t`Check what you typed.`);
      setCleared(true);
      inputRef.current?.focus();
    } else {
      setFailure(problemText(e, t`We couldn't search right now. Please try again.`));
    }
  };

  useEffect(() => {
    if (list.error) failed(list.error);
  }, [list.error]);

  // A new first page: show it, say how many, and after a submit move focus to its heading.
  useEffect(() => {
    if (!first) return;
    setCleared(false);
    firstNewRow.current = null;
    const total = first.items.length;
    setAnnounce(total === 0 ? t`No patients found for ${first.q}.` : resultsSummary(total, first.matched_by, Boolean(first.next_cursor)));
    if (first.moveFocus) requestAnimationFrame(() => headingRef.current?.focus());
  }, [first]);

  // After "Show more", focus moves to the first newly shown patient.
  useEffect(() => {
    if (firstNewRow.current === null) return;
    document.getElementById(`sp-row-${firstNewRow.current}`)?.focus();
    firstNewRow.current = null;
  }, [items]);

  const showMore = async () => {
    if (busy || !page) return;
    const before = page.items.length;
    setFailure(null);
    firstNewRow.current = before;
    try {
      const more = await list.loadMore();
      if (!more) {
        firstNewRow.current = null;
        return;
      }
      const total = before + more.items.length;
      setAnnounce(total === 0 ? t`No patients found for ${more.q}.` : resultsSummary(total, more.matched_by, Boolean(more.next_cursor)));
    } catch (e) {
      firstNewRow.current = null;
      if (e instanceof DOMException && e.name === 'AbortError') return;
      failed(e);
    }
  };

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
    // Keep the search in this history entry's state so "back" from a chart returns to these results.
    history.replaceState({ ...(history.state as object | null), q }, '', '/staff/patients');
    setFailure(null);
    setRequest({ q, moveFocus: true });
  };

  const describedBy = [fieldError ? 'sp-q-error' : null, 'sp-q-hint'].filter(Boolean).join(' ');
  return (
    <Page title={t`Patients`} lead={t`Find a patient to open their chart or book an appointment for them.`}>
      {canRegister(me?.user.role) ? (
        <p class="sp-register">
          <Trans>
            Not found? <Link href="/staff/patients/new">Register a patient</Link> ·{' '}
            <Link href="/staff/patients/requests">Registration requests</Link>
          </Trans>
        </p>
      ) : null}
      <form class="card sp-search" role="search" onSubmit={submit} noValidate aria-label={t`Find a patient`}>
        <div class={`field${fieldError ? ' field--error' : ''}`}>
          <label for="sp-q">
            <Trans>Find a patient</Trans>
          </label>
          <p class="hint" id="sp-q-hint">
            {t`${searchHint()}. For example: Morgan · Morgan, Alex · 03/09/1984`}
          </p>
          {fieldError ? (
            <p class="field-error" id="sp-q-error">
              <Icon name="alert" size={18} />
              <span>
                <span class="visually-hidden">{t`Error: `}</span>
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
              <Trans>Search</Trans>
            </button>
          </div>
        </div>
      </form>
      {failure ? (
        <Notice tone="error" role="alert">
          <p>{failure}</p>
        </Notice>
      ) : null}
      {busy && !page ? <Loading label={t`Searching…`} /> : null}
      {page && searched !== null ? (
        <section class="sp-results" aria-labelledby="sp-results-title">
          <h2 id="sp-results-title" ref={headingRef} tabIndex={-1}>
            {t`Results for “${searched}”`}
          </h2>
          {page.items.length === 0 ? (
            <div class="card empty">
              <p>{t`No patients found for “${searched}”.`}</p>
              <p class="small">
                <Trans>Check the spelling, try fewer letters of the family name, or search by date of birth (MM/DD/YYYY) instead.</Trans>
              </p>
            </div>
          ) : (
            <ResultsTable items={page.items} summary={resultsSummary(page.items.length, page.matchedBy, page.more)} />
          )}
          {page.more ? (
            <div class="center sp-more">
              <button
                type="button"
                class="button button--secondary"
                aria-disabled={busy ? 'true' : undefined}
                onClick={() => void showMore()}
              >
                {busy ? t`Loading…` : t`Show more patients`}
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

export function ResultsTable({ items, summary }: { items: PatientMatch[]; summary: string }) {
  return (
    <div class="card card--flush">
      <table class="log-table sp-table">
        <caption class="sp-caption">{t`${summary}. Select a name to open the chart.`}</caption>
        <thead>
          <tr>
            <th scope="col">
              <Trans>Name</Trans>
            </th>
            <th scope="col">
              <Trans>Date of birth</Trans>
            </th>
            <th scope="col">
              <Trans>Age</Trans>
            </th>
            <th scope="col">
              <Trans>Phone</Trans>
            </th>
            <th scope="col">
              <Trans>Patient ID</Trans>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((p, i) => (
            <tr key={p.id}>
              <th scope="row" data-label={t`Name`} class="sp-name">
                <Link href={chartHref(p.id)} id={`sp-row-${i}`}>
                  {p.display_name}
                </Link>
              </th>
              <td data-label={t`Date of birth`}>
                <span class="sp-label" aria-hidden="true">
                  {t`Born`}{' '}
                </span>
                <time dateTime={p.birth_date}>{formatBirthDate(p.birth_date)}</time>
              </td>
              <td data-label={t`Age`}>
                {p.age}
                <span class="sp-label">{t` years`}</span>
              </td>
              <td data-label={t`Phone`}>
                {p.phone_last_four ? (
                  <>
                    <span aria-hidden="true">••• </span>
                    <span class="visually-hidden">{t`ending in `}</span>
                    {p.phone_last_four}
                  </>
                ) : (
                  <span class="muted">
                    <Trans>None on file</Trans>
                  </span>
                )}
              </td>
              <td data-label={t`Patient ID`} class="sp-id">
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
