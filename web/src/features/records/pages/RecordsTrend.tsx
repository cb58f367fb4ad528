// A result component's trend: the chart (uPlot, loaded on first use) with a table to fall back on.

import { t } from '@lingui/core/macro';
import type { FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { recordsApi, type Trend } from '../api';
import { Loading, Notice } from '../../../shared/ui/ui';
import { useApp } from '../../../shared/context';
import { formatNumber, rangeText, trendSummary } from '../records';
import { Link } from '../../../router';
import { loadFailure, useLoad } from '../../../shared/hooks/useLoad';
import { dateOnly, FlagBadge } from './RecordsResults';

type ChartModule = { TrendChart: FunctionComponent<{ trend: Trend; label: string }> };
let chartModule: ChartModule | null = null;

export function useChartModule(): { mod: ChartModule | null; failed: boolean } {
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

function overTime(name: string): string {
  return t`${name} over time`;
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
  const error = loadFailure(loaded.error, t`We couldn't load the trend.`);

  const name = trend?.name ?? options.find((o) => o.code === code)?.name ?? t`This test`;
  const summary = trend ? trendSummary(name, trend.unit, trend.points) : '';
  const tableId = `trend-table-${code}`;

  return (
    <section class="card res-trend" aria-labelledby="res-trend-title">
      <h2 id="res-trend-title" ref={headingRef} tabIndex={-1}>
        {overTime(name)}
      </h2>
      {options.length > 1 ? (
        <div class="field res-trend-pick">
          <label for="trend-code">{t`Show the trend for`}</label>
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
        <Loading label={t`Loading trend…`} />
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
                <p class="muted">{t`The chart couldn't be drawn. The table below has every value.`}</p>
              ) : (
                <div class="res-chart-placeholder" />
              )}
              <p class="res-legend">
                <span class="res-legend-band" /> {t`Normal range`}
                <span class="res-legend-line" /> {t`Your results`}
                <span class="res-legend-out">▲▼</span> {t`Outside the normal range`}
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
            {showTable ? t`Hide table` : t`Show as table`}
          </button>
          {/* Screen readers always get the table; the toggle shows it on screen too. */}
          <div id={tableId} class={showTable ? 'res-trend-table' : 'res-trend-table visually-hidden'}>
            <table class="log-table">
              <caption class="visually-hidden">{t`${name}: every result, oldest first`}</caption>
              <thead>
                <tr>
                  <th scope="col">{t`Date`}</th>
                  <th scope="col">{t`Value`}</th>
                  <th scope="col">{t`Normal range`}</th>
                  <th scope="col">{t`Flag`}</th>
                </tr>
              </thead>
              <tbody>
                {trend.points.map((p) => (
                  <tr key={p.result_id} class={p.result_id === currentResultId ? 'is-current' : undefined}>
                    <td data-label={t`Date`}>
                      <Link href={`/results/${encodeURIComponent(p.result_id)}`}>{dateOnly(p.collected_at)}</Link>
                      {p.result_id === currentResultId ? <span class="muted"> {t`(this result)`}</span> : null}
                    </td>
                    <td data-label={t`Value`} class="res-number">
                      {formatNumber(p.value)}
                      {p.unit ? ` ${p.unit}` : ''}
                    </td>
                    <td data-label={t`Normal range`}>{rangeText({ ...p, ref_text: null }) ?? '—'}</td>
                    <td data-label={t`Flag`}>{p.flag ? <FlagBadge flag={p.flag} /> : '—'}</td>
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
