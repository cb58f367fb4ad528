// The patient's test results list, one result, and a component's trend.

import type { FunctionComponent } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../../shared/api/client';
import { type LabResult, recordsApi, type RecordsApi, type ResultComponent, type ResultFlag, type ResultSummary, type Trend } from '../api';
import { Icon } from '../../../shared/ui/Icons';
import { Loading, Notice, Page } from '../../../shared/ui/ui';
import { useApp } from '../../../shared/context';
import { formatDate, formatDateTime } from '../../../shared/format';
import { FLAG_LABELS, FLAG_MEANINGS, flagTone, formatNumber, formatValue, isOutOfRange, rangeText, trendSummary } from '../records';
import { Link } from '../../../router';
import { loadFailure, useLoad } from '../../../shared/hooks/useLoad';
import { usePagedList } from '../../../shared/hooks/usePagedList';

const PAGE_SIZE = 10;
const dateOnly = (iso: string) => formatDate(iso.slice(0, 10));

export function FlagBadge({ flag }: { flag: ResultFlag | null }) {
  if (!flag) return null;
  const tone = flagTone(flag);
  const mark = flag.endsWith('high') ? '▲' : flag.endsWith('low') ? '▼' : tone === 'normal' ? '✓' : '!';
  return (
    <span class={`flag flag--${tone}`}>
      <span aria-hidden="true" class="flag-mark">
        {mark}
      </span>
      {FLAG_LABELS[flag]}
    </span>
  );
}

function StatusLine({ r }: { r: ResultSummary }) {
  return (
    <span class="res-tags">
      {r.abnormal_count > 0 ? (
        <span class="res-tag res-tag--out">
          {r.abnormal_count} {r.abnormal_count === 1 ? 'value' : 'values'} outside the normal range
        </span>
      ) : r.worst_flag === 'normal' ? (
        <span class="res-tag">All values in the normal range</span>
      ) : null}
      {r.has_comment ? (
        <span class="res-tag">Comment from your clinician</span>
      ) : r.reviewed ? (
        <span class="res-tag">Reviewed by your clinician</span>
      ) : (
        <span class="res-tag res-tag--muted">Not yet reviewed</span>
      )}
    </span>
  );
}

/**
 * One page of results, topped up: the API applies its page size before hiding results the patient can't
 * see yet, so a page can come back short (even empty) while more remain. Ask again, a few times at most.
 */
export async function fetchResultsPage(
  records: Pick<RecordsApi, 'results'>,
  pid: string,
  cursor: string | null,
  signal?: AbortSignal,
): Promise<{ items: ResultSummary[]; next_cursor: string | null }> {
  const items: ResultSummary[] = [];
  let next = cursor;
  for (let round = 0; round < 5; round++) {
    const page = await records.results(pid, next, signal, PAGE_SIZE - items.length);
    items.push(...page.items);
    next = page.next_cursor;
    if (!next || items.length >= PAGE_SIZE) break;
  }
  return { items, next_cursor: next };
}

export function ResultsPage() {
  const { api, patient } = useApp();
  const [moreError, setMoreError] = useState<string | null>(null);
  const [announce, setAnnounce] = useState('');
  const listRef = useRef<HTMLUListElement>(null);
  const pid = patient?.id ?? null;
  const forSelf = patient?.relationship === 'self';
  const list = usePagedList<ResultSummary>((cursor, signal) => fetchResultsPage(recordsApi(api), pid!, cursor, signal), [pid], {
    enabled: pid !== null,
  });
  const { items, loadingMore } = list;
  const error = loadFailure(list.error, "We couldn't load the test results. Please try again.") ?? moreError;

  const loadMore = async () => {
    const before = items?.length ?? 0;
    try {
      const page = await list.loadMore();
      if (!page) return;
      setAnnounce(`${page.items.length} more ${page.items.length === 1 ? 'result' : 'results'} loaded.${page.next_cursor ? '' : ' That is all of them.'}`);
      // Keep keyboard users in place: focus the first newly loaded result.
      requestAnimationFrame(() => listRef.current?.querySelectorAll<HTMLAnchorElement>('a.res-row')[before]?.focus());
    } catch (e) {
      setMoreError(loadFailure(e, "We couldn't load more results. Please try again."));
    }
  };

  const newCount = items?.filter((r) => r.is_new).length ?? 0;

  return (
    <Page
      title={forSelf || !patient ? 'Test results' : `${patient.display_name}'s test results`}
      lead={
        <span>
          Newest first. Results appear as soon as they are ready, so you may see one before your clinician has reviewed it.{' '}
          <Link href="/record#release-preferences">Change when you see results</Link>
        </span>
      }
    >
      <p class="res-back">
        <Link href="/record">← Health record</Link>
      </p>
      {error ? (
        <Notice tone="error" role="alert">
          <p>{error}</p>
          {items === null ? (
            <button type="button" class="button button--secondary" onClick={list.reload}>
              Try again
            </button>
          ) : null}
        </Notice>
      ) : null}
      {items === null ? (
        error ? null : <Loading label="Loading test results…" />
      ) : items.length === 0 ? (
        <div class="card empty">
          <p>There are no test results yet. They will appear here as soon as they are ready.</p>
        </div>
      ) : (
        <>
          {newCount > 0 ? (
            <p class="res-newcount">
              {newCount} new {newCount === 1 ? 'result' : 'results'} you haven't opened yet.
            </p>
          ) : null}
          <ul class="res-list" ref={listRef}>
            {items.map((r) => (
              <li key={r.id}>
                <Link href={`/results/${encodeURIComponent(r.id)}`} class={`res-row${r.is_new ? ' res-row--new' : ''}`}>
                  <span class="res-row-main">
                    <span class="res-row-title">
                      {r.is_new ? <span class="res-new">New</span> : null}
                      <span class="res-name">{r.name}</span>
                    </span>
                    <span class="res-row-meta">
                      <time dateTime={r.collected_at}>Collected {dateOnly(r.collected_at)}</time> · {r.category_label}
                      {r.status !== 'final' ? ` · ${r.status === 'preliminary' ? 'Preliminary' : 'Corrected'}` : ''}
                    </span>
                    <StatusLine r={r} />
                  </span>
                  <Icon name="chevron" class="res-row-chevron" />
                </Link>
              </li>
            ))}
          </ul>
        </>
      )}
      {items && list.hasMore ? (
        <div class="center">
          <button type="button" class="button button--secondary" onClick={loadMore} aria-disabled={loadingMore ? 'true' : undefined}>
            {loadingMore ? 'Loading…' : 'Load more'}
          </button>
        </div>
      ) : null}
      <p class="visually-hidden" role="status" aria-live="polite">
        {announce}
      </p>
    </Page>
  );
}

// --- one result ------------------------------------------------------------------------------------

export function ComponentRows({ components, onTrend }: { components: ResultComponent[]; onTrend?: (code: string) => void }) {
  return (
    <ul class="res-components">
      {components.map((c, i) => {
        const range = rangeText(c);
        const meaning = c.flag_text ?? (c.flag ? FLAG_MEANINGS[c.flag] : null);
        return (
          <li key={`${c.code ?? c.name}-${i}`} class={`res-comp${isOutOfRange(c.flag) ? ' res-comp--out' : ''}`}>
            <div class="res-comp-name">{c.name}</div>
            <div class="res-comp-value">
              <span class={c.value === null ? 'res-text-value' : 'res-number'}>{formatValue(c.value, c.value_text, c.unit)}</span>
              <FlagBadge flag={c.flag} />
            </div>
            <div class="res-comp-detail">
              {meaning && c.flag !== 'normal' ? <span class="res-meaning">{meaning}. </span> : null}
              {range ? <span>Normal range: {range}</span> : c.value !== null ? <span>No normal range given</span> : null}
            </div>
            {onTrend && c.code && c.value !== null ? (
              <button type="button" class="link-button res-trend-link" onClick={() => onTrend(c.code!)}>
                See {c.name} over time
              </button>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}

export function ReviewBox({ result, audience }: { result: LabResult; audience: 'patient' | 'staff' }) {
  if (result.comment) {
    return (
      <section class="card res-review res-review--comment" aria-labelledby="res-review-title">
        <h2 id="res-review-title">Comment from {result.reviewed_by ?? 'your clinician'}</h2>
        <p class="rec-pre">{result.comment}</p>
        <p class="muted small">
          {result.comment_at ? `Written ${formatDateTime(result.comment_at)}. ` : ''}
          Reviewed by a clinician.
        </p>
      </section>
    );
  }
  if (result.reviewed) {
    return (
      <section class="card res-review" aria-labelledby="res-review-title">
        <h2 id="res-review-title">Reviewed by a clinician</h2>
        <p>
          {result.reviewed_by ?? 'Your clinician'} reviewed this result{result.reviewed_at ? ` on ${formatDateTime(result.reviewed_at)}` : ''}.
        </p>
      </section>
    );
  }
  return (
    <section class="card res-review res-review--pending" aria-labelledby="res-review-title">
      <h2 id="res-review-title">Not yet reviewed by a clinician</h2>
      <p>
        {audience === 'patient'
          ? "You're seeing this result as soon as it was ready. Your clinician will review it and contact you if anything needs to change. If you have questions, send your care team a message."
          : 'No clinician has reviewed this result yet.'}
      </p>
    </section>
  );
}

export function ResultDetailPage({ resultId }: { resultId: string }) {
  const { api, patient } = useApp();
  const [trendCode, setTrendCode] = useState<string | null>(null);
  const trendRef = useRef<HTMLHeadingElement>(null);
  const pid = patient?.id ?? null;
  const loaded = useLoad(
    (signal) =>
      recordsApi(api)
        .result(pid!, resultId, signal)
        .then((r) => {
          const charted = r.components.filter((c) => c.code && c.value !== null);
          const first = charted.find((c) => isOutOfRange(c.flag)) ?? charted[0];
          setTrendCode(first?.code ?? null);
          return r;
        }),
    [pid, resultId],
    { enabled: pid !== null, keepData: true },
  );
  const result = loaded.data;
  const error = loaded.error ? (loaded.error instanceof ApiError ? loaded.error : new ApiError(0, 'internal', String(loaded.error))) : null;

  const charted = result?.components.filter((c) => c.code && c.value !== null) ?? [];

  return (
    <Page
      title={result ? result.name : 'Test result'}
      lead={
        result ? (
          <span>
            Collected <time dateTime={result.collected_at}>{formatDateTime(result.collected_at)}</time> · {result.category_label}
          </span>
        ) : undefined
      }
    >
      <p class="res-back">
        <Link href="/results">← All test results</Link>
      </p>
      {error ? (
        <Notice tone="error" role="alert">
          {error.status === 404 ? (
            <p>We couldn't find this result. It may not be available to view yet.</p>
          ) : (
            <>
              <p>{error.code === 'network' ? error.message : "We couldn't load this result. Please try again."}</p>
              <button type="button" class="button button--secondary" onClick={loaded.reload}>
                Try again
              </button>
            </>
          )}
        </Notice>
      ) : !result ? (
        <Loading label="Loading result…" />
      ) : (
        <>
          {result.status !== 'final' ? (
            <Notice tone="warning">
              <p>
                {result.status === 'preliminary'
                  ? 'This is a preliminary result. The final result may be different.'
                  : 'This result was corrected by the lab after it was first reported.'}
              </p>
            </Notice>
          ) : null}
          <ReviewBox result={result} audience="patient" />
          <section class="card res-values" aria-labelledby="res-values-title">
            <h2 id="res-values-title">Your results</h2>
            <ComponentRows
              components={result.components}
              onTrend={(code) => {
                setTrendCode(code);
                requestAnimationFrame(() => {
                  trendRef.current?.scrollIntoView({ block: 'start' });
                  trendRef.current?.focus({ preventScroll: true });
                });
              }}
            />
            <dl class="res-facts">
              {result.ordered_by ? (
                <div>
                  <dt>Ordered by</dt>
                  <dd>{result.ordered_by}</dd>
                </div>
              ) : null}
              {result.performer ? (
                <div>
                  <dt>Performed by</dt>
                  <dd>{result.performer}</dd>
                </div>
              ) : null}
            </dl>
          </section>
          {pid && trendCode && charted.length > 0 ? (
            <TrendSection
              patientId={pid}
              code={trendCode}
              options={charted.map((c) => ({ code: c.code!, name: c.name }))}
              onCode={setTrendCode}
              headingRef={trendRef}
              currentResultId={result.id}
            />
          ) : null}
        </>
      )}
    </Page>
  );
}

// --- trend -----------------------------------------------------------------------------------------

type ChartModule = { TrendChart: FunctionComponent<{ trend: Trend; label: string }> };
let chartModule: ChartModule | null = null;

function useChartModule(): { mod: ChartModule | null; failed: boolean } {
  const [mod, setMod] = useState<ChartModule | null>(chartModule);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (mod) return;
    import('./RecordsTrendChart')
      .then((m) => {
        chartModule = m;
        setMod(m);
      })
      .catch(() => setFailed(true));
  }, []);
  return { mod, failed };
}

export function TrendSection({
  patientId,
  code,
  options,
  onCode,
  headingRef,
  currentResultId,
}: {
  patientId: string;
  code: string;
  options: { code: string; name: string }[];
  onCode: (code: string) => void;
  headingRef?: { current: HTMLHeadingElement | null };
  currentResultId?: string;
}) {
  const { api } = useApp();
  const [showTable, setShowTable] = useState(false);
  const { mod, failed } = useChartModule();
  const loaded = useLoad((signal) => recordsApi(api).resultTrend(patientId, code, signal), [patientId, code]);
  const trend = loaded.data;
  const error = loadFailure(loaded.error, "We couldn't load the trend.");

  const name = trend?.name ?? options.find((o) => o.code === code)?.name ?? 'This test';
  const summary = trend ? trendSummary(name, trend.unit, trend.points) : '';
  const tableId = `trend-table-${code}`;

  return (
    <section class="card res-trend" aria-labelledby="res-trend-title">
      <h2 id="res-trend-title" ref={headingRef} tabIndex={-1}>
        {name} over time
      </h2>
      {options.length > 1 ? (
        <div class="field res-trend-pick">
          <label for="trend-code">Show the trend for</label>
          <select id="trend-code" value={code} onChange={(e) => onCode((e.currentTarget as HTMLSelectElement).value)}>
            {options.map((o) => (
              <option key={o.code} value={o.code}>
                {o.name}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {error ? (
        <Notice tone="error">
          <p>{error}</p>
        </Notice>
      ) : !trend ? (
        <Loading label="Loading trend…" />
      ) : (
        <>
          <p class="res-trend-summary" id={`trend-summary-${code}`} aria-live="polite">
            {summary}
          </p>
          {trend.points.length > 1 ? (
            <div class="res-chart-wrap" aria-hidden="true">
              {mod ? (
                <mod.TrendChart trend={trend} label={name} />
              ) : failed ? (
                <p class="muted">The chart couldn't be drawn. The table below has every value.</p>
              ) : (
                <div class="res-chart-placeholder" />
              )}
              <p class="res-legend">
                <span class="res-legend-band" /> Normal range
                <span class="res-legend-line" /> Your results
                <span class="res-legend-out">▲▼</span> Outside the normal range
              </p>
            </div>
          ) : null}
          <button
            type="button"
            class="button button--secondary res-table-toggle"
            aria-pressed={showTable ? 'true' : 'false'}
            aria-controls={tableId}
            onClick={() => setShowTable((s) => !s)}
          >
            {showTable ? 'Hide table' : 'Show as table'}
          </button>
          {/* Screen readers always get the table; the toggle shows it on screen too. */}
          <div id={tableId} class={showTable ? 'res-trend-table' : 'res-trend-table visually-hidden'}>
            <table class="log-table">
              <caption class="visually-hidden">{name}: every result, oldest first</caption>
              <thead>
                <tr>
                  <th scope="col">Date</th>
                  <th scope="col">Value</th>
                  <th scope="col">Normal range</th>
                  <th scope="col">Flag</th>
                </tr>
              </thead>
              <tbody>
                {trend.points.map((p) => (
                  <tr key={p.result_id} class={p.result_id === currentResultId ? 'is-current' : undefined}>
                    <td data-label="Date">
                      <Link href={`/results/${encodeURIComponent(p.result_id)}`}>{dateOnly(p.collected_at)}</Link>
                      {p.result_id === currentResultId ? <span class="muted"> (this result)</span> : null}
                    </td>
                    <td data-label="Value" class="res-number">
                      {formatNumber(p.value)}
                      {p.unit ? ` ${p.unit}` : ''}
                    </td>
                    <td data-label="Normal range">{rangeText({ ...p, ref_text: null }) ?? '—'}</td>
                    <td data-label="Flag">{p.flag ? <FlagBadge flag={p.flag} /> : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
