// Billing staff: a patient's card payments, each refundable in full or in part with a reason; and the
// payments disputed with the card holder's bank, on the work list.

import { t } from '@lingui/core/macro';
import { Trans } from '@lingui/react/macro';
import { useRef, useState } from 'preact/hooks';
import { type Attempt, attemptFor, cardWords, checkAmount, formatCents, newIdempotencyKey } from '../billing';
import { disputeReasonLabel, disputeStatusLabel, REFUND_REASONS } from '../staffWords';
import type { Payment, RefundIn } from '../api';
import { Field, Notice } from '../../../shared/ui/ui';
import { formatDateTime } from '../../../shared/format';
import { Link } from '../../../router';
import { ApiError } from '../../../shared/api/client';
import { BillTable, EmptyCard, errorText, Loader, useBilling, useBillingLoad } from './BillingShared';

export function StaffPayments({ patientId, onRefunded }: { patientId: string; onRefunded: (message: string) => void }) {
  const billing = useBilling();
  const payments = useBillingLoad((s) => billing.payments(patientId, s), [patientId], t`the patient's payments`);
  const [refunding, setRefunding] = useState<Payment | null>(null);
  return (
    <section aria-labelledby="staff-payments">
      <h2 id="staff-payments" class="section-title">
        {t`Card payments`}
      </h2>
      <Loader state={payments} label={t`Loading payments…`}>
        {({ items }) => {
          const paid = items.filter((p) => p.status === 'succeeded');
          if (paid.length === 0) return <EmptyCard>{t`No card payments.`}</EmptyCard>;
          return (
            <BillTable card caption={t`Card payments, newest first`} columns={[{ label: t`Date` }, { label: t`Card` }, { label: t`Paid`, num: true }, { label: t`Refunded`, num: true }, { label: t`Actions`, hidden: true }]}>
              {paid.map((p) => {
                const amount = formatCents(p.amount_cents, p.currency);
                const when = formatDateTime(p.succeeded_at ?? p.created_at);
                return (
                  <tr key={p.id}>
                    <td data-label={t`Date`}>{when}</td>
                    <td data-label={t`Card`}>
                      {cardWords(p.card_brand, p.card_last4)}
                      {p.dispute_status ? <span class="bill-badge bill-badge--overdue"> {t`Disputed`}</span> : null}
                    </td>
                    <td data-label={t`Paid`} class="num">
                      {amount}
                    </td>
                    <td data-label={t`Refunded`} class="num">
                      {p.refunded_cents ? formatCents(p.refunded_cents, p.currency) : '—'}
                    </td>
                    <td>
                      {p.refunded_cents < p.amount_cents ? (
                        <button type="button" class="button button--secondary button--small" onClick={() => setRefunding(p)}>
                          <Trans>
                            Refund<span class="visually-hidden"> {amount} paid {when}</span>
                          </Trans>
                        </button>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
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
    if (!reason) next.reason = t`Choose a reason.`;
    if (note.trim().length < 3) next.note = t`Say in a few words why (kept in the portal, never sent to the card processor).`;
    setErrors(next);
    if (Object.keys(next).length > 0 || !cents.ok || !reason) return;
    const body: RefundIn = { amount_cents: cents.cents, reason, note: note.trim() };
    attempt.current = attemptFor(attempt.current, JSON.stringify(body), newIdempotencyKey);
    setBusy(true);
    setFailure(null);
    try {
      await billing.refund(patientId, payment.id, body, attempt.current.key);
      const amount = formatCents(cents.cents, payment.currency);
      const card = cardWords(payment.card_brand, payment.card_last4);
      onDone(t`${amount} refunded to ${card}. The amount is owed again.`);
    } catch (err) {
      if (!(err instanceof ApiError && (err.code === 'network' || err.status >= 500))) attempt.current = null;
      setFailure(errorText(err, t`The refund was not made. Please try again.`));
    } finally {
      setBusy(false);
    }
  };

  const paidAmount = formatCents(payment.amount_cents, payment.currency);
  const paidWhen = formatDateTime(payment.succeeded_at ?? payment.created_at);
  const leftAmount = formatCents(left, payment.currency);
  return (
    <form class="card bill-refund" aria-label={t`Refund`} noValidate onSubmit={submit}>
      <h3>{t`Refund ${paidAmount} paid ${paidWhen}`}</h3>
      {failure ? (
        <Notice tone="error" role="alert" title={t`Not refunded`}>
          <p>{failure}</p>
        </Notice>
      ) : null}
      <Field id="refund-amount" label={t`Amount to refund`} hint={t`In dollars, up to ${leftAmount}`} error={errors.amount}>
        {(describedBy, invalid) => (
          <input id="refund-amount" type="text" inputMode="decimal" autoComplete="off" value={amount} onInput={(e) => setAmount((e.currentTarget as HTMLInputElement).value)} aria-describedby={describedBy} aria-invalid={invalid ? 'true' : undefined} />
        )}
      </Field>
      <Field id="refund-reason" label={t`Reason`} error={errors.reason}>
        {(describedBy, invalid) => (
          <select id="refund-reason" value={reason} onChange={(e) => setReason((e.currentTarget as HTMLSelectElement).value as RefundIn['reason'])} aria-describedby={describedBy} aria-invalid={invalid ? 'true' : undefined}>
            <option value="">{t`Choose…`}</option>
            {REFUND_REASONS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id="refund-note" label={t`Note`} error={errors.note}>
        {(describedBy, invalid) => (
          <textarea id="refund-note" rows={2} maxLength={300} value={note} onInput={(e) => setNote((e.currentTarget as HTMLTextAreaElement).value)} aria-describedby={describedBy} aria-invalid={invalid ? 'true' : undefined} />
        )}
      </Field>
      <div class="form-actions">
        <button type="submit" class="button button--primary" aria-disabled={busy ? 'true' : undefined}>
          {busy ? t`Refunding…` : t`Refund to the card`}
        </button>
        <button type="button" class="button button--ghost" onClick={onClose}>
          {t`Cancel`}
        </button>
      </div>
    </form>
  );
}

export function DisputesSection() {
  const billing = useBilling();
  const disputes = useBillingLoad((s) => billing.disputes(s), [], t`the disputed payments`);
  return (
    <section aria-labelledby="staff-disputes">
      <h2 id="staff-disputes" class="section-title">
        {t`Disputed card payments`}
      </h2>
      <Loader state={disputes} label={t`Loading disputes…`}>
        {({ items }) =>
          items.length === 0 ? (
            <EmptyCard>{t`No open disputes.`}</EmptyCard>
          ) : (
            <BillTable
              card
              caption={t`Payments the card holder disputed with their bank; answer them in the Stripe dashboard`}
              columns={[{ label: t`Patient` }, { label: t({ message: 'Disputed', context: 'column: date disputed' }) }, { label: t`Reason` }, { label: t`Status` }, { label: t`Amount`, num: true }]}
            >
              {items.map((d) => {
                const patientId = d.patient_id;
                return (
                  <tr key={d.payment_id}>
                    <th scope="row" data-label={t`Patient`}>
                      <Link href={`/staff/billing/patients/${encodeURIComponent(patientId)}`}>{t`Patient ${patientId}`}</Link>
                    </th>
                    <td data-label={t({ message: 'Disputed', context: 'column: date disputed' })}>{formatDateTime(d.disputed_at)}</td>
                    <td data-label={t`Reason`}>{disputeReasonLabel(d.reason)}</td>
                    <td data-label={t`Status`}>{disputeStatusLabel(d.status)}</td>
                    <td data-label={t`Amount`} class="num">
                      {formatCents(d.amount_cents, d.currency)}
                    </td>
                  </tr>
                );
              })}
            </BillTable>
          )
        }
      </Loader>
    </section>
  );
}
