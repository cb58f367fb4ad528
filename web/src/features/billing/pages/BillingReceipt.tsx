// A payment's receipt, on screen and on paper.

import { t } from '@lingui/core/macro';
import { cardWords, formatCents, isPayable, planMonthOptions } from '../billing';
import { Icon } from '../../../shared/ui/Icons';
import { Notice, Page } from '../../../shared/ui/ui';
import { useApp } from '../../../shared/context';
import { formatDateTime } from '../../../shared/format';
import { Link } from '../../../router';
import { Loader, useBilling, useBillingLoad } from './BillingShared';
import { justPaid } from './BillingPayParts';

export function ReceiptPage({ paymentId }: { paymentId: string }) {
  const { patient } = useApp();
  const billing = useBilling();
  const pid = patient!.id;
  const receipt = useBillingLoad((s) => billing.receipt(pid, paymentId, s), [pid, paymentId], t`this receipt`);
  const statementId = receipt.data?.payment.statement_id ?? null;
  const statement = useBillingLoad(
    (s) => (statementId ? billing.statement(pid, statementId, s) : Promise.resolve(null)),
    [pid, statementId],
    t`the statement`,
  );
  const settings = useBillingLoad((s) => billing.settings(s), [], t`the billing settings`);
  const fresh = justPaid.has(paymentId);

  return (
    <Page title={t`Receipt`} heading={fresh ? t`Thank you, your payment was received` : t`Payment receipt`}>
      <p class="no-print bill-back">
        <Link href="/billing">
          <Icon name="chevron" size={18} class="bill-back-icon" />
          {t`Billing`}
        </Link>
      </p>
      <Loader state={receipt} label={t`Loading the receipt…`}>
        {(r) => {
          const st = statement.data;
          const remaining = st ? st.balance_cents : r.statement_balance_cents;
          const planOffered =
            st && settings.data && isPayable(st) && planMonthOptions(st.balance_cents, settings.data.plans).length > 0;
          return (
            <>
              {fresh ? (
                <Notice tone="success" role="status" title={t`${formatCents(r.payment.amount_cents, r.payment.currency)} paid`}>
                  <p>
                    {remaining > 0
                      ? t`Statement ${r.statement_number} now has ${formatCents(remaining, r.payment.currency)} left to pay.`
                      : t`Statement ${r.statement_number} is paid in full.`}
                  </p>
                </Notice>
              ) : null}
              <article class="card bill-receipt" aria-labelledby="receipt-title">
                <header class="bill-sheet-head">
                  <div>
                    <p class="bill-sheet-clinic">{r.clinic_name}</p>
                    {r.clinic_address ? <p class="muted">{r.clinic_address}</p> : null}
                    <p class="muted">{r.clinic_phone}</p>
                  </div>
                  <div class="bill-sheet-id">
                    <h2 id="receipt-title">{t`Receipt ${r.receipt_number}`}</h2>
                  </div>
                </header>
                <dl class="bill-facts bill-facts--receipt">
                  <div>
                    <dt>{t`Amount paid`}</dt>
                    <dd class="bill-receipt-amount">{formatCents(r.payment.amount_cents, r.payment.currency)}</dd>
                  </div>
                  <div>
                    <dt>{t`Paid on`}</dt>
                    <dd>{formatDateTime(r.payment.succeeded_at ?? r.payment.created_at)}</dd>
                  </div>
                  <div>
                    <dt>{t`Card`}</dt>
                    <dd>{cardWords(r.payment.card_brand, r.payment.card_last4)}</dd>
                  </div>
                  <div>
                    <dt>{t`Patient`}</dt>
                    <dd>{r.patient_name}</dd>
                  </div>
                  <div>
                    <dt>{t`For statement`}</dt>
                    <dd>{r.statement_number}</dd>
                  </div>
                  <div>
                    <dt>{t`Balance left on this statement`}</dt>
                    <dd id="receipt-remaining">{formatCents(remaining, r.payment.currency)}</dd>
                  </div>
                </dl>
                {r.refunds.length > 0 ? (
                  <>
                    <h3 class="bill-receipt-refunds">{t`Refunded to the card`}</h3>
                    <ul class="bill-receipt-refund-list">
                      {r.refunds.map((f) => (
                        <li key={f.id}>
                          {t`${formatCents(f.amount_cents, f.currency)} on ${formatDateTime(f.created_at)}`}
                        </li>
                      ))}
                    </ul>
                  </>
                ) : null}
              </article>
              <div class="bill-actions no-print">
                {planOffered && st ? (
                  <Link href={`/billing/statements/${encodeURIComponent(st.id)}/plan`} class="button button--primary">
                    {t`Set up a payment plan for the rest`}
                  </Link>
                ) : null}
                {st && isPayable(st) ? (
                  <Link href={`/billing/statements/${encodeURIComponent(st.id)}/pay`} class="button button--secondary">
                    {t`Pay the rest now`}
                  </Link>
                ) : null}
                <button type="button" class="button button--secondary" onClick={() => window.print()}>
                  {t`Print receipt`}
                </button>
                <Link href="/billing" class="button button--ghost">
                  {t`Back to billing`}
                </Link>
              </div>
            </>
          );
        }}
      </Loader>
    </Page>
  );
}

// --- payment plan -----------------------------------------------------------------------------------
