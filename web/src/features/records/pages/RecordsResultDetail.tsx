// One test result for the patient: its values with flags in words, the clinician's review, and trends.

import { t } from '@lingui/core/macro';
import { Trans } from '@lingui/react/macro';
import { useRef, useState } from 'preact/hooks';
import { ApiError } from '../../../shared/api/client';
import { type LabResult, recordsApi, type ResultComponent } from '../api';
import { Loading, Notice, Page } from '../../../shared/ui/ui';
import { useApp } from '../../../shared/context';
import { formatDateTime } from '../../../shared/format';
import { FLAG_MEANINGS, formatValue, isOutOfRange, rangeText } from '../records';
import { Link } from '../../../router';
import { useLoad } from '../../../shared/hooks/useLoad';
import { TrendSection } from './RecordsTrend';
import { FlagBadge } from './RecordsResults';

function seeOverTime(name: string): string {
  return t`See ${name} over time`;
}

export function ComponentRows({ components, onTrend }: { components: ResultComponent[]; onTrend?: (code: string) => void }) {
  return (
    <ul class="res-components">
      {components.map((c, i) => {
        const range = rangeText(c);
        // The flag is a code the page words in its own language (the API's flag_text is English only).
        const meaning = c.flag ? FLAG_MEANINGS[c.flag] : null;
        return (
          <li key={`${c.code ?? c.name}-${i}`} class={`res-comp${isOutOfRange(c.flag) ? ' res-comp--out' : ''}`}>
            <div class="res-comp-name">{c.name}</div>
            <div class="res-comp-value">
              <span class={c.value === null ? 'res-text-value' : 'res-number'}>{formatValue(c.value, c.value_text, c.unit)}</span>
              <FlagBadge flag={c.flag} />
            </div>
            <div class="res-comp-detail">
              {meaning && c.flag !== 'normal' ? <span class="res-meaning">{meaning}. </span> : null}
              {range ? <span>{t`Normal range: ${range}`}</span> : c.value !== null ? <span>{t`No normal range given`}</span> : null}
            </div>
            {onTrend && c.code && c.value !== null ? (
              <button type="button" class="link-button res-trend-link" onClick={() => onTrend(c.code!)}>
                {seeOverTime(c.name)}
              </button>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}

/** Who reviewed the result and when, as one sentence (the date placed where each language puts it). */
function reviewedSentence(result: LabResult): string {
  const who = result.reviewed_by;
  const when = result.reviewed_at ? formatDateTime(result.reviewed_at) : null;
  if (who && when) return t`${who} reviewed this result on ${when}.`;
  if (who) return t`${who} reviewed this result.`;
  if (when) return t`Your clinician reviewed this result on ${when}.`;
  return t`Your clinician reviewed this result.`;
}

export function ReviewBox({ result, audience }: { result: LabResult; audience: 'patient' | 'staff' }) {
  if (result.comment) {
    const written = result.comment_at ? formatDateTime(result.comment_at) : null;
    const author = result.reviewed_by;
    return (
      <section class="card res-review res-review--comment" aria-labelledby="res-review-title">
        <h2 id="res-review-title">{author ? t`Comment from ${author}` : t`Comment from your clinician`}</h2>
        <p class="rec-pre">{result.comment}</p>
        <p class="muted small">
          {written ? t`Written ${written}. Reviewed by a clinician.` : t`Reviewed by a clinician.`}
        </p>
      </section>
    );
  }
  if (result.reviewed) {
    return (
      <section class="card res-review" aria-labelledby="res-review-title">
        <h2 id="res-review-title">{t`Reviewed by a clinician`}</h2>
        <p>
          {reviewedSentence(result)}
        </p>
      </section>
    );
  }
  return (
    <section class="card res-review res-review--pending" aria-labelledby="res-review-title">
      <h2 id="res-review-title">{t`Not yet reviewed by a clinician`}</h2>
      <p>
        {audience === 'patient'
          ? t`You're seeing this result as soon as it was ready. Your clinician will review it and contact you if anything needs to change. If you have questions, send your care team a message.`
          : t`No clinician has reviewed this result yet.`}
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
      title={result ? result.name : t`Test result`}
      lead={
        result ? (
          <span>
            <Trans>
              Collected <time dateTime={result.collected_at}>{formatDateTime(result.collected_at)}</time>
            </Trans>{' '}
            · {result.category_label}
          </span>
        ) : undefined
      }
    >
      <p class="res-back">
        <Link href="/results">← {t`All test results`}</Link>
      </p>
      {error ? (
        <Notice tone="error" role="alert">
          {error.status === 404 ? (
            <p>{t`We couldn't find this result. It may not be available to view yet.`}</p>
          ) : (
            <>
              <p>{error.code === 'network' ? error.message : t`We couldn't load this result. Please try again.`}</p>
              <button type="button" class="button button--secondary" onClick={loaded.reload}>
                {t`Try again`}
              </button>
            </>
          )}
        </Notice>
      ) : !result ? (
        <Loading label={t`Loading result…`} />
      ) : (
        <>
          {result.status !== 'final' ? (
            <Notice tone="warning">
              <p>
                {result.status === 'preliminary'
                  ? t`This is a preliminary result. The final result may be different.`
                  : t`This result was corrected by the lab after it was first reported.`}
              </p>
            </Notice>
          ) : null}
          <ReviewBox result={result} audience="patient" />
          <section class="card res-values" aria-labelledby="res-values-title">
            <h2 id="res-values-title">{t`Your results`}</h2>
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
                  <dt>{t`Ordered by`}</dt>
                  <dd>{result.ordered_by}</dd>
                </div>
              ) : null}
              {result.performer ? (
                <div>
                  <dt>{t`Performed by`}</dt>
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
