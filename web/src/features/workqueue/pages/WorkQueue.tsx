// The clinician's work queue: one page that answers "what needs me today". Unreviewed results come
// first (critical, then abnormal, then oldest), each marked reviewed in one action with an optional
// comment the patient reads; then refill requests awaiting a decision and conversations awaiting a reply.

import '../workqueue.css';
import { plural as icuPlural, t } from '@lingui/core/macro';
import { Trans } from '@lingui/react/macro';
import { useState } from 'preact/hooks';
import { ApiError } from '../../../shared/api/client';
import { useApp } from '../../../shared/context';
import { formatDateTime } from '../../../shared/format';
import { loadFailure, useLoad } from '../../../shared/hooks/useLoad';
import { LoadFailed } from '../../../shared/ui/Lists';
import { Field, Loading, Notice, Page } from '../../../shared/ui/ui';
import { Link } from '../../../router';
import { type QueueResult, type WorkQueue, workQueueApi } from '../api';
import { FLAG_MEANINGS } from '../../records/records';
import { countText, MAX_COMMENT_CHARS, priorityText, threadsInAll } from '../workqueue';

function reviewFailure(e: unknown): string {
  if (e instanceof ApiError && e.code === 'network') return e.message;
  if (e instanceof ApiError && (e.status === 409 || e.status === 400 || e.status === 404)) {
    return `${e.message.charAt(0).toUpperCase()}${e.message.slice(1).replace(/\.?$/, '.')}`;
  }
  return t`The review wasn't saved. Please try again.`;
}

function ResultRow({ item, onReviewed }: { item: QueueResult; onReviewed: (item: QueueResult, comment: string) => void }) {
  const { api } = useApp();
  const [commenting, setCommenting] = useState(false);
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = `wq-comment-${item.result_id}`;
  const label = item.patient_name ? t`${item.name} for ${item.patient_name}` : t`${item.name} for the patient`;

  const review = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    setFailure(null);
    if (comment.length > MAX_COMMENT_CHARS) {
      setError(t`Keep the comment to ${MAX_COMMENT_CHARS} characters or fewer.`);
      requestAnimationFrame(() => document.getElementById(id)?.focus());
      return;
    }
    setError(undefined);
    setBusy(true);
    try {
      await workQueueApi(api).markReviewed(item.patient_id, item.result_id, comment);
      onReviewed(item, comment.trim());
    } catch (e) {
      if (e instanceof ApiError && e.code === 'unauthorized') return;
      setFailure(reviewFailure(e));
      setBusy(false);
    }
  };

  return (
    <li class={`card wq-item wq-item--${item.priority}`}>
      <div class="wq-head">
        <p class="wq-title">
          <Link href={`/staff/patients/${encodeURIComponent(item.patient_id)}`}>{item.patient_name || t`Patient`}</Link>
          <span class="wq-sep"> · </span>
          <span>{item.name}</span>
        </p>
        <span class={`wq-pill wq-pill--${item.priority}`}>{priorityText(item.priority)}</span>
      </div>
      <p class="muted small">
        {t`${item.category_label} · Collected ${formatDateTime(item.collected_at)}`}
        {item.abnormal_count > 0
          ? icuPlural(item.abnormal_count, { one: ' · # value outside the normal range', other: ' · # values outside the normal range' })
          : ''}
      </p>
      {item.flag_text && item.priority !== 'normal' ? (
        <p class="wq-flag">{item.worst_flag ? FLAG_MEANINGS[item.worst_flag] : item.flag_text}</p>
      ) : null}
      <form class="wq-review" noValidate onSubmit={review} aria-label={t`Review ${label}`}>
        {commenting ? (
          <Field id={id} label={t`Comment for the patient (optional)`} hint={t`The patient reads this with the result.`} error={error}>
            {(describedBy, invalid) => (
              <textarea
                id={id}
                class="wq-textarea"
                rows={3}
                maxLength={MAX_COMMENT_CHARS}
                value={comment}
                onInput={(e) => setComment((e.currentTarget as HTMLTextAreaElement).value)}
                aria-describedby={describedBy}
                aria-invalid={invalid ? 'true' : undefined}
              />
            )}
          </Field>
        ) : null}
        {failure ? (
          <Notice tone="error" role="alert">
            <p>{failure}</p>
          </Notice>
        ) : null}
        <div class="wq-actions">
          <button type="submit" class="button button--primary" aria-disabled={busy ? 'true' : undefined}>
            {busy ? t`Saving…` : comment.trim() ? t`Mark reviewed and send comment` : t`Mark reviewed`}
            <span class="visually-hidden">{t`: ${label}`}</span>
          </button>
          {!commenting ? (
            <button
              type="button"
              class="button button--secondary"
              onClick={() => {
                setCommenting(true);
                requestAnimationFrame(() => document.getElementById(id)?.focus());
              }}
            >
              <Trans>
                Add a comment<span class="visually-hidden"> for {label}</span>
              </Trans>
            </button>
          ) : null}
          <Link class="button button--ghost" href={`/staff/patients/${encodeURIComponent(item.patient_id)}`}>
            {t`Open chart`}
            <span class="visually-hidden">{item.patient_name ? t` of ${item.patient_name}` : t` of the patient`}</span>
          </Link>
        </div>
      </form>
    </li>
  );
}

function Section({ id, title, count, children }: { id: string; title: string; count: string; children: preact.ComponentChildren }) {
  return (
    <section class="wq-section" aria-labelledby={id}>
      <h2 id={id} class="section-title">
        {title} <span class="wq-count">({count})</span>
      </h2>
      {children}
    </section>
  );
}

export function WorkQueuePage() {
  const { api } = useApp();
  const [announce, setAnnounce] = useState('');
  const [more, setMore] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  const load = useLoad((signal) => workQueueApi(api).queue(null, signal), []);
  const queue = load.data;

  const reviewed = (item: QueueResult, comment: string) => {
    load.set((prev: WorkQueue | null) =>
      prev
        ? {
            ...prev,
            results: prev.results.filter((r) => r.result_id !== item.result_id),
            counts: {
              ...prev.counts,
              results: Math.max(0, prev.counts.results - 1),
              results_abnormal: Math.max(0, prev.counts.results_abnormal - (item.priority === 'normal' ? 0 : 1)),
            },
          }
        : prev,
    );
    const what = item.patient_name ? t`${item.name} for ${item.patient_name}` : t`${item.name} for the patient`;
    setAnnounce(comment ? t`${what} marked reviewed with your comment.` : t`${what} marked reviewed.`);
  };

  const loadMore = async () => {
    if (!queue?.results_next_cursor || more.busy) return;
    setMore({ busy: true, error: null });
    try {
      const page = await workQueueApi(api).queue(queue.results_next_cursor);
      load.set((prev) => (prev ? { ...prev, results: [...prev.results, ...page.results], results_next_cursor: page.results_next_cursor } : prev));
      setAnnounce(icuPlural(page.results.length, { one: '# more result loaded.', other: '# more results loaded.' }));
      setMore({ busy: false, error: null });
    } catch (e) {
      setMore({ busy: false, error: loadFailure(e, t`We couldn't load more. Please try again.`) });
    }
  };

  const failed = loadFailure(load.error, t`We couldn't load your work queue. Please try again.`);
  return (
    <Page
      title={t`My work queue`}
      lead={t`What needs a clinician today: results to review, refill requests to decide and messages waiting for a reply.`}
    >
      <p role="status" class="visually-hidden">
        {announce}
      </p>
      {failed ? (
        <LoadFailed error={failed} onRetry={load.reload} />
      ) : !queue ? (
        <Loading label={t`Loading your work queue…`} />
      ) : (
        <>
          <Section id="wq-results" title={t`Results to review`} count={countText(queue.counts.results, queue.counts.cap)}>
            {queue.results.length === 0 ? (
              <p class="card">
                <Trans>Every result has been reviewed.</Trans>
              </p>
            ) : (
              <>
                <p class="muted">
                  <Trans>Critical and abnormal results first, then the oldest.</Trans>
                </p>
                <ul class="wq-list">
                  {queue.results.map((item) => (
                    <ResultRow key={item.result_id} item={item} onReviewed={reviewed} />
                  ))}
                </ul>
                {queue.results_next_cursor ? (
                  <div class="wq-more">
                    {more.error ? (
                      <Notice tone="error" role="alert">
                        <p>{more.error}</p>
                      </Notice>
                    ) : null}
                    <button type="button" class="button button--secondary" onClick={loadMore} aria-disabled={more.busy ? 'true' : undefined}>
                      {more.busy ? t`Loading…` : t`Load more results`}
                    </button>
                  </div>
                ) : null}
              </>
            )}
          </Section>
          <Section id="wq-refills" title={t`Refill requests`} count={countText(queue.counts.refills, queue.counts.cap)}>
            {queue.refills.length === 0 ? (
              <p class="card">
                <Trans>No refill requests are waiting.</Trans>
              </p>
            ) : (
              <ul class="wq-list">
                {queue.refills.map((r) => (
                  <li key={r.id} class="card wq-item">
                    <p class="wq-title">
                      <Link href={`/staff/patients/${encodeURIComponent(r.patient_id)}`}>{r.patient_name || t`Patient`}</Link>
                      <span class="wq-sep"> · </span>
                      <span>
                        {r.medication_name} ({r.medication_dose})
                      </span>
                    </p>
                    <p class="muted small">
                      {t`Requested ${formatDateTime(r.requested_at)} by ${r.requested_by_name}`}
                    </p>
                  </li>
                ))}
              </ul>
            )}
            {queue.refills.length > 0 ? (
              <p>
                <Link href="/staff/refills">
                  <Trans>Decide on refill requests</Trans>
                </Link>
                {queue.refills_more ? t` (more are waiting than shown here)` : ''}
              </p>
            ) : null}
          </Section>
          <Section id="wq-threads" title={t`Messages waiting for a reply`} count={countText(queue.counts.threads, queue.counts.cap)}>
            {queue.threads.length === 0 ? (
              <p class="card">
                <Trans>No conversation in your care teams is waiting for a reply.</Trans>
              </p>
            ) : (
              <ul class="wq-list">
                {queue.threads.map((th) => (
                  <li key={th.thread_id} class="card wq-item">
                    <p class="wq-title">
                      <Link href={`/staff/messages/${encodeURIComponent(th.patient_id)}/${encodeURIComponent(th.thread_id)}`}>{th.subject}</Link>
                    </p>
                    <p class="muted small">
                      {th.patient_name || t`Patient`} · {th.pool_name}
                      {th.waiting_since ? t` · Waiting since ${formatDateTime(th.waiting_since)}` : ''}
                      {th.assigned_to_me ? t` · Assigned to you` : ''}
                    </p>
                  </li>
                ))}
              </ul>
            )}
            {queue.threads_more ? <p class="muted">{threadsInAll(queue.counts.threads, queue.counts.cap)}</p> : null}
          </Section>
        </>
      )}
    </Page>
  );
}
