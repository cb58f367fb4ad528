// One statement, laid out so that printing it gives a proper paper statement.

import { cardWords, formatCents, INSTALLMENT_LABELS, isPayable, PLAN_LABELS, planMonthOptions } from '../billing';
import type { Plan, PrintableStatement } from '../api';
import { Icon } from '../../../shared/ui/Icons';
import { Notice, Page } from '../../../shared/ui/ui';
import { formatDate, formatDateTime } from '../../../shared/format';
import { Link } from '../../../router';
import { BillTable, Loader, StateBadge, useBilling, useBillingLoad } from './BillingShared';
import { useApp } from '../../../shared/context';

export function StatementPage({ statementId }: { statementId: string }) {
  const { patient } = useApp();
  const billing = useBilling();
  const pid = patient!.id;
  const printable = useBillingLoad((s) => billing.printable(pid, statementId, s), [pid, statementId], 'this statement');
  const settings = useBillingLoad((s) => billing.settings(s), [], 'the billing settings');
  const plans = useBillingLoad((s) => billing.plans(pid, s), [pid], 'payment plans');
  const number = printable.data?.statement.number;

  return (
    <Page
      title={number ? `Statement ${number}` : 'Statement'}
      heading={
        number ? (
          <>
            Statement <span class="bill-nowrap">{number}</span>
          </>
        ) : (
          'Statement'
        )
      }
    >
      <p class="no-print bill-back">
        <Link href="/billing">
          <Icon name="chevron" size={18} class="bill-back-icon" />
          All statements
        </Link>
      </p>
      <Loader state={printable} label="Loading the statement…">
        {(data) => {
          const s = data.statement;
          const plan = plans.data?.items.find((p) => p.id === s.plan_id) ?? null;
          const planOffered = settings.data && isPayable(s) && planMonthOptions(s.balance_cents, settings.data.plans).length > 0;
          return (
            <>
              <div class="bill-actions no-print">
                {isPayable(s) ? (
                  <Link href={`/billing/statements/${encodeURIComponent(s.id)}/pay`} class="button button--primary">
                    Pay {formatCents(s.balance_cents, s.currency)}
                  </Link>
                ) : null}
                {planOffered ? (
                  <Link href={`/billing/statements/${encodeURIComponent(s.id)}/plan`} class="button button--secondary">
                    Set up a payment plan
                  </Link>
                ) : null}
                <button type="button" class="button button--secondary" onClick={() => window.print()}>
                  Print statement
                </button>
              </div>
              {s.state === 'void' ? (
                <Notice tone="info" title="This statement was cancelled">
                  <p>
                    The clinic voided it{s.voided_at ? ` on ${formatDate(s.voided_at.slice(0, 10))}` : ''}
                    {s.void_reason ? ` (${s.void_reason})` : ''}. You don't need to pay it.
                  </p>
                </Notice>
              ) : null}
              <StatementSheet data={data} />
              {plan ? <PlanDetails plan={plan} /> : null}
            </>
          );
        }}
      </Loader>
    </Page>
  );
}

function StatementSheet({ data }: { data: PrintableStatement }) {
  const s = data.statement;
  const c = s.currency;
  return (
    <article class="card bill-sheet" aria-labelledby="sheet-title">
      <header class="bill-sheet-head">
        <div>
          <p class="bill-sheet-clinic">{data.clinic_name}</p>
          {data.clinic_address ? <p class="muted">{data.clinic_address}</p> : null}
          <p class="muted">
            Billing questions: {data.billing_phone ?? data.clinic_phone}
          </p>
        </div>
        <div class="bill-sheet-id">
          <h2 id="sheet-title">Statement {s.number}</h2>
          <p>
            <StateBadge state={s.state} />
          </p>
        </div>
      </header>
      <dl class="bill-facts">
        <div>
          <dt>Patient</dt>
          <dd>{data.patient_name}</dd>
        </div>
        <div>
          <dt>Statement date</dt>
          <dd>{formatDate(s.posted_at.slice(0, 10))}</dd>
        </div>
        <div>
          <dt>Due date</dt>
          <dd>{formatDate(s.due_date)}</dd>
        </div>
        {s.provider_name ? (
          <div>
            <dt>Provider</dt>
            <dd>{s.provider_name}</dd>
          </div>
        ) : null}
      </dl>

      <BillTable
        class="bill-lines"
        caption="Services"
        captionShown
        columns={[{ label: 'Date' }, { label: 'Service' }, { label: 'Code' }, { label: 'Charge', num: true }]}
      >
        {s.lines.map((l, i) => (
          <tr key={i}>
            <td data-label="Date">{formatDate(l.service_date)}</td>
            <td data-label="Service">{l.description}</td>
            <td data-label="Code">{l.code}</td>
            <td data-label="Charge" class="num">
              {formatCents(l.charge_cents, c)}
            </td>
          </tr>
        ))}
      </BillTable>

      <dl class="bill-totals">
        <div>
          <dt>Total charges</dt>
          <dd>{formatCents(s.total_charges_cents, c)}</dd>
        </div>
        <div>
          <dt>Paid by insurance</dt>
          <dd>−{formatCents(s.insurance_paid_cents, c)}</dd>
        </div>
        <div>
          <dt>Adjustments</dt>
          <dd>−{formatCents(s.adjustments_cents, c)}</dd>
        </div>
        <div class="bill-totals-strong">
          <dt>Your responsibility</dt>
          <dd>{formatCents(s.patient_responsibility_cents, c)}</dd>
        </div>
        <div>
          <dt>Payments received</dt>
          <dd>−{formatCents(s.paid_cents, c)}</dd>
        </div>
        {s.pending_cents > 0 ? (
          <div>
            <dt>Being processed</dt>
            <dd>−{formatCents(s.pending_cents, c)}</dd>
          </div>
        ) : null}
        <div class="bill-totals-due">
          <dt>{s.status === 'void' ? 'Amount due (voided)' : 'Amount due'}</dt>
          <dd>{formatCents(s.status === 'void' ? 0 : s.balance_cents, c)}</dd>
        </div>
      </dl>

      {data.payments.length > 0 ? (
        <BillTable
          class="bill-lines"
          caption="Payments applied"
          captionShown
          columns={[{ label: 'Date' }, { label: 'Card' }, { label: 'Receipt' }, { label: 'Amount', num: true }]}
        >
          {data.payments.map((p) => (
            <tr key={p.id}>
              <td data-label="Date">{formatDateTime(p.at)}</td>
              <td data-label="Card">{cardWords(p.card_brand, p.card_last4)}</td>
              <td data-label="Receipt">
                {p.receipt_number ? (
                  <Link href={`/billing/receipts/${encodeURIComponent(p.id)}`}>{p.receipt_number}</Link>
                ) : (
                  '—'
                )}
              </td>
              <td data-label="Amount" class="num">
                {formatCents(p.amount_cents, c)}
              </td>
            </tr>
          ))}
        </BillTable>
      ) : null}
      <p class="bill-sheet-foot muted small">
        Pay online at {data.portal_url} or call {data.billing_phone ?? data.clinic_phone}. Keep this statement for your records.
      </p>
    </article>
  );
}

export function PlanDetails({ plan, title = 'Payment plan' }: { plan: Plan; title?: string }) {
  return (
    <section class="card bill-plan" aria-labelledby={`plan-${plan.id}`}>
      <h2 id={`plan-${plan.id}`}>
        {title} <span class={`bill-badge bill-badge--plan-${plan.status}`}>{PLAN_LABELS[plan.status]}</span>
      </h2>
      <p>
        {plan.months} monthly payments of about {formatCents(plan.installments[plan.installments.length - 1]?.amount_cents ?? 0, plan.currency)},{' '}
        {formatCents(plan.total_cents, plan.currency)} in all, charged to your {cardWords(plan.card_brand, plan.card_last4)}.
      </p>
      <BillTable caption="Installments" columns={[{ label: 'Payment' }, { label: 'Date' }, { label: 'Amount', num: true }, { label: 'Status' }]}>
        {plan.installments.map((i) => (
          <tr key={i.number}>
            <td data-label="Payment">
              {i.number} of {plan.months}
            </td>
            <td data-label="Date">{formatDate(i.status === 'retrying' ? i.next_attempt_on : i.due_date)}</td>
            <td data-label="Amount" class="num">
              {formatCents(i.amount_cents, plan.currency)}
            </td>
            <td data-label="Status">
              <span class={`bill-inst bill-inst--${i.status}`}>{INSTALLMENT_LABELS[i.status]}</span>
            </td>
          </tr>
        ))}
      </BillTable>
    </section>
  );
}
