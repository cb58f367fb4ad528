// The patient's Billing page: balance summary, statements, plans, payment history.

import { msg, plural, t } from '@lingui/core/macro';
import { Trans } from '@lingui/react/macro';
import { i18n, type MessageDescriptor } from '@lingui/core';
import { cardWords, formatCents, formatLedgerAmount, INSTALLMENT_LABELS, isPayable, PLAN_LABELS, sortStatements } from '../billing';
import type { Payment, Plan, Statement } from '../api';
import { Icon } from '../../../shared/ui/Icons';
import { Notice, Page } from '../../../shared/ui/ui';
import { useApp } from '../../../shared/context';
import { formatDate, formatDateTime } from '../../../shared/format';
import { Link } from '../../../router';
import { InsuranceSection } from './BillingInsurance';
import { BillTable, EmptyCard, Loader, Money, StateBadge, useBilling, useBillingLoad } from './BillingShared';

const PAYMENT_STATUS: Record<Payment['status'], MessageDescriptor> = {
  succeeded: msg`Paid`,
  pending: msg`Processing`,
  requires_action: msg`Waiting for card confirmation`,
  declined: msg`Declined, not charged`,
  failed: msg`Did not go through, not charged`,
  requires_payment_method: msg`Not completed, not charged`,
  canceled: msg`Not completed, not charged`,
};

export function BillingHomePage() {
  const { patient, clinic } = useApp();
  const billing = useBilling();
  const pid = patient!.id;
  const statements = useBillingLoad((s) => billing.statements(pid, s), [pid], t`your statements`);
  const payments = useBillingLoad((s) => billing.payments(pid, s), [pid], t`your payment history`);
  const plans = useBillingLoad((s) => billing.plans(pid, s), [pid], t`your payment plans`);
  const forSelf = patient?.relationship === 'self';

  return (
    <Page
      title={t`Billing`}
      heading={forSelf ? t`Billing` : t`Billing for ${patient!.display_name}`}
      lead={t`Your statements, what is owed, and payments you have made.`}
    >
      <Loader state={statements} label={t`Loading your statements…`}>
        {({ summary, items }) => {
          const sorted = sortStatements(items);
          return (
            <>
              <section class="bill-summary" aria-label={t`Balance summary`}>
                <div class={`bill-stat${summary.balance_cents > 0 ? ' bill-stat--owed' : ''}`}>
                  <span class="bill-stat-label">{t`Balance due`}</span>
                  <span class="bill-stat-value">{formatCents(summary.balance_cents, summary.currency)}</span>
                  <span class="bill-stat-note">
                    {summary.open_statements === 0
                      ? t`Nothing to pay. Thank you!`
                      : plural(summary.open_statements, { one: '# open statement', other: '# open statements' })}
                  </span>
                </div>
                <div class={`bill-stat${summary.overdue_cents > 0 ? ' bill-stat--overdue' : ''}`}>
                  <span class="bill-stat-label">{t`Overdue`}</span>
                  <span class="bill-stat-value">{formatCents(summary.overdue_cents, summary.currency)}</span>
                  <span class="bill-stat-note">{summary.overdue_cents > 0 ? t`Past the due date` : t`Nothing overdue`}</span>
                </div>
                <div class="bill-stat">
                  <span class="bill-stat-label">{t`Processing`}</span>
                  <span class="bill-stat-value">{formatCents(summary.pending_cents, summary.currency)}</span>
                  <span class="bill-stat-note">{summary.pending_cents > 0 ? t`Payments being confirmed` : t`No payments in progress`}</span>
                </div>
              </section>

              <section aria-labelledby="bill-statements">
                <h2 id="bill-statements" class="section-title">
                  {t`Statements`}
                </h2>
                {sorted.length === 0 ? (
                  <EmptyCard>{t`There are no statements yet. When the clinic bills a visit, it will appear here.`}</EmptyCard>
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
            {t`Payment plans`}
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
          {t`Payment history`}
        </h2>
        <Loader state={payments} label={t`Loading your payments…`}>
          {({ items: all }) => {
            // Attempts that never got a card (a page left before paying) are not payments to list.
            const items = all.filter((p) => !((p.status === 'requires_payment_method' || p.status === 'canceled') && !p.card_last4));
            return items.length === 0 ? (
              <EmptyCard>{t`No payments yet.`}</EmptyCard>
            ) : (
              <BillTable
                card
                caption={t`Payments, newest first`}
                columns={[
                  { label: t`Date` },
                  { label: t`Statement` },
                  { label: t`Card` },
                  { label: t`Amount`, num: true },
                  { label: t`Status` },
                  { label: t`Receipt`, hidden: true },
                ]}
              >
                {items.map((p) => {
                  const st = statements.data?.items.find((s) => s.id === p.statement_id);
                  return (
                    <tr key={p.id}>
                      <td data-label={t`Date`}>{formatDateTime(p.succeeded_at ?? p.created_at)}</td>
                      <td data-label={t`Statement`}>
                        {st ? st.number : '—'}
                        {p.installment ? <span class="muted small"> · {t`installment ${p.installment}`}</span> : null}
                      </td>
                      <td data-label={t`Card`}>{cardWords(p.card_brand, p.card_last4)}</td>
                      <td data-label={t`Amount`} class="num">
                        {formatCents(p.amount_cents, p.currency)}
                      </td>
                      <td data-label={t`Status`}>
                        <span class={`bill-pay-status bill-pay-status--${p.status}`}>{i18n._(PAYMENT_STATUS[p.status])}</span>
                      </td>
                      <td>
                        {p.status === 'succeeded' ? (
                          <Link href={`/billing/receipts/${encodeURIComponent(p.id)}`}>
                            {t`Receipt`}
                            <span class="visually-hidden">
                              {' '}
                              {t`for ${formatCents(p.amount_cents, p.currency)} paid ${formatDateTime(p.succeeded_at ?? p.created_at)}`}
                            </span>
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
          <Link href="/billing/card">{t`Card for payment plans`}</Link>
        </p>
      </section>

      <InsuranceSection patientId={pid} />

      <Notice tone="info" title={t`Questions about a bill?`}>
        <p>
          {clinic ? (
            <Trans>
              Call our billing office at <a href={`tel:${clinic.phone}`}>{clinic.phone_display}</a>. We can explain charges, check your
              insurance, or set up a payment plan with you.
            </Trans>
          ) : (
            t`Call our billing office. We can explain charges, check your insurance, or set up a payment plan with you.`
          )}
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
          <Link href={href}>{t`Statement ${s.number}`}</Link>
        </h3>
        <p class="bill-card-meta">
          <StateBadge state={s.state} />
          <span>
            {s.state === 'paid'
              ? s.paid_at
                ? t`Paid ${formatDate(s.paid_at.slice(0, 10))}`
                : t`Paid`
              : s.state === 'void'
                ? t`Cancelled by the clinic: nothing to pay`
                : s.state === 'overdue'
                  ? t`Was due ${formatDate(s.due_date)}`
                  : t`Due ${formatDate(s.due_date)}`}
          </span>
        </p>
        <p class="bill-card-services">
          {services}
          {s.provider_name ? ` · ${s.provider_name}` : ''} · {t`visit ${formatDate(s.lines[0]?.service_date ?? s.posted_at.slice(0, 10))}`}
        </p>
        {s.plan_id && s.status === 'open' ? <p class="bill-card-note">{t`On a payment plan: installments are charged automatically.`}</p> : null}
        {s.pending_cents > 0 ? <p class="bill-card-note">{t`${formatCents(s.pending_cents, s.currency)} is being processed.`}</p> : null}
      </div>
      <div class="bill-card-side">
        <p class="bill-card-amount">
          <span class="bill-card-amount-label">{s.status === 'open' ? t`Balance` : t`Your share`}</span>
          <Money cents={s.status === 'open' ? s.balance_cents : s.patient_responsibility_cents} currency={s.currency} />
        </p>
        {isPayable(s) ? (
          <Link href={`${href}/pay`} class="button button--primary bill-pay-button">
            {t`Pay`}
            <span class="visually-hidden"> {t`statement ${s.number}`}</span>
          </Link>
        ) : (
          <Link href={href} class="button button--secondary">
            {t`View`}
            <span class="visually-hidden"> {t`statement ${s.number}`}</span>
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
          {st ? t`${plan.months} monthly payments for statement ${st.number}` : t`${plan.months} monthly payments`}
        </h3>
        <p class="bill-card-meta">
          <span class={`bill-badge bill-badge--plan-${plan.status}`}>{PLAN_LABELS[plan.status]}</span>
          <span>
            {t`${formatLedgerAmount(paid, plan.currency)} of ${formatCents(plan.total_cents, plan.currency)} paid`} · {cardWords(plan.card_brand, plan.card_last4)}
          </span>
        </p>
        {next ? (
          <p class="bill-card-services">
            <Icon name="clock" size={18} />{' '}
            {t`Next: ${formatCents(next.amount_cents, plan.currency)} on ${formatDate(next.next_attempt_on)} (${INSTALLMENT_LABELS[next.status].toLowerCase()})`}
          </p>
        ) : null}
      </div>
      {st ? (
        <div class="bill-card-side">
          <Link href={`/billing/statements/${encodeURIComponent(st.id)}`} class="button button--secondary">
            {t`View`}
            <span class="visually-hidden"> {t`statement ${st.number}`}</span>
          </Link>
        </div>
      ) : null}
    </li>
  );
}
