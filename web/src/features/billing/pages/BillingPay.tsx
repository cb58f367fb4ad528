// Paying a statement, in full or in part (the receipt and payment plans have their own files).
//
// Never charging twice: every submission of one attempt (a double click, a retry after a lost answer) sends
// the same Idempotency-Key, so the API answers with the first result; a changed amount or card, or trying
// again after a final answer, is a new attempt with a new key.

import { useRef, useState } from 'preact/hooks';
import { ApiError } from '../../../shared/api/client';
import {
  type Attempt,
  attemptFor,
  type CardErrors,
  type CardInput,
  centsToInput,
  checkAmount,
  checkCard,
  formatCents,
  isPayable,
  newIdempotencyKey,
  simulatedToken,
} from '../billing';
import type { BillingSettings, Payment, Statement } from '../api';
import { Icon } from '../../../shared/ui/Icons';
import { ErrorSummary, Field, Notice, Page, type SummaryItem } from '../../../shared/ui/ui';
import { useApp } from '../../../shared/context';
import { formatDate } from '../../../shared/format';
import { Link, navigate } from '../../../router';
import { CardFields } from './BillingCard';
import { errorText, Loader, useBilling, useBillingLoad } from './BillingShared';
import { WaitingPayment } from './BillingPayWaiting';

/** Payments made in this tab, so their receipt opens with a thank-you. */
export const justPaid = new Set<string>();
export const EMPTY_CARD: CardInput = { number: '', expiry: '', cvc: '' };

export function BackLink({ statement }: { statement?: Statement | null }) {
  return (
    <p class="no-print bill-back">
      <Link href={statement ? `/billing/statements/${encodeURIComponent(statement.id)}` : '/billing'}>
        <Icon name="chevron" size={18} class="bill-back-icon" />
        {statement ? `Statement ${statement.number}` : 'Billing'}
      </Link>
    </p>
  );
}

export function focusSoon(id: string) {
  requestAnimationFrame(() => document.getElementById(id)?.focus());
}

export function cardSummaryItems(idPrefix: string, errors: CardErrors): SummaryItem[] {
  return (['number', 'expiry', 'cvc'] as const)
    .filter((k) => errors[k])
    .map((k) => ({ target: `${idPrefix}-${k}`, text: errors[k]! }));
}

// --- pay ------------------------------------------------------------------------------------------

export function PayPage({ statementId }: { statementId: string }) {
  const { patient } = useApp();
  const billing = useBilling();
  const pid = patient!.id;
  const statement = useBillingLoad((s) => billing.statement(pid, statementId, s), [pid, statementId], 'this statement');
  const settings = useBillingLoad((s) => billing.settings(s), [], 'how the clinic takes cards');

  return (
    <Page
      title="Pay a bill"
      heading={
        statement.data ? (
          <>
            Pay statement <span class="bill-nowrap">{statement.data.number}</span>
          </>
        ) : (
          'Pay a bill'
        )
      }
    >
      <BackLink statement={statement.data} />
      <Loader state={statement} label="Loading the statement…">
        {(s) => (
          <Loader state={settings} label="Loading…">
            {(cfg) => <PayForm key={s.id} statement={s} settings={cfg} onStatement={statement.set} />}
          </Loader>
        )}
      </Loader>
    </Page>
  );
}

type Outcome =
  | { kind: 'declined'; message: string }
  | { kind: 'error'; message: string }
  | { kind: 'waiting'; payment: Payment };

function PayForm({ statement, settings, onStatement }: { statement: Statement; settings: BillingSettings; onStatement: (s: Statement) => void }) {
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

  if (!isPayable(statement)) {
    return (
      <Notice tone="info" title={statement.plan_id ? 'This statement is on a payment plan' : 'Nothing to pay on this statement'}>
        <p>
          {statement.plan_id
            ? 'Its installments are charged automatically on their dates.'
            : statement.pending_cents > 0
              ? `${formatCents(statement.pending_cents, currency)} is being processed. Please don't pay again.`
              : 'This statement has no balance due.'}
        </p>
        <p>
          <Link href="/billing">Back to billing</Link>
        </p>
      </Notice>
    );
  }
  if (settings.provider !== 'simulated') {
    return (
      <Notice tone="info" title="Online card payments aren't available yet">
        <p>Please call the clinic's billing office to pay this statement.</p>
      </Notice>
    );
  }

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
    setOutcome({ kind: 'waiting', payment });
    focusSoon('pay-outcome');
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (inFlight.current) return; // a second click while the first is on its way sends nothing
    const amountCheck = mode === 'full' ? ({ ok: true, cents: balance } as const) : checkAmount(amount, balance, currency);
    const cardErrors = checkCard(card);
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
    const body = {
      statement_id: statement.id,
      amount_cents: amountCheck.cents,
      currency,
      card_token: simulatedToken(card.number, settings.test_cards),
    };
    const current = attemptFor(attempt.current, JSON.stringify(body), newIdempotencyKey);
    attempt.current = current;
    inFlight.current = true;
    setBusy(true);
    setOutcome(null);
    try {
      const payment = await billing.pay(pid, body, current.key);
      attempt.current = null; // a final answer: paying again is a new attempt
      finish(payment);
    } catch (err) {
      if (err instanceof ApiError && err.status === 402) {
        attempt.current = null;
        setErrors({ number: 'This card was not accepted. Try another card.' });
        setOutcome({ kind: 'declined', message: err.message });
        void reloadStatement();
      } else if (err instanceof ApiError && err.code === 'amount_exceeds_balance') {
        attempt.current = null;
        setMode('other');
        setErrors({ amount: 'This is more than the balance due now. Check the balance and enter a smaller amount.' });
        setSummary([{ target: 'pay-amount', text: 'The amount is more than the balance due.' }]);
        void reloadStatement();
      } else if (err instanceof ApiError && (err.code === 'network' || err.status >= 500)) {
        // Keep the key: pressing Pay again retries this same payment and can't charge twice.
        setOutcome({
          kind: 'error',
          message: `${errorText(err, 'Something went wrong on our side.')} Your card was not charged twice: press Pay again to check and finish this payment.`,
        });
      } else {
        attempt.current = null;
        setOutcome({ kind: 'error', message: errorText(err, 'This payment could not be made. Please try again.') });
        void reloadStatement();
      }
      focusSoon('pay-outcome');
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  };

  const payCents = mode === 'full' ? balance : (() => {
    const parsed = checkAmount(amount, balance, currency);
    return parsed.ok ? parsed.cents : null;
  })();

  return (
    <form class="bill-pay" noValidate onSubmit={submit} aria-busy={busy ? 'true' : 'false'}>
      <div class="bill-pay-balance card">
        <p>
          <span class="bill-stat-label">Balance due</span>
          <span class="bill-stat-value" id="pay-balance">
            {formatCents(balance, currency)}
          </span>
        </p>
        <p class="muted">
          {statement.state === 'overdue' ? 'Was due' : 'Due'} {formatDate(statement.due_date)}
        </p>
      </div>

      <ErrorSummary items={summary} />

      {outcome ? (
        <div id="pay-outcome" tabIndex={-1} class="bill-outcome">
          {outcome.kind === 'declined' ? (
            <Notice tone="error" role="alert" title="Your payment didn't go through">
              <p>{outcome.message}</p>
              <p>Your balance is unchanged: {formatCents(balance, currency)}.</p>
            </Notice>
          ) : outcome.kind === 'error' ? (
            <Notice tone="error" role="alert" title="Payment not completed">
              <p>{outcome.message}</p>
            </Notice>
          ) : (
            <WaitingPayment payment={outcome.payment} onDone={finish} onFailed={(m) => setOutcome({ kind: 'declined', message: m })} onReload={reloadStatement} />
          )}
        </div>
      ) : null}

      <fieldset class="bill-fieldset">
        <legend>How much would you like to pay?</legend>
        <div class="checks">
          <div class="check">
            <input type="radio" id="pay-full" name="pay-mode" checked={mode === 'full'} onChange={() => setMode('full')} />
            <label for="pay-full">The full balance, {formatCents(balance, currency)}</label>
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
            <label for="pay-other">Another amount</label>
          </div>
        </div>
        {mode === 'other' ? (
          <Field id="pay-amount" label="Amount to pay" hint={`In dollars, up to ${formatCents(balance, currency)}`} error={errors.amount} class="bill-amount-field">
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

      <CardFields idPrefix="pay-card" card={card} onCard={setCard} errors={errors} testCards={settings.test_cards} legend="Pay by card" />

      <div class="form-actions">
        <button type="submit" class="button button--primary bill-submit" aria-disabled={busy ? 'true' : undefined}>
          {busy ? 'Paying…' : payCents ? `Pay ${formatCents(payCents, currency)}` : 'Pay'}
        </button>
        <Link href={`/billing/statements/${encodeURIComponent(statement.id)}`} class="button button--ghost">
          Cancel
        </Link>
      </div>
      <p class="visually-hidden" role="status">
        {busy ? 'Sending your payment. Please wait.' : ''}
      </p>
    </form>
  );
}

export function todayIso(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
