// Paying a statement, in full or in part (the receipt and payment plans have their own files).
//
// Never charging twice: every submission of one attempt (a double click, a retry after a lost answer) sends
// the same Idempotency-Key, so the API answers with the first result; a changed amount or card, or trying
// again after a final answer, is a new attempt with a new key.

import { t } from '@lingui/core/macro';
import { Trans } from '@lingui/react/macro';
import { useEffect, useState } from 'preact/hooks';
import { Notice, Page } from '../../../shared/ui/ui';
import { useApp } from '../../../shared/context';
import { Link, navigate } from '../../../router';
import type { Payment } from '../api';
import { errorText, Loader, useBilling, useBillingLoad } from './BillingShared';
import { BackLink, justPaid } from './BillingPayParts';
import { PayForm } from './BillingPayForm';

// --- pay ------------------------------------------------------------------------------------------

export function PayPage({ statementId }: { statementId: string }) {
  const { patient } = useApp();
  const billing = useBilling();
  const pid = patient!.id;
  const returned = new URLSearchParams(location.search).get('payment');
  if (returned) return <ReturnedPayment statementId={statementId} paymentId={returned} />;
  return <PayStatement statementId={statementId} pid={pid} billing={billing} />;
}

/** Back from the card issuer's own page (Stripe.js chose a redirect for the check): read the outcome. */
function ReturnedPayment({ statementId, paymentId }: { statementId: string; paymentId: string }) {
  const { patient } = useApp();
  const billing = useBilling();
  const [payment, setPayment] = useState<Payment | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    billing
      .refreshPayment(patient!.id, paymentId)
      .then((p) => {
        if (p.status === 'succeeded') {
          justPaid.add(p.id);
          navigate(`/billing/receipts/${encodeURIComponent(p.id)}`, { replace: true });
        } else setPayment(p);
      })
      .catch((err) => setProblem(errorText(err, t`We couldn't check this payment. Please reload the page.`)));
  }, [paymentId]);
  const again = `/billing/statements/${encodeURIComponent(statementId)}/pay`;
  const open = payment && (payment.status === 'pending' || payment.status === 'requires_action' || payment.status === 'requires_payment_method');
  return (
    <Page title={t`Pay a bill`} heading={t`Your payment`}>
      {!payment && !problem ? (
        <p role="status" class="muted">
          {t`Checking your payment with the card processor…`}
        </p>
      ) : null}
      {problem ? (
        <Notice tone="error" role="alert" title={t`We couldn't check this payment`}>
          <p>{problem}</p>
        </Notice>
      ) : null}
      {payment ? (
        <Notice tone={open ? 'warning' : 'error'} role={open ? 'status' : 'alert'} title={open ? t`We're confirming your payment` : t`Your payment didn't go through`}>
          <p>{payment.message}</p>
        </Notice>
      ) : null}
      {payment || problem ? (
        <p>
          <Link href={open ? '/billing' : again}>{open ? t`Back to billing` : t`Try again`}</Link>
        </p>
      ) : null}
    </Page>
  );
}

function PayStatement({ statementId, pid, billing }: { statementId: string; pid: string; billing: ReturnType<typeof useBilling> }) {
  const statement = useBillingLoad((s) => billing.statement(pid, statementId, s), [pid, statementId], t`this statement`);
  const settings = useBillingLoad((s) => billing.settings(s), [], t`how the clinic takes cards`);

  return (
    <Page
      title={t`Pay a bill`}
      heading={
        statement.data ? (
          <Trans>
            Pay statement <span class="bill-nowrap">{statement.data.number}</span>
          </Trans>
        ) : (
          t`Pay a bill`
        )
      }
    >
      <BackLink statement={statement.data} />
      <Loader state={statement} label={t`Loading the statement…`}>
        {(s) => (
          <Loader state={settings} label={t`Loading…`}>
            {(cfg) => <PayForm key={s.id} statement={s} settings={cfg} onStatement={statement.set} />}
          </Loader>
        )}
      </Loader>
    </Page>
  );
}
