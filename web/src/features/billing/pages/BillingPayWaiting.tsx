// A payment waiting on the card issuer (3-D Secure) or on the processor: check again, or confirm (demo).

import { t } from '@lingui/core/macro';
import { useState } from 'preact/hooks';
import { cardWords, formatCents } from '../billing';
import type { Payment } from '../api';
import { Notice } from '../../../shared/ui/ui';
import { useApp } from '../../../shared/context';
import { errorText, useBilling } from './BillingShared';

/** A payment that isn't final yet: a card issuer's confirmation step, or an answer still on its way. */
export function WaitingPayment({
  payment,
  simulated,
  onDone,
  onFailed,
  onReload,
}: {
  payment: Payment;
  simulated: boolean;
  onDone: (p: Payment) => void;
  onFailed: (message: string) => void;
  onReload: () => void;
}) {
  const { patient } = useApp();
  const billing = useBilling();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const handle = (p: Payment) => {
    if (p.status === 'succeeded') onDone(p);
    else if (p.status === 'declined' || p.status === 'failed' || p.status === 'canceled') {
      onFailed(p.message);
      onReload();
    } else setError(p.message);
  };
  const run = async (call: () => Promise<Payment>) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      handle(await call());
    } catch (e) {
      setError(errorText(e, t`We couldn't check this payment. Please try again.`));
    } finally {
      setBusy(false);
    }
  };
  const pid = patient!.id;
  const secret = payment.next_action?.client_secret;
  if (payment.status === 'requires_action' && simulated && secret) {
    return (
      <Notice tone="warning" title={t`Your card issuer asks you to confirm this payment`}>
        <p>
          {t`${formatCents(payment.amount_cents, payment.currency)} on your ${cardWords(payment.card_brand, payment.card_last4)}. Nothing is charged until you confirm.`}
        </p>
        <p class="small muted">{t`Demo clinic: this stands in for your bank's own confirmation page.`}</p>
        <div class="bill-actions">
          <button type="button" class="button button--primary" onClick={() => run(() => billing.confirmSimulated(pid, payment.id, { client_secret: secret, approve: true }))}>
            {t`Confirm payment`}
          </button>
          <button type="button" class="button button--secondary" onClick={() => run(() => billing.confirmSimulated(pid, payment.id, { client_secret: secret, approve: false }))}>
            {t`Don't confirm`}
          </button>
        </div>
        {error ? <p class="field-error">{error}</p> : null}
      </Notice>
    );
  }
  return (
    <Notice tone="warning" role="status" title={t`We're confirming your payment`}>
      <p>{payment.message}</p>
      <button type="button" class="button button--secondary" onClick={() => run(() => billing.refreshPayment(pid, payment.id))}>
        {busy ? t`Checking…` : t`Check again`}
      </button>
      {error ? <p>{error}</p> : null}
    </Notice>
  );
}

// --- receipt --------------------------------------------------------------------------------------
