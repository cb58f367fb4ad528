// Billing staff: a patient's card payments, each refundable in full or in part with a reason; and the
// payments disputed with the card holder's bank, on the work list.

import { useRef, useState } from 'preact/hooks';
import { type Attempt, attemptFor, cardWords, checkAmount, formatCents, newIdempotencyKey } from '../billing';
import type { Payment, RefundIn } from '../api';
import { Field, Notice } from '../../../shared/ui/ui';
import { formatDateTime } from '../../../shared/format';
import { Link } from '../../../router';
import { ApiError } from '../../../shared/api/client';
import { BillTable, EmptyCard, errorText, Loader, useBilling, useBillingLoad } from './BillingShared';

const REASONS: { value: RefundIn['reason']; label: string }[] = [
  { value: 'requested_by_patient', label: 'The patient asked for it' },
  { value: 'duplicate', label: 'Charged twice' },
  { value: 'billing_error', label: 'Billing error' },
  { value: 'other', label: 'Other' },
];

export function StaffPayments({ patientId, onRefunded }: { patientId: string; onRefunded: (message: string) => void }) {
  const billing = useBilling();
  const payments = useBillingLoad((s) => billing.payments(patientId, s), [patientId], "the patient's payments");
  const [refunding, setRefunding] = useState<Payment | null>(null);
  return (
    <section aria-labelledby="staff-payments">
      <h2 id="staff-payments" class="section-title">
        Card payments
      </h2>
      <Loader state={payments} label="Loading payments…">
        {({ items }) => {
          const paid = items.filter((p) => p.status === 'succeeded');
          if (paid.length === 0) return <EmptyCard>No card payments.</EmptyCard>;
          return (
            <BillTable card caption="Card payments, newest first" columns={[{ label: 'Date' }, { label: 'Card' }, { label: 'Paid', num: true }, { label: 'Refunded', num: true }, { label: 'Actions', hidden: true }]}>
              {paid.map((p) => (
                <tr key={p.id}>
                  <td data-label="Date">{formatDateTime(p.succeeded_at ?? p.created_at)}</td>
                  <td data-label="Card">
                    {cardWords(p.card_brand, p.card_last4)}
                    {p.dispute_status ? <span class="bill-badge bill-badge--overdue"> Disputed</span> : null}
                  </td>
                  <td data-label="Paid" class="num">
                    {formatCents(p.amount_cents, p.currency)}
                  </td>
                  <td data-label="Refunded" class="num">
                    {p.refunded_cents ? formatCents(p.refunded_cents, p.currency) : '—'}
                  </td>
                  <td>
                    {p.refunded_cents < p.amount_cents ? (
                      <button type="button" class="button button--secondary button--small" onClick={() => setRefunding(p)}>
                        Refund<span class="visually-hidden"> {formatCents(p.amount_cents, p.currency)} paid {formatDateTime(p.succeeded_at ?? p.created_at)}</span>
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </BillTable>
          );
        }}
      </Loader>
      {refunding ? (
        <RefundForm
          patientId={patientId}
          payment={refunding}
          onClose={() => setRefunding(null)}
          onDone={(message) => {
            setRefunding(null);
            payments.reload();
            onRefunded(message);
          }}
        />
      ) : null}
    </section>
  );
}

function RefundForm({ patientId, payment, onClose, onDone }: { patientId: string; payment: Payment; onClose: () => void; onDone: (message: string) => void }) {
  const billing = useBilling();
  const left = payment.amount_cents - payment.refunded_cents;
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState<RefundIn['reason'] | ''>('');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<{ amount?: string; reason?: string; note?: string }>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const attempt = useRef<Attempt | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    const cents = checkAmount(amount, left, payment.currency);
    const next: typeof errors = {};
    if (!cents.ok) next.amount = cents.error;
    if (!reason) next.reason = 'Choose a reason.';
    if (note.trim().length < 3) next.note = 'Say in a few words why (kept in the portal, never sent to the card processor).';
    setErrors(next);
    if (Object.keys(next).length > 0 || !cents.ok || !reason) return;
    const body: RefundIn = { amount_cents: cents.cents, reason, note: note.trim() };
    attempt.current = attemptFor(attempt.current, JSON.stringify(body), newIdempotencyKey);
    setBusy(true);
    setFailure(null);
    try {
      await billing.refund(patientId, payment.id, body, attempt.current.key);
      onDone(`${formatCents(cents.cents, payment.currency)} refunded to ${cardWords(payment.card_brand, payment.card_last4)}. The amount is owed again.`);
    } catch (err) {
      if (!(err instanceof ApiError && (err.code === 'network' || err.status >= 500))) attempt.current = null;
      setFailure(errorText(err, 'The refund was not made. Please try again.'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card bill-refund" aria-label="Refund" noValidate onSubmit={submit}>
      <h3>Refund {formatCents(payment.amount_cents, payment.currency)} paid {formatDateTime(payment.succeeded_at ?? payment.created_at)}</h3>
      {failure ? (
        <Notice tone="error" role="alert" title="Not refunded">
          <p>{failure}</p>
        </Notice>
      ) : null}
      <Field id="refund-amount" label="Amount to refund" hint={`In dollars, up to ${formatCents(left, payment.currency)}`} error={errors.amount}>
        {(describedBy, invalid) => (
          <input id="refund-amount" type="text" inputMode="decimal" autoComplete="off" value={amount} onInput={(e) => setAmount((e.currentTarget as HTMLInputElement).value)} aria-describedby={describedBy} aria-invalid={invalid ? 'true' : undefined} />
        )}
      </Field>
      <Field id="refund-reason" label="Reason" error={errors.reason}>
        {(describedBy, invalid) => (
          <select id="refund-reason" value={reason} onChange={(e) => setReason((e.currentTarget as HTMLSelectElement).value as RefundIn['reason'])} aria-describedby={describedBy} aria-invalid={invalid ? 'true' : undefined}>
            <option value="">Choose…</option>
            {REASONS.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id="refund-note" label="Note" error={errors.note}>
        {(describedBy, invalid) => (
          <textarea id="refund-note" rows={2} maxLength={300} value={note} onInput={(e) => setNote((e.currentTarget as HTMLTextAreaElement).value)} aria-describedby={describedBy} aria-invalid={invalid ? 'true' : undefined} />
        )}
      </Field>
      <div class="form-actions">
        <button type="submit" class="button button--primary" aria-disabled={busy ? 'true' : undefined}>
          {busy ? 'Refunding…' : 'Refund to the card'}
        </button>
        <button type="button" class="button button--ghost" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}

export function DisputesSection() {
  const billing = useBilling();
  const disputes = useBillingLoad((s) => billing.disputes(s), [], 'the disputed payments');
  return (
    <section aria-labelledby="staff-disputes">
      <h2 id="staff-disputes" class="section-title">
        Disputed card payments
      </h2>
      <Loader state={disputes} label="Loading disputes…">
        {({ items }) =>
          items.length === 0 ? (
            <EmptyCard>No open disputes.</EmptyCard>
          ) : (
            <BillTable card caption="Payments the card holder disputed with their bank; answer them in the Stripe dashboard" columns={[{ label: 'Patient' }, { label: 'Disputed' }, { label: 'Reason' }, { label: 'Status' }, { label: 'Amount', num: true }]}>
              {items.map((d) => (
                <tr key={d.payment_id}>
                  <th scope="row" data-label="Patient">
                    <Link href={`/staff/billing/patients/${encodeURIComponent(d.patient_id)}`}>Patient {d.patient_id}</Link>
                  </th>
                  <td data-label="Disputed">{formatDateTime(d.disputed_at)}</td>
                  <td data-label="Reason">{d.reason.replace(/_/g, ' ')}</td>
                  <td data-label="Status">{d.status.replace(/_/g, ' ')}</td>
                  <td data-label="Amount" class="num">
                    {formatCents(d.amount_cents, d.currency)}
                  </td>
                </tr>
              ))}
            </BillTable>
          )
        }
      </Loader>
    </section>
  );
}
