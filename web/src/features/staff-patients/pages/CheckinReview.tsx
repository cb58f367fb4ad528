// A visit's eCheck-in for front desk and clinicians: each medication, allergy and insurance card the
// patient sent, beside what is on file, accepted into the record (or declined) one at a time.

import { t } from '@lingui/core/macro';
import { Trans } from '@lingui/react/macro';
import { useState } from 'preact/hooks';
import { ApiError } from '../../../shared/api/client';
import { Loading, Notice, Page } from '../../../shared/ui/ui';
import { useApp } from '../../../shared/context';
import { formatDateTime } from '../../../shared/format';
import { useLoad } from '../../../shared/hooks/useLoad';
import { Link } from '../../../router';
import { checkinReview, decideCheckinItem, type CheckinReview, type ReviewItem } from '../api';
import { chartHref } from '../staffPatients';

function problemText(e: unknown, fallback: string): string {
  return e instanceof ApiError && e.code === 'network' ? e.message : fallback;
}

function itemTitle(item: ReviewItem): string {
  // A medication on file the patient left off their list: accepting marks it stopped.
  if (item.action === 'stop') return t`Medication no longer listed`;
  if (item.kind === 'contact') return item.change === 'new' ? t`New phone or email` : t`Changed phone or email`;
  if (item.kind === 'medication') return item.change === 'new' ? t`New medication` : item.change === 'changed' ? t`Changed medication` : t`Medication`;
  if (item.kind === 'allergy') return item.change === 'new' ? t`New allergy` : item.change === 'changed' ? t`Changed allergy` : t`Allergy`;
  return item.change === 'new' ? t`New insurance card` : item.change === 'changed' ? t`Changed insurance card` : t`Insurance card`;
}

function answerText(answer: Record<string, unknown> | undefined): string {
  if (!answer) return '';
  if (typeof answer.valueBoolean === 'boolean') return answer.valueBoolean ? t`Yes` : t`No`;
  if (typeof answer.valueInteger === 'number') return String(answer.valueInteger);
  if (typeof answer.valueString === 'string') return answer.valueString;
  if (typeof answer.valueDate === 'string') return answer.valueDate;
  const coding = answer.valueCoding as { display?: unknown } | undefined;
  return coding && typeof coding.display === 'string' ? coding.display : '';
}

export function CheckinReviewPage({ patientId, appointmentId }: { patientId: string; appointmentId: string }) {
  const { api } = useApp();
  const loaded = useLoad((signal) => checkinReview(api, patientId, appointmentId, signal), [patientId, appointmentId]);
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  const review = loaded.data;

  const decide = async (item: ReviewItem, decision: 'accept' | 'decline') => {
    if (busy) return;
    setBusy(item.id);
    setFailure(null);
    try {
      loaded.set(await decideCheckinItem(api, patientId, appointmentId, item.id, decision));
      const what = `${itemTitle(item)} ${item.submitted}`;
      setMessage(decision === 'accept' ? t`${what}: accepted into the record.` : t`${what}: declined.`);
    } catch (e) {
      setFailure(e instanceof ApiError && e.status === 409 ? e.message : problemText(e, t`That didn't save. Please try again.`));
    } finally {
      setBusy(null);
    }
  };

  const loadError = loaded.error
    ? loaded.error instanceof ApiError && loaded.error.status === 404
      ? t`No eCheck-in was sent for this visit.`
      : problemText(loaded.error, t`We couldn't load this eCheck-in. Please try again.`)
    : null;
  // A decided item stays where it was decided (once accepted, it matches the record).
  const toReview = review?.items.filter((i) => i.change !== 'same' || i.state !== 'pending') ?? [];
  const matching = review?.items.filter((i) => i.change === 'same' && i.state === 'pending') ?? [];

  return (
    <Page
      title={t`eCheck-in review`}
      lead={
        review ? (
          <>
            {review.patient_name} · {review.visit_type_name} · {formatDateTime(review.starts_at, review.time_zone)}
          </>
        ) : undefined
      }
    >
      <p class="sp-back">
        <Link href="/schedule">
          <Trans>← Schedule</Trans>
        </Link>
        {' · '}
        <Link href={chartHref(patientId)}>
          <Trans>Patient</Trans>
        </Link>
      </p>
      {loadError ? (
        <Notice tone="error" role="alert">
          <p>{loadError}</p>
        </Notice>
      ) : !review ? (
        <Loading label={t`Loading eCheck-in…`} />
      ) : (
        <>
          <p class="muted">
            {t`Sent ${formatDateTime(review.submitted_at, review.time_zone)}. Accepting an item writes it into the record, noting this eCheck-in and you.`}
          </p>
          {failure ? (
            <Notice tone="error" role="alert">
              <p>{failure}</p>
            </Notice>
          ) : null}
          <section aria-labelledby="cr-changes">
            <h2 id="cr-changes" class="section-title">
              <Trans>Changes to review</Trans>
            </h2>
            {toReview.length === 0 ? (
              <p class="card">
                <Trans>Everything the patient sent matches the record.</Trans>
              </p>
            ) : (
              <ul class="cr-items">
                {toReview.map((item) => (
                  <li key={item.id} class="card cr-item">
                    <h3 class="cr-title">{itemTitle(item)}</h3>
                    <dl class="cr-compare">
                      <div>
                        <dt>
                          <Trans>The patient sent</Trans>
                        </dt>
                        <dd>{item.submitted}</dd>
                      </div>
                      <div>
                        <dt>
                          <Trans>On file</Trans>
                        </dt>
                        <dd>{item.on_file ?? <span class="muted">{t`Nothing on file`}</span>}</dd>
                      </div>
                    </dl>
                    {item.state === 'pending' ? (
                      <div class="cr-actions">
                        <button type="button" class="button button--primary" onClick={() => decide(item, 'accept')} aria-disabled={busy ? 'true' : undefined}>
                          {item.action === 'stop' ? t`Mark stopped in the record` : t`Accept into the record`}
                          <span class="visually-hidden">{t`: ${item.submitted}`}</span>
                        </button>
                        <button type="button" class="button button--secondary" onClick={() => decide(item, 'decline')} aria-disabled={busy ? 'true' : undefined}>
                          {t`Decline`}
                          <span class="visually-hidden">{t`: ${item.submitted}`}</span>
                        </button>
                      </div>
                    ) : (
                      <p class={`cr-state cr-state--${item.state}`}>
                        {item.state === 'accepted' ? t`Accepted` : t`Declined`}
                        {item.decided_by ? t` by ${item.decided_by}` : ''}
                        {item.decided_at ? `, ${formatDateTime(item.decided_at, review.time_zone)}` : ''}
                      </p>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </section>
          {matching.length > 0 || review.no_known_allergies || review.no_medications || review.self_pay ? (
            <section aria-labelledby="cr-same">
              <h2 id="cr-same" class="section-title">
                <Trans>Matches the record</Trans>
              </h2>
              <ul class="card cr-plain">
                {matching.map((item) => (
                  <li key={item.id}>
                    {itemTitle(item)}: {item.submitted}
                  </li>
                ))}
                {review.no_medications ? <li>{t`Takes no medications`}</li> : null}
                {review.no_known_allergies ? <li>{t`No known allergies`}</li> : null}
                {review.self_pay ? <li>{t`Paying for this visit themselves (self-pay)`}</li> : null}
              </ul>
            </section>
          ) : null}
          <ReviewAnswers review={review} />
        </>
      )}
      <p class="visually-hidden" role="status">
        {message}
      </p>
    </Page>
  );
}

function ReviewAnswers({ review }: { review: CheckinReview }) {
  if (review.questionnaire_responses.length === 0 && review.consents.length === 0) return null;
  return (
    <section aria-labelledby="cr-answers">
      <h2 id="cr-answers" class="section-title">
        <Trans>Answers and consents</Trans>
      </h2>
      <div class="card">
        {review.questionnaire_responses.map((r) => (
          <dl key={r.id} class="cr-answers">
            {r.item.map((i) => (
              <div key={i.linkId}>
                <dt>{i.text}</dt>
                <dd>{answerText(i.answer[0] as Record<string, unknown> | undefined)}</dd>
              </div>
            ))}
          </dl>
        ))}
        {review.consents.map((c) => (
          <p key={`${c.questionnaire_id}-${c.signed_at}`} class="cr-consent">
            {t`Signed “${c.signed_name}” on ${formatDateTime(c.signed_at, review.time_zone)} (consent ${c.questionnaire_id}, version ${c.questionnaire_version})`}
          </p>
        ))}
      </div>
    </section>
  );
}
