// The patient's Billing page: balance summary, statements, plans, payment history.

import { cardWords, formatCents, formatLedgerAmount, INSTALLMENT_LABELS, isPayable, PLAN_LABELS, sortStatements } from '../billing';
import type { Payment, Plan, Statement } from '../api';
import { Icon } from '../../../shared/ui/Icons';
import { Notice, Page } from '../../../shared/ui/ui';
import { useApp } from '../../../shared/context';
import { formatDate, formatDateTime } from '../../../shared/format';
import { Link } from '../../../router';
import { InsuranceSection } from './BillingInsurance';
import { BillTable, EmptyCard, Loader, Money, StateBadge, useBilling, useBillingLoad } from './BillingShared';

const PAYMENT_STATUS: Record<Payment['status'], string> = {
  succeeded: 'Paid',
  pending: 'Processing',
  requires_action: 'Waiting for card confirmation',
  declined: 'Declined, not charged',
  failed: 'Did not go through, not charged',
  requires_payment_method: 'Not completed, not charged',
  canceled: 'Not completed, not charged',
};

export function BillingHomePage() {
  const { patient, clinic } = useApp();
  const billing = useBilling();
  const pid = patient!.id;
  const statements = useBillingLoad((s) => billing.statements(pid, s), [pid], 'your statements');
  const payments = useBillingLoad((s) => billing.payments(pid, s), [pid], 'your payment history');
  const plans = useBillingLoad((s) => billing.plans(pid, s), [pid], 'your payment plans');
  const forSelf = patient?.relationship === 'self';

  return (
    <Page
      title="Billing"
      heading={forSelf ? 'Billing' : `Billing for ${patient!.display_name}`}
      lead="Your statements, what is owed, and payments you have made."
    >
      <Loader state={statements} label="Loading your statements…">
        {({ summary, items }) => {
          const sorted = sortStatements(items);
          return (
            <>
              <section class="bill-summary" aria-label="Balance summary">
                <div class={`bill-stat${summary.balance_cents > 0 ? ' bill-stat--owed' : ''}`}>
                  <span class="bill-stat-label">Balance due</span>
                  <span class="bill-stat-value">{formatCents(summary.balance_cents, summary.currency)}</span>
                  <span class="bill-stat-note">
                    {summary.open_statements === 0
                      ? 'Nothing to pay. Thank you!'
                      : `${summary.open_statements} open ${summary.open_statements === 1 ? 'statement' : 'statements'}`}
                  </span>
                </div>
                <div class={`bill-stat${summary.overdue_cents > 0 ? ' bill-stat--overdue' : ''}`}>
                  <span class="bill-stat-label">Overdue</span>
                  <span class="bill-stat-value">{formatCents(summary.overdue_cents, summary.currency)}</span>
                  <span class="bill-stat-note">{summary.overdue_cents > 0 ? 'Past the due date' : 'Nothing overdue'}</span>
                </div>
                <div class="bill-stat">
                  <span class="bill-stat-label">Processing</span>
                  <span class="bill-stat-value">{formatCents(summary.pending_cents, summary.currency)}</span>
                  <span class="bill-stat-note">{summary.pending_cents > 0 ? 'Payments being confirmed' : 'No payments in progress'}</span>
                </div>
              </section>

              <section aria-labelledby="bill-statements">
                <h2 id="bill-statements" class="section-title">
                  Statements
                </h2>
                {sorted.length === 0 ? (
                  <EmptyCard>There are no statements yet. When the clinic bills a visit, it will appear here.</EmptyCard>
                ) : (
                  <ul class="bill-list">
                    {sorted.map((s) => (
                      <StatementCard key={s.id} s={s} />
                    ))}
                  </ul>
                )}
              </section>
            </>
          );
        }}
      </Loader>

      {plans.data && plans.data.items.length > 0 ? (
        <section aria-labelledby="bill-plans">
          <h2 id="bill-plans" class="section-title">
            Payment plans
          </h2>
          <ul class="bill-list">
            {plans.data.items.map((p) => (
              <PlanCard key={p.id} plan={p} statements={statements.data?.items ?? []} />
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="bill-history">
        <h2 id="bill-history" class="section-title">
          Payment history
        </h2>
        <Loader state={payments} label="Loading your payments…">
          {({ items: all }) => {
            // Attempts that never got a card (a page left before paying) are not payments to list.
            const items = all.filter((p) => !((p.status === 'requires_payment_method' || p.status === 'canceled') && !p.card_last4));
            return items.length === 0 ? (
              <EmptyCard>No payments yet.</EmptyCard>
            ) : (
              <BillTable
                card
                caption="Payments, newest first"
                columns={[
                  { label: 'Date' },
                  { label: 'Statement' },
                  { label: 'Card' },
                  { label: 'Amount', num: true },
                  { label: 'Status' },
                  { label: 'Receipt', hidden: true },
                ]}
              >
                {items.map((p) => {
                  const st = statements.data?.items.find((s) => s.id === p.statement_id);
                  return (
                    <tr key={p.id}>
                      <td data-label="Date">{formatDateTime(p.succeeded_at ?? p.created_at)}</td>
                      <td data-label="Statement">
                        {st ? st.number : '—'}
                        {p.installment ? <span class="muted small"> · installment {p.installment}</span> : null}
                      </td>
                      <td data-label="Card">{cardWords(p.card_brand, p.card_last4)}</td>
                      <td data-label="Amount" class="num">
                        {formatCents(p.amount_cents, p.currency)}
                      </td>
                      <td data-label="Status">
                        <span class={`bill-pay-status bill-pay-status--${p.status}`}>{PAYMENT_STATUS[p.status]}</span>
                      </td>
                      <td>
                        {p.status === 'succeeded' ? (
                          <Link href={`/billing/receipts/${encodeURIComponent(p.id)}`}>
                            Receipt<span class="visually-hidden"> for {formatCents(p.amount_cents, p.currency)} paid {formatDateTime(p.succeeded_at ?? p.created_at)}</span>
                          </Link>
                        ) : null}
                      </td>
                    </tr>
                  );
                })}
              </BillTable>
            );
          }}
        </Loader>
        <p>
          <Link href="/billing/card">Card for payment plans</Link>
        </p>
      </section>

      <InsuranceSection patientId={pid} />

      <Notice tone="info" title="Questions about a bill?">
        <p>
          Call our billing office{clinic ? (
            <>
              {' '}at <a href={`tel:${clinic.phone}`}>{clinic.phone_display}</a>
            </>
          ) : null}
          . We can explain charges, check your insurance, or set up a payment plan with you.
        </p>
      </Notice>
    </Page>
  );
}

function StatementCard({ s }: { s: Statement }) {
  const href = `/billing/statements/${encodeURIComponent(s.id)}`;
  const services = s.lines.map((l) => l.description).join(', ');
  return (
    <li class={`bill-card bill-card--${s.state}`}>
      <div class="bill-card-main">
        <h3 class="bill-card-title">
          <Link href={href}>Statement {s.number}</Link>
        </h3>
        <p class="bill-card-meta">
          <StateBadge state={s.state} />
          <span>
            {s.state === 'paid'
              ? `Paid ${s.paid_at ? formatDate(s.paid_at.slice(0, 10)) : ''}`
              : s.state === 'void'
                ? 'Cancelled by the clinic: nothing to pay'
                : `${s.state === 'overdue' ? 'Was due' : 'Due'} ${formatDate(s.due_date)}`}
          </span>
        </p>
        <p class="bill-card-services">
          {services}
          {s.provider_name ? ` · ${s.provider_name}` : ''} · visit {formatDate(s.lines[0]?.service_date ?? s.posted_at.slice(0, 10))}
        </p>
        {s.plan_id && s.status === 'open' ? <p class="bill-card-note">On a payment plan: installments are charged automatically.</p> : null}
        {s.pending_cents > 0 ? <p class="bill-card-note">{formatCents(s.pending_cents, s.currency)} is being processed.</p> : null}
      </div>
      <div class="bill-card-side">
        <p class="bill-card-amount">
          <span class="bill-card-amount-label">{s.status === 'open' ? 'Balance' : 'Your share'}</span>
          <Money cents={s.status === 'open' ? s.balance_cents : s.patient_responsibility_cents} currency={s.currency} />
        </p>
        {isPayable(s) ? (
          <Link href={`${href}/pay`} class="button button--primary bill-pay-button">
            Pay<span class="visually-hidden"> statement {s.number}</span>
          </Link>
        ) : (
          <Link href={href} class="button button--secondary">
            View<span class="visually-hidden"> statement {s.number}</span>
          </Link>
        )}
      </div>
    </li>
  );
}

function PlanCard({ plan, statements }: { plan: Plan; statements: Statement[] }) {
  const st = statements.find((s) => s.id === plan.statement_id);
  const next = plan.installments.find((i) => i.status === 'scheduled' || i.status === 'retrying');
  const paid = plan.installments.reduce((sum, i) => sum + i.paid_cents, 0);
  return (
    <li class="bill-card">
      <div class="bill-card-main">
        <h3 class="bill-card-title">
          {plan.months} monthly payments{st ? ` for statement ${st.number}` : ''}
        </h3>
        <p class="bill-card-meta">
          <span class={`bill-badge bill-badge--plan-${plan.status}`}>{PLAN_LABELS[plan.status]}</span>
          <span>
            {formatLedgerAmount(paid, plan.currency)} of {formatCents(plan.total_cents, plan.currency)} paid · {cardWords(plan.card_brand, plan.card_last4)}
          </span>
        </p>
        {next ? (
          <p class="bill-card-services">
            <Icon name="clock" size={18} /> Next: {formatCents(next.amount_cents, plan.currency)} on {formatDate(next.next_attempt_on)} (
            {INSTALLMENT_LABELS[next.status].toLowerCase()})
          </p>
        ) : null}
      </div>
      {st ? (
        <div class="bill-card-side">
          <Link href={`/billing/statements/${encodeURIComponent(st.id)}`} class="button button--secondary">
            View<span class="visually-hidden"> statement {st.number}</span>
          </Link>
        </div>
      ) : null}
    </li>
  );
}
