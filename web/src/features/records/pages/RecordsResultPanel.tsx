// One result opened on the clinician's chart: its values, review with a comment, release, hold.

import { t } from '@lingui/core/macro';
import { useState } from 'preact/hooks';
import { ApiError } from '../../../shared/api/client';
import { type LabResult, recordsApi } from '../api';
import { Field, Loading, Notice } from '../../../shared/ui/ui';
import { useApp } from '../../../shared/context';
import { releaseStateText } from '../recordsStaff';
import { ComponentRows, ReviewBox } from './RecordsResultDetail';
import { useLoad } from '../../../shared/hooks/useLoad';
import { errorText, HoldDialog } from './RecordsStaff';
import { ConfidentialToggle } from './ConfidentialToggle';

function releasedText(by: string | null | undefined): string {
  return by ? t`The patient can see this result (released by ${by}).` : t`The patient can see this result.`;
}

function holdReasonText(reason: string): string {
  return t`Reason: ${reason}`;
}

export function ResultPanel({
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
  const error = loaded.error ? errorText(loaded.error, t`We couldn't open this result.`) : null;

  if (error) {
    return (
      <Notice tone="error">
        <p>{error}</p>
      </Notice>
    );
  }
  if (!result) return <Loading label={t`Opening result…`} />;
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
      apply(updated, !released && releaseToo ? t`Marked reviewed and released to the patient.` : t`Marked reviewed.`);
      setReleaseToo(false);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'unauthorized') return;
      setStatus({ tone: 'error', text: errorText(e, t`The review wasn't saved. Please try again.`) });
    } finally {
      setBusy(false);
    }
  };

  const release = async () => {
    if (busy) return;
    setBusy(true);
    setStatus(null);
    try {
      apply(await recordsApi(api).releaseResult(patientId, resultId), t`Released to the patient.`);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'unauthorized') return;
      setStatus({ tone: 'error', text: errorText(e, t`The result wasn't released. Please try again.`) });
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
            {result.release.state === 'held' ? t`On hold` : result.release.state === 'awaiting_review' ? t`Waiting for review` : t`Released`}
          </span>{' '}
          {released
            ? releasedText(result.release.released_by)
            : releaseStateText(result.release)}
          {result.release.hold_reason ? ` ${holdReasonText(result.release.hold_reason)}` : ''}
        </p>
      ) : null}
      <ComponentRows components={result.components} />
      <ReviewBox result={result} audience="staff" />
      <form onSubmit={review} noValidate class="stack">
        <Field id={commentId} label={t`Comment for the patient`} optional hint={t`Plain words; the patient reads this next to the result.`}>
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
            <label for={releaseId}>{t`Also release it to the patient now`}</label>
          </div>
        ) : null}
        <div class="form-actions">
          <button type="submit" class="button button--primary" aria-disabled={busy ? 'true' : undefined}>
            {t`Mark reviewed`}
          </button>
          {!released ? (
            <>
              <button type="button" class="button button--secondary" onClick={release} aria-disabled={busy ? 'true' : undefined}>
                {t`Release now`}
              </button>
              <button type="button" class="button button--secondary" aria-haspopup="dialog" onClick={() => setHolding(true)}>
                {result.release?.state === 'held' ? t`Change hold` : t`Hold`}
              </button>
            </>
          ) : null}
          {/* A teenager's parent or guardian never sees a confidential result (the clinic's rules decide who is a teen). */}
          <ConfidentialToggle
            patientId={patientId}
            kind="result"
            itemId={resultId}
            name={result.name}
            confidential={result.confidential}
            onChanged={(hidden, message) => apply({ ...result, confidential: hidden }, message)}
          />
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
          apply(r, t`The result is on hold.`);
        }}
      />
    </div>
  );
}

// --- add forms -------------------------------------------------------------------------------------
