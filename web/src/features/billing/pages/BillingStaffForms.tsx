// Billing staff's forms on a patient's ledger: post a statement, and void one.

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
    if (!l.description.trim()) errors[`line-${i}-description`] = 'Enter the service description.';
    if (!/^[A-Z0-9]{1,7}(-[A-Z0-9]{2})?$/.test(l.code.trim().toUpperCase())) errors[`line-${i}-code`] = 'Enter a CPT or HCPCS code, like 99213.';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(l.date)) errors[`line-${i}-date`] = 'Enter the date of service.';
    return { description: l.description.trim(), code: l.code.trim().toUpperCase(), service_date: l.date, charge_cents: money(`line-${i}-charge`, l.charge, false) };
  });
  const insurance_paid_cents = money('st-insurance', insurance, true);
  const adjustments_cents = money('st-adjustments', adjustments, true);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(dueDate)) errors['st-due'] = 'Enter the due date.';
  const total = out.reduce((s, l) => s + l.charge_cents, 0);
  if (!errors['st-insurance'] && !errors['st-adjustments'] && insurance_paid_cents + adjustments_cents > total) {
    errors['st-adjustments'] = 'Insurance paid plus adjustments are more than the charges.';
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
      setFailure(errorText(err, "The statement wasn't posted. Please try again."));
    } finally {
      setBusy(false);
    }
  };

  const summary: SummaryItem[] = Object.entries(errors).map(([target, text]) => ({ target, text }));
  return (
    <form class="card bill-post" noValidate onSubmit={submit} aria-labelledby="post-title">
      <h3 id="post-title">New statement</h3>
      <ErrorSummary items={summary} />
      {failure ? (
        <Notice tone="error" role="alert">
          <p>{failure}</p>
        </Notice>
      ) : null}
      {lines.map((l, i) => (
        <fieldset class="bill-fieldset bill-line-fields" key={i}>
          <legend>Service {i + 1}</legend>
          <TextField id={`line-${i}-description`} label="Description" value={l.description} onValue={(v) => setLine(i, { description: v })} error={errors[`line-${i}-description`]} />
          <div class="bill-line-row">
            <TextField id={`line-${i}-code`} label="Code" value={l.code} onValue={(v) => setLine(i, { code: v })} error={errors[`line-${i}-code`]} hint="CPT/HCPCS" autoComplete="off" />
            <TextField id={`line-${i}-date`} label="Date of service" type="date" value={l.date} onValue={(v) => setLine(i, { date: v })} error={errors[`line-${i}-date`]} hint="The visit date" />
            <TextField
              id={`line-${i}-charge`}
              label="Charge ($)"
              inputMode="decimal"
              value={l.charge}
              onValue={(v) => setLine(i, { charge: v })}
              error={errors[`line-${i}-charge`]}
              hint="Dollars and cents"
            />
          </div>
          {lines.length > 1 ? (
            <button type="button" class="link-button" onClick={() => setLines((prev) => prev.filter((_, j) => j !== i))}>
              Remove service {i + 1}
            </button>
          ) : null}
        </fieldset>
      ))}
      <p>
        <button type="button" class="button button--secondary" onClick={() => setLines((prev) => [...prev, emptyLine()])}>
          Add another service
        </button>
      </p>
      <div class="bill-line-row">
        <TextField id="st-insurance" label="Paid by insurance ($)" inputMode="decimal" value={insurance} onValue={setInsurance} error={errors['st-insurance']} optional />
        <TextField id="st-adjustments" label="Adjustments ($)" inputMode="decimal" value={adjustments} onValue={setAdjustments} error={errors['st-adjustments']} optional />
        <TextField id="st-due" label="Due date" type="date" value={due} onValue={setDue} error={errors['st-due']} />
      </div>
      <dl class="bill-totals bill-totals--compact" aria-live="polite">
        <div>
          <dt>Total charges</dt>
          <dd>{formatCents(total)}</dd>
        </div>
        <div class="bill-totals-strong">
          <dt>Patient responsibility</dt>
          <dd>{formatCents(responsibility)}</dd>
        </div>
      </dl>
      <div class="form-actions">
        <button type="submit" class="button button--primary" aria-disabled={busy ? 'true' : undefined}>
          {busy ? 'Posting…' : 'Post statement'}
        </button>
        <button type="button" class="button button--ghost" onClick={onCancel}>
          Cancel
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
      setError('Enter the reason for voiding (at least 3 characters).');
      document.getElementById('void-reason')?.focus();
      return;
    }
    setBusy(true);
    try {
      onVoided(await billing.voidStatement(patientId, statement.id, reason.trim()));
    } catch (err) {
      setError(errorText(err, "The statement wasn't voided. Please try again."));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open onClose={onClose} id="void-dialog" title={`Void statement ${statement.number}?`} role="alertdialog" initialFocus="void-reason">
      <form onSubmit={submit} noValidate>
        <p>
          The statement ({formatCents(statement.patient_responsibility_cents, statement.currency)}) stays on the ledger, marked void, and the patient no
          longer owes it.
        </p>
        <Field id="void-reason" label="Reason" error={error} hint="Kept with the statement and shown to the patient.">
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
            {busy ? 'Voiding…' : 'Void statement'}
          </button>
          <button type="button" class="button button--ghost" onClick={onClose}>
            Keep it
          </button>
        </div>
      </form>
    </Dialog>
  );
}
