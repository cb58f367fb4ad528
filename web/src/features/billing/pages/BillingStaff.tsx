// Billing staff pages: the open-balance work list, and one patient's ledger where a
// statement is posted (line items typed in dollars, sent as integer cents) or voided with a reason.

import { useState } from 'preact/hooks';
import {
  formatCents,
  formatLedgerAmount,
  parseDollars,
  sortStatements,
  type LedgerEntry,
  type OpenBalance,
  type Statement,
  type StatementIn,
} from '../billing';
import { Dialog } from '../../../shared/ui/Dialog';
import { Icon } from '../../../shared/ui/Icons';
import { ErrorSummary, Field, Notice, Page, type SummaryItem, TextField } from '../../../shared/ui/ui';
import { useApp } from '../../../shared/context';
import { formatDate, formatDateTime } from '../../../shared/format';
import { Link } from '../../../router';
import { InsuranceSection } from './BillingInsurance';
import { errorText, Loader, loadErrorText, StateBadge, useBilling, useBillingLoad } from './BillingShared';
import { accountApi } from '../../account/api';
import { usePagedList } from '../../../shared/hooks/usePagedList';

// --- work list -----------------------------------------------------------------------------------

export function StaffWorkListPage() {
  const billing = useBilling();
  const [overdueOnly, setOverdueOnly] = useState(false);
  const [announce, setAnnounce] = useState('');
  const balances = usePagedList<OpenBalance>((cursor, s) => billing.openBalances(overdueOnly, cursor, s), [overdueOnly], { keepItems: true });
  const { loadingMore } = balances;
  const list = { data: balances.items, error: loadErrorText(balances.error, 'the open balances'), reload: balances.reload };

  const loadMore = async () => {
    try {
      const page = await balances.loadMore();
      if (page) setAnnounce(`${page.items.length} more loaded.${page.next_cursor ? '' : ' That is all of them.'}`);
    } catch (e) {
      setAnnounce(errorText(e, "We couldn't load more. Please try again."));
    }
  };

  return (
    <Page title="Open balances" lead="Open statements of all patients, oldest due date first.">
      <div class="bill-toolbar">
        <div class="check">
          <input
            type="checkbox"
            id="wl-overdue"
            checked={overdueOnly}
            onChange={(e) => setOverdueOnly((e.currentTarget as HTMLInputElement).checked)}
          />
          <label for="wl-overdue">Overdue only</label>
        </div>
      </div>
      <Loader state={list} label="Loading open balances…">
        {(items) => {
          const total = items.reduce((sum, i) => sum + i.balance_cents, 0);
          if (items.length === 0) {
            return (
              <div class="card">
                <p>{overdueOnly ? 'No overdue balances. Nice work.' : 'No open balances.'}</p>
              </div>
            );
          }
          return (
            <>
              <p class="bill-worklist-total">
                {items.length} {items.length === 1 ? 'statement' : 'statements'} shown · {formatCents(total, items[0]!.currency)} open
              </p>
              <div class="card card--flush bill-table-wrap">
                <table class="bill-table bill-worklist">
                  <caption class="visually-hidden">Open balances{overdueOnly ? ', overdue only' : ''}</caption>
                  <thead>
                    <tr>
                      <th scope="col">Patient</th>
                      <th scope="col">Statement</th>
                      <th scope="col">Due</th>
                      <th scope="col">Status</th>
                      <th scope="col" class="num">
                        Balance
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {items.map((i) => (
                      <tr key={i.statement_id}>
                        <th scope="row" data-label="Patient">
                          <Link href={`/staff/billing/patients/${encodeURIComponent(i.patient_id)}`}>{i.patient_name || i.patient_id}</Link>
                        </th>
                        <td data-label="Statement">{i.number}</td>
                        <td data-label="Due">{formatDate(i.due_date)}</td>
                        <td data-label="Status">
                          <span class="bill-cell-tags">
                            <StateBadge state={i.state} />
                            {i.on_payment_plan ? <span class="bill-badge bill-badge--plan-active">Payment plan</span> : null}
                            {i.pending_cents > 0 ? <span class="bill-badge">{formatCents(i.pending_cents, i.currency)} processing</span> : null}
                          </span>
                        </td>
                        <td data-label="Balance" class="num">
                          <strong>{formatCents(i.balance_cents, i.currency)}</strong>
                          <span class="muted small"> of {formatCents(i.patient_responsibility_cents, i.currency)}</span>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {balances.hasMore ? (
                <p class="center">
                  <button type="button" class="button button--secondary" onClick={loadMore} aria-disabled={loadingMore ? 'true' : undefined}>
                    {loadingMore ? 'Loading…' : 'Show more'}
                  </button>
                </p>
              ) : null}
            </>
          );
        }}
      </Loader>
      <p class="visually-hidden" aria-live="polite">
        {announce}
      </p>
    </Page>
  );
}

// --- one patient's ledger --------------------------------------------------------------------------

export function StaffLedgerPage({ patientId }: { patientId: string }) {
  const billing = useBilling();
  const statements = useBillingLoad((s) => billing.statements(patientId, s), [patientId], "the patient's statements");
  const ledger = useBillingLoad((s) => billing.ledger(patientId, null, s), [patientId], "the patient's ledger");
  const [posting, setPosting] = useState(false);
  const [voiding, setVoiding] = useState<Statement | null>(null);
  const [flash, setFlash] = useState<string | null>(null);
  const { api } = useApp();
  const profile = useBillingLoad((s) => accountApi(api).getProfile(patientId, s), [patientId], 'the patient');
  const name = profile.data ? `${profile.data.legal_name.given} ${profile.data.legal_name.family}` : null;

  const reload = (message: string) => {
    setFlash(message);
    statements.reload();
    ledger.reload();
  };

  return (
    <Page
      title={name ? `${name}: billing` : 'Patient billing'}
      heading={name ?? 'Patient billing'}
      lead={profile.data ? `Born ${formatDate(profile.data.birth_date)} · patient ${patientId}` : `Patient ${patientId}`}
    >
      <p class="bill-back">
        <Link href="/staff/billing">
          <Icon name="chevron" size={18} class="bill-back-icon" />
          Open balances
        </Link>
      </p>
      {flash ? (
        <Notice tone="success" role="status">
          <p>{flash}</p>
        </Notice>
      ) : null}
      <Loader state={statements} label="Loading statements…">
        {({ summary, items }) => (
          <>
            <section class="bill-summary" aria-label="Account summary">
              <div class={`bill-stat${summary.balance_cents > 0 ? ' bill-stat--owed' : ''}`}>
                <span class="bill-stat-label">Balance</span>
                <span class="bill-stat-value">{formatCents(summary.balance_cents, summary.currency)}</span>
                <span class="bill-stat-note">{summary.open_statements} open</span>
              </div>
              <div class={`bill-stat${summary.overdue_cents > 0 ? ' bill-stat--overdue' : ''}`}>
                <span class="bill-stat-label">Overdue</span>
                <span class="bill-stat-value">{formatCents(summary.overdue_cents, summary.currency)}</span>
              </div>
              <div class="bill-stat">
                <span class="bill-stat-label">Processing</span>
                <span class="bill-stat-value">{formatCents(summary.pending_cents, summary.currency)}</span>
              </div>
            </section>
            <section aria-labelledby="staff-statements">
              <div class="bill-section-head">
                <h2 id="staff-statements" class="section-title">
                  Statements
                </h2>
                {!posting ? (
                  <button type="button" class="button button--primary" onClick={() => setPosting(true)}>
                    Post a statement
                  </button>
                ) : null}
              </div>
              {posting ? (
                <PostStatementForm
                  patientId={patientId}
                  onCancel={() => setPosting(false)}
                  onPosted={(s) => {
                    setPosting(false);
                    reload(`Statement ${s.number} posted: ${formatCents(s.patient_responsibility_cents, s.currency)} patient responsibility.`);
                  }}
                />
              ) : null}
              <div class="card card--flush bill-table-wrap">
                <table class="bill-table">
                  <caption class="visually-hidden">Statements</caption>
                  <thead>
                    <tr>
                      <th scope="col">Statement</th>
                      <th scope="col">Posted</th>
                      <th scope="col">Due</th>
                      <th scope="col">Status</th>
                      <th scope="col" class="num">
                        Responsibility
                      </th>
                      <th scope="col" class="num">
                        Balance
                      </th>
                      <th scope="col">
                        <span class="visually-hidden">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {sortStatements(items).map((s) => (
                      <tr key={s.id}>
                        <th scope="row" data-label="Statement">
                          {s.number}
                          <span class="muted small bill-lines-brief">{s.lines.map((l) => l.code).join(', ')}</span>
                        </th>
                        <td data-label="Posted">{formatDate(s.posted_at.slice(0, 10))}</td>
                        <td data-label="Due">{formatDate(s.due_date)}</td>
                        <td data-label="Status">
                          <StateBadge state={s.state} />
                          {s.void_reason ? <span class="muted small"> {s.void_reason}</span> : null}
                        </td>
                        <td data-label="Responsibility" class="num">
                          {formatCents(s.patient_responsibility_cents, s.currency)}
                        </td>
                        <td data-label="Balance" class="num">
                          {formatCents(s.balance_cents, s.currency)}
                        </td>
                        <td>
                          {s.status === 'open' && s.paid_cents === 0 && s.pending_cents === 0 && !s.plan_id ? (
                            <button type="button" class="button button--ghost bill-danger" onClick={() => setVoiding(s)}>
                              Void<span class="visually-hidden"> statement {s.number}</span>
                            </button>
                          ) : null}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
          </>
        )}
      </Loader>
      <InsuranceSection patientId={patientId} staff />
      <section aria-labelledby="staff-ledger">
        <h2 id="staff-ledger" class="section-title">
          Ledger
        </h2>
        <Loader state={ledger} label="Loading the ledger…">
          {({ items }) => <LedgerTable items={items} />}
        </Loader>
      </section>
      {voiding ? (
        <VoidDialog
          statement={voiding}
          patientId={patientId}
          onClose={() => setVoiding(null)}
          onVoided={(s) => {
            setVoiding(null);
            reload(`Statement ${s.number} voided. It stays on the ledger, marked void.`);
          }}
        />
      ) : null}
    </Page>
  );
}

function LedgerTable({ items }: { items: LedgerEntry[] }) {
  if (items.length === 0) return <div class="card"><p>No activity yet.</p></div>;
  return (
    <div class="card card--flush bill-table-wrap">
      <table class="bill-table">
        <caption class="visually-hidden">Charges, payments and voids, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Entry</th>
            <th scope="col" class="num">
              Amount
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((e) => (
            <tr key={e.id}>
              <td data-label="Date">{formatDateTime(e.at)}</td>
              <td data-label="Entry">{e.description}</td>
              <td data-label="Amount" class={`num${e.amount_cents < 0 ? ' bill-credit' : ''}`}>
                {formatLedgerAmount(e.amount_cents, e.currency)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

// --- posting a statement --------------------------------------------------------------------------------

interface LineDraft {
  description: string;
  code: string;
  date: string;
  charge: string;
}

const emptyLine = (): LineDraft => ({ description: '', code: '', date: '', charge: '' });

function inDays(days: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

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

function PostStatementForm({ patientId, onCancel, onPosted }: { patientId: string; onCancel: () => void; onPosted: (s: Statement) => void }) {
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

function VoidDialog({
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
