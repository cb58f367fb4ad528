// Billing staff's forms on a patient's ledger: post a statement, and void one.

import { t } from '@lingui/core/macro';
import { Trans } from '@lingui/react/macro';
import { useState } from 'preact/hooks';
import { formatCents, parseDollars } from '../billing';
import type { Statement, StatementIn } from '../api';
import { Dialog } from '../../../shared/ui/Dialog';
import { ErrorSummary, Field, Notice, type SummaryItem, TextField } from '../../../shared/ui/ui';
import { errorText, useBilling } from './BillingShared';
import { emptyLine, inDays, type LineDraft } from './BillingStaff';

/** The form's drafts as the API body, or the field errors (keyed by input id). Pure, for tests. */
export function statementFromDraft(
  lines: LineDraft[],
  insurance: string,
  adjustments: string,
  dueDate: string,
): { ok: true; body: StatementIn } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const money = (id: string, text: string, optional: boolean): number => {
    if (optional && text.trim() === '') return 0;
    const parsed = parseDollars(text);
    if (!parsed.ok) errors[id] = parsed.error;
    return parsed.ok ? parsed.cents : 0;
  };
  const out = lines.map((l, i) => {
    if (!l.description.trim()) errors[`line-${i}-description`] = t`Enter the service description.`;
    if (!/^[A-Z0-9]{1,7}(-[A-Z0-9]{2})?$/.test(l.code.trim().toUpperCase())) errors[`line-${i}-code`] = t`Enter a CPT or HCPCS code, like 99213.`;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(l.date)) errors[`line-${i}-date`] = t`Enter the date of service.`;
    return { description: l.description.trim(), code: l.code.trim().toUpperCase(), service_date: l.date, charge_cents: money(`line-${i}-charge`, l.charge, false) };
  });
  const insurance_paid_cents = money('st-insurance', insurance, true);
  const adjustments_cents = money('st-adjustments', adjustments, true);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(dueDate)) errors['st-due'] = t`Enter the due date.`;
  const total = out.reduce((s, l) => s + l.charge_cents, 0);
  if (!errors['st-insurance'] && !errors['st-adjustments'] && insurance_paid_cents + adjustments_cents > total) {
    errors['st-adjustments'] = t`Insurance paid plus adjustments are more than the charges.`;
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, body: { lines: out, insurance_paid_cents, adjustments_cents, due_date: dueDate } };
}

export function PostStatementForm({ patientId, onCancel, onPosted }: { patientId: string; onCancel: () => void; onPosted: (s: Statement) => void }) {
  const billing = useBilling();
  const [lines, setLines] = useState<LineDraft[]>([emptyLine()]);
  const [insurance, setInsurance] = useState('');
  const [adjustments, setAdjustments] = useState('');
  const [due, setDue] = useState(inDays(30));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const cents = (text: string) => {
    const p = parseDollars(text);
    return p.ok ? p.cents : 0;
  };
  const total = lines.reduce((s, l) => s + cents(l.charge), 0);
  const responsibility = Math.max(0, total - cents(insurance) - cents(adjustments));
  const setLine = (i: number, patch: Partial<LineDraft>) => setLines((prev) => prev.map((l, j) => (j === i ? { ...l, ...patch } : l)));

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    const result = statementFromDraft(lines, insurance, adjustments, due);
    if (!result.ok) {
      setErrors(result.errors);
      requestAnimationFrame(() => document.getElementById('error-summary-title')?.focus());
      return;
    }
    setErrors({});
    setBusy(true);
    setFailure(null);
    try {
      onPosted(await billing.postStatement(patientId, result.body));
    } catch (err) {
      setFailure(errorText(err, t`The statement wasn't posted. Please try again.`));
    } finally {
      setBusy(false);
    }
  };

  const summary: SummaryItem[] = Object.entries(errors).map(([target, text]) => ({ target, text }));
  return (
    <form class="card bill-post" noValidate onSubmit={submit} aria-labelledby="post-title">
      <h3 id="post-title">{t`New statement`}</h3>
      <ErrorSummary items={summary} />
      {failure ? (
        <Notice tone="error" role="alert">
          <p>{failure}</p>
        </Notice>
      ) : null}
      {lines.map((l, i) => {
        const n = i + 1;
        return (
          <fieldset class="bill-fieldset bill-line-fields" key={i}>
            <legend>{t`Service ${n}`}</legend>
            <TextField id={`line-${i}-description`} label={t`Description`} value={l.description} onValue={(v) => setLine(i, { description: v })} error={errors[`line-${i}-description`]} />
            <div class="bill-line-row">
              <TextField id={`line-${i}-code`} label={t`Code`} value={l.code} onValue={(v) => setLine(i, { code: v })} error={errors[`line-${i}-code`]} hint={t`CPT/HCPCS`} autoComplete="off" />
              <TextField id={`line-${i}-date`} label={t`Date of service`} type="date" value={l.date} onValue={(v) => setLine(i, { date: v })} error={errors[`line-${i}-date`]} hint={t`The visit date`} />
              <TextField
                id={`line-${i}-charge`}
                label={t`Charge ($)`}
                inputMode="decimal"
                value={l.charge}
                onValue={(v) => setLine(i, { charge: v })}
                error={errors[`line-${i}-charge`]}
                hint={t`Dollars and cents`}
              />
            </div>
            {lines.length > 1 ? (
              <button type="button" class="link-button" onClick={() => setLines((prev) => prev.filter((_, j) => j !== i))}>
                {t`Remove service ${n}`}
              </button>
            ) : null}
          </fieldset>
        );
      })}
      <p>
        <button type="button" class="button button--secondary" onClick={() => setLines((prev) => [...prev, emptyLine()])}>
          {t`Add another service`}
        </button>
      </p>
      <div class="bill-line-row">
        <TextField id="st-insurance" label={t`Paid by insurance ($)`} inputMode="decimal" value={insurance} onValue={setInsurance} error={errors['st-insurance']} optional />
        <TextField id="st-adjustments" label={t`Adjustments ($)`} inputMode="decimal" value={adjustments} onValue={setAdjustments} error={errors['st-adjustments']} optional />
        <TextField id="st-due" label={t`Due date`} type="date" value={due} onValue={setDue} error={errors['st-due']} />
      </div>
      <dl class="bill-totals bill-totals--compact" aria-live="polite">
        <div>
          <dt>{t`Total charges`}</dt>
          <dd>{formatCents(total)}</dd>
        </div>
        <div class="bill-totals-strong">
          <dt>{t`Patient responsibility`}</dt>
          <dd>{formatCents(responsibility)}</dd>
        </div>
      </dl>
      <div class="form-actions">
        <button type="submit" class="button button--primary" aria-disabled={busy ? 'true' : undefined}>
          {busy ? t`Posting…` : t`Post statement`}
        </button>
        <button type="button" class="button button--ghost" onClick={onCancel}>
          {t`Cancel`}
        </button>
      </div>
    </form>
  );
}

// --- voiding ------------------------------------------------------------------------------------

export function VoidDialog({
  statement,
  patientId,
  onClose,
  onVoided,
}: {
  statement: Statement;
  patientId: string;
  onClose: () => void;
  onVoided: (s: Statement) => void;
}) {
  const billing = useBilling();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    if (reason.trim().length < 3) {
      setError(t`Enter the reason for voiding (at least 3 characters).`);
      document.getElementById('void-reason')?.focus();
      return;
    }
    setBusy(true);
    try {
      onVoided(await billing.voidStatement(patientId, statement.id, reason.trim()));
    } catch (err) {
      setError(errorText(err, t`The statement wasn't voided. Please try again.`));
    } finally {
      setBusy(false);
    }
  };
  const number = statement.number;
  const amount = formatCents(statement.patient_responsibility_cents, statement.currency);
  return (
    <Dialog open onClose={onClose} id="void-dialog" title={t`Void statement ${number}?`} role="alertdialog" initialFocus="void-reason">
      <form onSubmit={submit} noValidate>
        <p>
          <Trans>The statement ({amount}) stays on the ledger, marked void, and the patient no longer owes it.</Trans>
        </p>
        <Field id="void-reason" label={t`Reason`} error={error} hint={t`Kept with the statement and shown to the patient.`}>
          {(describedBy, invalid) => (
            <textarea
              id="void-reason"
              rows={3}
              maxLength={300}
              value={reason}
              onInput={(e) => setReason((e.currentTarget as HTMLTextAreaElement).value)}
              aria-describedby={describedBy}
              aria-invalid={invalid ? 'true' : undefined}
            />
          )}
        </Field>
        <div class="form-actions">
          <button type="submit" class="button button--primary bill-danger-solid" aria-disabled={busy ? 'true' : undefined}>
            {busy ? t`Voiding…` : t`Void statement`}
          </button>
          <button type="button" class="button button--ghost" onClick={onClose}>
            {t`Keep it`}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
