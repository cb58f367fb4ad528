// One statement, laid out so that printing it gives a proper paper statement.

import { t } from '@lingui/core/macro';
import { Trans } from '@lingui/react/macro';
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
  const printable = useBillingLoad((s) => billing.printable(pid, statementId, s), [pid, statementId], t`this statement`);
  const settings = useBillingLoad((s) => billing.settings(s), [], t`the billing settings`);
  const plans = useBillingLoad((s) => billing.plans(pid, s), [pid], t`payment plans`);
  const number = printable.data?.statement.number;

  return (
    <Page
      title={number ? t`Statement ${number}` : t`Statement`}
      heading={
        number ? (
          <Trans>
            Statement <span class="bill-nowrap">{number}</span>
          </Trans>
        ) : (
          t`Statement`
        )
      }
    >
      <p class="no-print bill-back">
        <Link href="/billing">
          <Icon name="chevron" size={18} class="bill-back-icon" />
          {t`All statements`}
        </Link>
      </p>
      <Loader state={printable} label={t`Loading the statement…`}>
        {(data) => {
          const s = data.statement;
          const plan = plans.data?.items.find((p) => p.id === s.plan_id) ?? null;
          const planOffered = settings.data && isPayable(s) && planMonthOptions(s.balance_cents, settings.data.plans).length > 0;
          return (
            <>
              <div class="bill-actions no-print">
                {isPayable(s) ? (
                  <Link href={`/billing/statements/${encodeURIComponent(s.id)}/pay`} class="button button--primary">
                    {t`Pay ${formatCents(s.balance_cents, s.currency)}`}
                  </Link>
                ) : null}
                {planOffered ? (
                  <Link href={`/billing/statements/${encodeURIComponent(s.id)}/plan`} class="button button--secondary">
                    {t`Set up a payment plan`}
                  </Link>
                ) : null}
                <button type="button" class="button button--secondary" onClick={() => window.print()}>
                  {t`Print statement`}
                </button>
              </div>
              {s.state === 'void' ? (
                <Notice tone="info" title={t`This statement was cancelled`}>
                  <p>
                    {s.voided_at ? t`The clinic voided it on ${formatDate(s.voided_at.slice(0, 10))}.` : t`The clinic voided it.`}
                    {s.void_reason ? ` (${s.void_reason})` : ''} {t`You don't need to pay it.`}
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
            {t`Billing questions: ${data.billing_phone ?? data.clinic_phone}`}
          </p>
        </div>
        <div class="bill-sheet-id">
          <h2 id="sheet-title">{t`Statement ${s.number}`}</h2>
          <p>
            <StateBadge state={s.state} />
          </p>
        </div>
      </header>
      <dl class="bill-facts">
        <div>
          <dt>{t`Patient`}</dt>
          <dd>{data.patient_name}</dd>
        </div>
        <div>
          <dt>{t`Statement date`}</dt>
          <dd>{formatDate(s.posted_at.slice(0, 10))}</dd>
        </div>
        <div>
          <dt>{t`Due date`}</dt>
          <dd>{formatDate(s.due_date)}</dd>
        </div>
        {s.provider_name ? (
          <div>
            <dt>{t`Provider`}</dt>
            <dd>{s.provider_name}</dd>
          </div>
        ) : null}
      </dl>

      <BillTable
        class="bill-lines"
        caption={t`Services`}
        captionShown
        columns={[{ label: t`Date` }, { label: t`Service` }, { label: t`Code` }, { label: t`Charge`, num: true }]}
      >
        {s.lines.map((l, i) => (
          <tr key={i}>
            <td data-label={t`Date`}>{formatDate(l.service_date)}</td>
            <td data-label={t`Service`}>{l.description}</td>
            <td data-label={t`Code`}>{l.code}</td>
            <td data-label={t`Charge`} class="num">
              {formatCents(l.charge_cents, c)}
            </td>
          </tr>
        ))}
      </BillTable>

      <dl class="bill-totals">
        <div>
          <dt>{t`Total charges`}</dt>
          <dd>{formatCents(s.total_charges_cents, c)}</dd>
        </div>
        <div>
          <dt>{t`Paid by insurance`}</dt>
          <dd>−{formatCents(s.insurance_paid_cents, c)}</dd>
        </div>
        <div>
          <dt>{t`Adjustments`}</dt>
          <dd>−{formatCents(s.adjustments_cents, c)}</dd>
        </div>
        <div class="bill-totals-strong">
          <dt>{t`Your responsibility`}</dt>
          <dd>{formatCents(s.patient_responsibility_cents, c)}</dd>
        </div>
        <div>
          <dt>{t`Payments received`}</dt>
          <dd>−{formatCents(s.paid_cents, c)}</dd>
        </div>
        {s.pending_cents > 0 ? (
          <div>
            <dt>{t`Being processed`}</dt>
            <dd>−{formatCents(s.pending_cents, c)}</dd>
          </div>
        ) : null}
        <div class="bill-totals-due">
          <dt>{s.status === 'void' ? t`Amount due (voided)` : t`Amount due`}</dt>
          <dd>{formatCents(s.status === 'void' ? 0 : s.balance_cents, c)}</dd>
        </div>
      </dl>

      {data.payments.length > 0 ? (
        <BillTable
          class="bill-lines"
          caption={t`Payments applied`}
          captionShown
          columns={[{ label: t`Date` }, { label: t`Card` }, { label: t`Receipt` }, { label: t`Amount`, num: true }]}
        >
          {data.payments.map((p) => (
            <tr key={p.id}>
              <td data-label={t`Date`}>{formatDateTime(p.at)}</td>
              <td data-label={t`Card`}>{cardWords(p.card_brand, p.card_last4)}</td>
              <td data-label={t`Receipt`}>
                {p.receipt_number ? (
                  <Link href={`/billing/receipts/${encodeURIComponent(p.id)}`}>{p.receipt_number}</Link>
                ) : (
                  '—'
                )}
              </td>
              <td data-label={t`Amount`} class="num">
                {formatCents(p.amount_cents, c)}
              </td>
            </tr>
          ))}
        </BillTable>
      ) : null}
      <p class="bill-sheet-foot muted small">
        {t`Pay online at ${data.portal_url} or call ${data.billing_phone ?? data.clinic_phone}. Keep this statement for your records.`}
      </p>
    </article>
  );
}

export function PlanDetails({ plan, title = t`Payment plan` }: { plan: Plan; title?: string }) {
  return (
    <section class="card bill-plan" aria-labelledby={`plan-${plan.id}`}>
      <h2 id={`plan-${plan.id}`}>
        {title} <span class={`bill-badge bill-badge--plan-${plan.status}`}>{PLAN_LABELS[plan.status]}</span>
      </h2>
      <p>
        {t`${plan.months} monthly payments of about ${formatCents(plan.installments[plan.installments.length - 1]?.amount_cents ?? 0, plan.currency)}, ${formatCents(plan.total_cents, plan.currency)} in all, charged to your ${cardWords(plan.card_brand, plan.card_last4)}.`}
      </p>
      <BillTable caption={t`Installments`} columns={[{ label: t`Payment` }, { label: t`Date` }, { label: t`Amount`, num: true }, { label: t`Status` }]}>
        {plan.installments.map((i) => (
          <tr key={i.number}>
            <td data-label={t`Payment`}>
              {t`${i.number} of ${plan.months}`}
            </td>
            <td data-label={t`Date`}>{formatDate(i.status === 'retrying' ? i.next_attempt_on : i.due_date)}</td>
            <td data-label={t`Amount`} class="num">
              {formatCents(i.amount_cents, plan.currency)}
            </td>
            <td data-label={t`Status`}>
              <span class={`bill-inst bill-inst--${i.status}`}>{INSTALLMENT_LABELS[i.status]}</span>
            </td>
          </tr>
        ))}
      </BillTable>
    </section>
  );
}
