// The form for paying a statement, in full or in part (see BillingPay for how a payment is never charged twice).

import { t } from '@lingui/core/macro';
import { Trans } from '@lingui/react/macro';
import { useRef, useState } from 'preact/hooks';
import { ApiError } from '../../../shared/api/client';
import {
  type Attempt,
  attemptFor,
  type CardErrors,
  type CardInput,
  centsToInput,
  checkAmount,
  cardDigits,
  checkCard,
  formatCents,
  isPayable,
  newIdempotencyKey,
  simulatedToken,
} from '../billing';
import type { BillingSettings, Payment, Statement } from '../api';
import { ErrorSummary, Field, Notice, type SummaryItem } from '../../../shared/ui/ui';
import { useApp } from '../../../shared/context';
import { formatDate } from '../../../shared/format';
import { Link, navigate } from '../../../router';
import { CardFields } from './BillingCard';
import { errorText, useBilling } from './BillingShared';
import { WaitingPayment } from './BillingPayWaiting';
import { cardSummaryItems, EMPTY_CARD, focusSoon, justPaid } from './BillingPayParts';
import { StripeCardFields } from './BillingStripe';
import type { CardForm } from '../stripe';

const notReached = () => t`The payment didn't reach the card processor. You were not charged; press Pay again to try once more.`;

type Outcome =
  | { kind: 'declined'; message: string }
  | { kind: 'error'; message: string }
  | { kind: 'waiting'; payment: Payment };

export function PayForm({ statement, settings, onStatement }: { statement: Statement; settings: BillingSettings; onStatement: (s: Statement) => void }) {
  const { patient } = useApp();
  const billing = useBilling();
  const pid = patient!.id;
  const balance = statement.balance_cents;
  const currency = statement.currency;
  const [mode, setMode] = useState<'full' | 'other'>('full');
  const [amount, setAmount] = useState('');
  const [card, setCard] = useState<CardInput>(EMPTY_CARD);
  const [errors, setErrors] = useState<{ amount?: string } & CardErrors>({});
  const [summary, setSummary] = useState<SummaryItem[]>([]);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const attempt = useRef<Attempt | null>(null);
  const inFlight = useRef(false);
  const [started, setStarted] = useState<Payment | null>(null); // Stripe: the intent waiting for the card
  const stripeForm = useRef<CardForm | null>(null);

  if (!isPayable(statement)) {
    return (
      <Notice tone="info" title={statement.plan_id ? t`This statement is on a payment plan` : t`Nothing to pay on this statement`}>
        <p>
          {statement.plan_id
            ? t`Its installments are charged automatically on their dates.`
            : statement.pending_cents > 0
              ? t`${formatCents(statement.pending_cents, currency)} is being processed. Please don't pay again.`
              : t`This statement has no balance due.`}
        </p>
        <p>
          <Link href="/billing">{t`Back to billing`}</Link>
        </p>
      </Notice>
    );
  }
  const stripe = settings.provider === 'stripe' && settings.stripe_publishable_key ? settings.stripe_publishable_key : null;

  const reloadStatement = () =>
    billing
      .statement(pid, statement.id)
      .then(onStatement)
      .catch(() => undefined);

  const finish = (payment: Payment) => {
    if (payment.status === 'succeeded') {
      justPaid.add(payment.id);
      navigate(`/billing/receipts/${encodeURIComponent(payment.id)}`);
      return;
    }
    if (payment.status === 'declined' || payment.status === 'failed' || payment.status === 'canceled') {
      attempt.current = null; // a final answer: paying again is a new attempt
      setStarted(null);
      if (!stripe) setErrors({ number: t`This card was not accepted. Try another card.` });
      setOutcome({ kind: 'declined', message: payment.message });
      void reloadStatement();
      focusSoon('pay-outcome');
      return;
    }
    setOutcome({ kind: 'waiting', payment });
    focusSoon('pay-outcome');
  };


  const submit = async (e: Event) => {
    e.preventDefault();
    if (inFlight.current) return; // a second click while the first is on its way sends nothing
    const amountCheck = mode === 'full' ? ({ ok: true, cents: balance } as const) : checkAmount(amount, balance, currency);
    const cardErrors = stripe ? {} : checkCard(card);
    const next: { amount?: string } & CardErrors = { ...cardErrors };
    if (!amountCheck.ok) next.amount = amountCheck.error;
    setErrors(next);
    const items = [...(next.amount ? [{ target: 'pay-amount', text: next.amount }] : []), ...cardSummaryItems('pay-card', cardErrors)];
    setSummary(items);
    if (items.length > 0 || !amountCheck.ok) {
      setOutcome(null);
      focusSoon('error-summary-title');
      return;
    }
    const cents = amountCheck.cents;
    // The attempt is the amount and (simulated) the card: changing either is a new attempt, a new key.
    const fingerprint = JSON.stringify({ cents, card: stripe ? null : cardDigits(card.number) });
    const current = attemptFor(attempt.current, fingerprint, newIdempotencyKey);
    attempt.current = current;
    inFlight.current = true;
    setBusy(true);
    setOutcome(null);
    try {
      const body = { statement_id: statement.id, amount_cents: mode === 'full' ? null : cents, currency };
      const payment = await billing.pay(pid, body, current.key);
      if (stripe) {
        setStarted(payment); // the card fields mount for this intent
        focusSoon('pay-card-step');
        return;
      }
      await confirmSimulated(payment);
    } catch (err) {
      handleError(err);
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  };

  /** Demo clinic: the browser gives the test card's token to the (simulated) processor, as Stripe.js would. */
  const confirmSimulated = async (payment: Payment) => {
    if (payment.next_action?.type !== 'confirm_card') {
      finish(payment);
      return;
    }
    try {
      const body = { client_secret: payment.next_action.client_secret, card_token: simulatedToken(card.number, settings.test_cards) };
      finish(await billing.confirmSimulated(pid, payment.id, body));
    } catch (err) {
      if (err instanceof ApiError && (err.code === 'network' || err.status >= 500)) {
        setOutcome({ kind: 'error', message: notReached() }); // the same attempt: Pay confirms it again
        focusSoon('pay-outcome');
        return;
      }
      throw err;
    }
  };

  /** Stripe: Stripe.js confirms the intent with the card (and runs 3-D Secure); then we read the outcome. */
  const payWithStripe = async (e: Event) => {
    e.preventDefault();
    if (inFlight.current || !started || !stripeForm.current) return;
    inFlight.current = true;
    setBusy(true);
    setOutcome(null);
    try {
      const back = `${location.origin}/billing/statements/${encodeURIComponent(statement.id)}/pay?payment=${encodeURIComponent(started.id)}`;
      const result = await stripeForm.current.confirm(back);
      if (!result.ok && result.retry && !/incomplete|invalid/i.test(result.message)) {
        // Declined: that intent is finished (the server cancels it); the next try gets a new one.
        const after = await billing.refreshPayment(pid, started.id).catch(() => started);
        attempt.current = null;
        setStarted(null);
        setOutcome({ kind: 'declined', message: result.message });
        void reloadStatement();
        void after;
      } else if (!result.ok) {
        setOutcome({ kind: 'error', message: result.message });
      } else {
        finish(await billing.refreshPayment(pid, started.id));
        return;
      }
      focusSoon('pay-outcome');
    } catch (err) {
      handleError(err);
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  };

  const handleError = (err: unknown) => {
    if (err instanceof ApiError && err.code === 'amount_exceeds_balance') {
      attempt.current = null;
      setMode('other');
      setErrors({ amount: t`This is more than the balance due now. Check the balance and enter a smaller amount.` });
      setSummary([{ target: 'pay-amount', text: t`The amount is more than the balance due.` }]);
      void reloadStatement();
    } else if (err instanceof ApiError && (err.code === 'network' || err.status >= 500)) {
      // Keep the key: pressing Pay again retries this same payment and can't charge twice.
      setOutcome({
        kind: 'error',
        message: `${errorText(err, t`Something went wrong on our side.`)} ${t`Your card was not charged twice: press Pay again to check and finish this payment.`}`,
      });
    } else {
      attempt.current = null;
      setOutcome({ kind: 'error', message: errorText(err, t`This payment could not be made. Please try again.`) });
      void reloadStatement();
    }
    focusSoon('pay-outcome');
  };

  const payCents = mode === 'full' ? balance : (() => {
    const parsed = checkAmount(amount, balance, currency);
    return parsed.ok ? parsed.cents : null;
  })();

  return (
    <form class="bill-pay" noValidate onSubmit={started ? payWithStripe : submit} aria-busy={busy ? 'true' : 'false'}>
      <div class="bill-pay-balance card">
        <p>
          <span class="bill-stat-label">{t`Balance due`}</span>
          <span class="bill-stat-value" id="pay-balance">
            {formatCents(balance, currency)}
          </span>
        </p>
        <p class="muted">
          {statement.state === 'overdue' ? t`Was due ${formatDate(statement.due_date)}` : t`Due ${formatDate(statement.due_date)}`}
        </p>
      </div>

      <ErrorSummary items={summary} />

      {outcome ? (
        <div id="pay-outcome" tabIndex={-1} class="bill-outcome">
          {outcome.kind === 'declined' ? (
            <Notice tone="error" role="alert" title={t`Your payment didn't go through`}>
              <p>{outcome.message}</p>
              <p>{t`Your balance is unchanged: ${formatCents(balance, currency)}.`}</p>
            </Notice>
          ) : outcome.kind === 'error' ? (
            <Notice tone="error" role="alert" title={t`Payment not completed`}>
              <p>{outcome.message}</p>
            </Notice>
          ) : (
            <WaitingPayment payment={outcome.payment} simulated={!stripe} onDone={finish} onFailed={(m) => setOutcome({ kind: 'declined', message: m })} onReload={reloadStatement} />
          )}
        </div>
      ) : null}

      {started && started.next_action && stripe ? (
        <div id="pay-card-step" tabIndex={-1} class="bill-pay-step">
          <p class="bill-pay-paying">
            <Trans>
              Paying <strong>{formatCents(started.amount_cents, currency)}</strong>
            </Trans>{' '}
            <button
              type="button"
              class="link-button"
              onClick={() => {
                attempt.current = null; // a new amount is a new attempt; the unused intent is canceled then
                setStarted(null);
              }}
            >
              {t`Change the amount`}
            </button>
          </p>
          <StripeCardFields
            publishableKey={stripe}
            clientSecret={started.next_action.client_secret}
            mode="payment"
            legend={t`Pay by card`}
            onForm={(form) => {
              stripeForm.current = form;
            }}
          />
        </div>
      ) : (
        amountChoice()
      )}

      {stripe ? null : (
        <CardFields idPrefix="pay-card" card={card} onCard={setCard} errors={errors} testCards={settings.test_cards} legend={t`Pay by card`} />
      )}

      <div class="form-actions">
        <button type="submit" class="button button--primary bill-submit" aria-disabled={busy ? 'true' : undefined}>
          {busy
            ? stripe && !started
              ? t`Preparing…`
              : t`Paying…`
            : stripe && !started
              ? t`Continue to card details`
              : payCents
                ? t`Pay ${formatCents(started ? started.amount_cents : payCents, currency)}`
                : t`Pay`}
        </button>
        <Link href={`/billing/statements/${encodeURIComponent(statement.id)}`} class="button button--ghost">
          {t`Cancel`}
        </Link>
      </div>
      <p class="visually-hidden" role="status">
        {busy ? t`Sending your payment. Please wait.` : ''}
      </p>
    </form>
  );

  function amountChoice() {
    return (
      <fieldset class="bill-fieldset">
        <legend>{t`How much would you like to pay?`}</legend>
        <div class="checks">
          <div class="check">
            <input type="radio" id="pay-full" name="pay-mode" checked={mode === 'full'} onChange={() => setMode('full')} />
            <label for="pay-full">{t`The full balance, ${formatCents(balance, currency)}`}</label>
          </div>
          <div class="check">
            <input
              type="radio"
              id="pay-other"
              name="pay-mode"
              checked={mode === 'other'}
              onChange={() => {
                setMode('other');
                if (!amount) setAmount('');
                focusSoon('pay-amount');
              }}
            />
            <label for="pay-other">{t`Another amount`}</label>
          </div>
        </div>
        {mode === 'other' ? (
          <Field id="pay-amount" label={t`Amount to pay`} hint={t`In dollars, up to ${formatCents(balance, currency)}`} error={errors.amount} class="bill-amount-field">
            {(describedBy, invalid) => (
              <span class="bill-dollar">
                <span aria-hidden="true">$</span>
                <input
                  id="pay-amount"
                  name="amount"
                  type="text"
                  inputMode="decimal"
                  autoComplete="off"
                  placeholder={centsToInput(Math.min(balance, 2500))}
                  value={amount}
                  onInput={(e) => setAmount((e.currentTarget as HTMLInputElement).value)}
                  aria-describedby={describedBy}
                  aria-invalid={invalid ? 'true' : undefined}
                />
              </span>
            )}
          </Field>
        ) : null}
      </fieldset>
    );
  }
}
