// The clinician's results work list: results waiting for release, held with a reason or released now; and
// the pieces the chart shares with it (the hold dialog, a collapsible section, error wording).

import { t } from '@lingui/core/macro';
import { Trans } from '@lingui/react/macro';
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../../../shared/api/client';
import { type LabResult, recordsApi, type WorkListItem } from '../api';
import { Dialog } from '../../../shared/ui/Dialog';
import { Field, Notice, Page } from '../../../shared/ui/ui';
import { PagedListBody } from '../../../shared/ui/Lists';
import { useApp } from '../../../shared/context';
import { formatDateTime } from '../../../shared/format';
import { endOfLocalDay, humanField, localDateInput, releaseStateText } from '../recordsStaff';
import { Link } from '../../../router';
import { usePagedList } from '../../../shared/hooks/usePagedList';
import type { ComponentDraft } from './RecordsChartForms';

export type Api = ReturnType<typeof useApp>['api'];

export function errorText(e: unknown, fallback: string): string {
  if (!(e instanceof ApiError)) return fallback;
  if (e.code === 'network') return e.message;
  const fields = Object.entries(e.fields);
  if (fields.length > 0) return `${e.message.replace(/\.?$/, ':')} ${fields.map(([k, v]) => `${humanField(k)} ${v}`).join('; ')}.`;
  if (e.status === 409 || e.status === 400) return `${e.message.charAt(0).toUpperCase()}${e.message.slice(1).replace(/\.?$/, '.')}`;
  return fallback;
}

// --- hold dialog --------------------------------------------------------------------------------------

export function HoldDialog({
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
    if (reason.trim().length < 10) next.reason = t`Write the reason for the hold (at least 10 characters). It is kept in the record.`;
    if (!until || until < localDateInput(1) || until > localDateInput(30)) next.until = t`Choose a date from tomorrow up to 30 days from today.`;
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
      setErrors({ form: errorText(e, t`The hold wasn't saved. Please try again.`) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={target !== null}
      onClose={onClose}
      id="hold-dialog"
      title={t`Hold this result`}
      initialFocus="hold-reason"
    >
      <form onSubmit={submit} noValidate class="stack">
        <p>
          <Trans>
            Holding keeps <strong>{target?.name}</strong> from the patient until the date you choose, at most 30 days. Only hold a result
            when seeing it now could harm the patient; the reason is recorded.
          </Trans>
        </p>
        {errors.form ? (
          <Notice tone="error" role="alert">
            <p>{errors.form}</p>
          </Notice>
        ) : null}
        <Field id="hold-reason" label={t`Reason for the hold`} error={errors.reason} hint={t`For example: new finding I will explain in person first.`}>
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
        <Field id="hold-until" label={t`Release to the patient on`} error={errors.until} hint={t`The result is released automatically at the end of that day.`}>
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
            {busy ? t`Saving…` : t`Hold result`}
          </button>
          <button type="button" class="button button--ghost" onClick={onClose}>
            {t`Cancel`}
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
  const error = list.error ? errorText(list.error, t`We couldn't load the work list. Please try again.`) : moreError;

  const loadMore = async () => {
    try {
      const page = await list.loadMore();
      if (page) {
        const count = page.items.length;
        setAnnounce(t`${count} more loaded.`);
      }
    } catch (e) {
      setMoreError(errorText(e, t`We couldn't load more. Please try again.`));
    }
  };

  const release = async (item: WorkListItem) => {
    if (busyId) return;
    setBusyId(item.result_id);
    try {
      await recordsApi(api).releaseResult(item.patient_id, item.result_id);
      setItems((prev) => prev.filter((i) => i.result_id !== item.result_id));
      setAnnounce(t`${item.name} for ${item.patient_name} was released. The patient can see it now.`);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'unauthorized') return;
      setAnnounce(errorText(e, t`${item.name} wasn't released. Please try again.`));
    } finally {
      setBusyId(null);
    }
  };

  return (
    <Page
      title={t`Results waiting for release`}
      lead={t`Results the patient can't see yet: because they asked to review them with you first, or because a clinician put them on hold. Each is released automatically when its wait ends.`}
    >
      <PagedListBody
        error={error}
        onRetry={() => {
          setMoreError(null);
          list.reload();
        }}
        items={items}
        loadingLabel={t`Loading the work list…`}
        empty={<p>{t`Nothing is waiting. Every result has been released to its patient.`}</p>}
        hasMore={list.hasMore}
        onMore={loadMore}
        announce={announce}
      >
        {(shown) => (
            <ul class="wl-list">
              {shown.map((item) => (
                <li key={item.result_id} class="card wl-item">
                  <div class="wl-main">
                    <p class="wl-title">
                      <Link href={`/staff/patients/${encodeURIComponent(item.patient_id)}`}>{item.patient_name || t`Patient`}</Link>
                      <span class="wl-sep"> · </span>
                      <span>{item.name}</span>
                    </p>
                    <p class="muted small">
                      <Trans>
                        Collected {formatDateTime(item.collected_at)} · Entered {formatDateTime(item.entered_at)}
                      </Trans>
                    </p>
                    <p class={`wl-state wl-state--${item.state}`}>
                      <span class="wl-state-label">{item.state === 'held' ? t`On hold` : t`Patient asked to review first`}</span>{' '}
                      {releaseStateText(item)}
                    </p>
                    {item.hold_reason ? (
                      <p class="wl-reason">
                        <span class="muted">{item.held_by ? t`Reason (${item.held_by}):` : t`Reason:`}</span> {item.hold_reason}
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
                      <Trans>
                        Release now<span class="visually-hidden">: {item.name} for {item.patient_name}</span>
                      </Trans>
                    </button>
                    <button
                      type="button"
                      class="button button--secondary"
                      aria-haspopup="dialog"
                      onClick={() => setHolding({ patientId: item.patient_id, resultId: item.result_id, name: item.name })}
                    >
                      {item.state === 'held' ? t`Change hold` : t`Hold`}
                      <span class="visually-hidden">{t`: ${item.name} for ${item.patient_name}`}</span>
                    </button>
                  </div>
                </li>
              ))}
            </ul>
        )}
      </PagedListBody>
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
          setAnnounce(t`${r.name} is on hold.`);
          setHolding(null);
        }}
      />
    </Page>
  );
}

// --- a patient's chart -----------------------------------------------------------------------------

export function Collapsible({ id, title, children }: { id: string; title: string; children: ComponentChildren }) {
  return (
    <details class="card st-form" id={id}>
      <summary>
        <h2 class="st-summary-title">{title}</h2>
      </summary>
      <div class="st-form-body">{children}</div>
    </details>
  );
}

export const emptyComponent = (): ComponentDraft => ({ name: '', code: '', value: '', unit: '', low: '', high: '' });
