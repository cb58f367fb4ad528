// Paying a statement (in full or in part), the receipt, and a payment plan for the rest.
//
// Never charging twice: every submission of one attempt (a double click, a retry after a lost answer) sends
// the same Idempotency-Key, so the API answers with the first result; a changed amount or card, or trying
// again after a final answer, is a new attempt with a new key.

import { useRef, useState } from 'preact/hooks';
import { ApiError } from '../../../shared/api/client';
import {
  attemptFor,
  cardWords,
  centsToInput,
  checkAmount,
  checkCard,
  formatCents,
  isPayable,
  newIdempotencyKey,
  planMonthOptions,
  planSchedule,
  simulatedToken,
  type Attempt,
  type BillingSettings,
  type CardErrors,
  type CardInput,
  type Payment,
  type Plan,
  type Statement,
} from '../billing';
import { Icon } from '../../../shared/ui/Icons';
import { ErrorSummary, Field, Notice, Page, type SummaryItem } from '../../../shared/ui/ui';
import { useApp } from '../../../shared/context';
import { formatDate, formatDateTime } from '../../../shared/format';
import { Link, navigate } from '../../../router';
import { CardFields } from './BillingCard';
import { errorText, Loader, useBilling, useBillingLoad } from './BillingShared';
import { PlanDetails } from './BillingStatement';

/** Payments made in this tab, so their receipt opens with a thank-you. */
const justPaid = new Set<string>();
const EMPTY_CARD: CardInput = { number: '', expiry: '', cvc: '' };

function BackLink({ statement }: { statement?: Statement | null }) {
  return (
    <p class="no-print bill-back">
      <Link href={statement ? `/billing/statements/${encodeURIComponent(statement.id)}` : '/billing'}>
        <Icon name="chevron" size={18} class="bill-back-icon" />
        {statement ? `Statement ${statement.number}` : 'Billing'}
      </Link>
    </p>
  );
}

function focusSoon(id: string) {
  requestAnimationFrame(() => document.getElementById(id)?.focus());
}

function cardSummaryItems(idPrefix: string, errors: CardErrors): SummaryItem[] {
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

/** A payment that isn't final yet: a card issuer's confirmation step, or an answer still on its way. */
function WaitingPayment({
  payment,
  onDone,
  onFailed,
  onReload,
}: {
  payment: Payment;
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
    else if (p.status === 'declined' || p.status === 'failed') {
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
      setError(errorText(e, "We couldn't check this payment. Please try again."));
    } finally {
      setBusy(false);
    }
  };
  const pid = patient!.id;
  if (payment.status === 'requires_action') {
    return (
      <Notice tone="warning" title="Your card issuer asks you to confirm this payment">
        <p>
          {formatCents(payment.amount_cents, payment.currency)} on your {cardWords(payment.card_brand, payment.card_last4)}. Nothing is charged until
          you confirm.
        </p>
        <p class="small muted">Demo clinic: this stands in for your bank's own confirmation page.</p>
        <div class="bill-actions">
          <button type="button" class="button button--primary" onClick={() => run(() => billing.confirmSimulated(pid, payment.id, true))}>
            Confirm payment
          </button>
          <button type="button" class="button button--secondary" onClick={() => run(() => billing.confirmSimulated(pid, payment.id, false))}>
            Don't confirm
          </button>
        </div>
        {error ? <p class="field-error">{error}</p> : null}
      </Notice>
    );
  }
  return (
    <Notice tone="warning" role="status" title="We're confirming your payment">
      <p>{payment.message}</p>
      <button type="button" class="button button--secondary" onClick={() => run(() => billing.refreshPayment(pid, payment.id))}>
        {busy ? 'Checking…' : 'Check again'}
      </button>
      {error ? <p>{error}</p> : null}
    </Notice>
  );
}

// --- receipt --------------------------------------------------------------------------------------

export function ReceiptPage({ paymentId }: { paymentId: string }) {
  const { patient } = useApp();
  const billing = useBilling();
  const pid = patient!.id;
  const receipt = useBillingLoad((s) => billing.receipt(pid, paymentId, s), [pid, paymentId], 'this receipt');
  const statementId = receipt.data?.payment.statement_id ?? null;
  const statement = useBillingLoad(
    (s) => (statementId ? billing.statement(pid, statementId, s) : Promise.resolve(null)),
    [pid, statementId],
    'the statement',
  );
  const settings = useBillingLoad((s) => billing.settings(s), [], 'the billing settings');
  const fresh = justPaid.has(paymentId);

  return (
    <Page title="Receipt" heading={fresh ? 'Thank you, your payment was received' : 'Payment receipt'}>
      <p class="no-print bill-back">
        <Link href="/billing">
          <Icon name="chevron" size={18} class="bill-back-icon" />
          Billing
        </Link>
      </p>
      <Loader state={receipt} label="Loading the receipt…">
        {(r) => {
          const st = statement.data;
          const remaining = st ? st.balance_cents : r.statement_balance_cents;
          const planOffered =
            st && settings.data && isPayable(st) && planMonthOptions(st.balance_cents, settings.data.plans).length > 0;
          return (
            <>
              {fresh ? (
                <Notice tone="success" role="status" title={`${formatCents(r.payment.amount_cents, r.payment.currency)} paid`}>
                  <p>
                    {remaining > 0
                      ? `Statement ${r.statement_number} now has ${formatCents(remaining, r.payment.currency)} left to pay.`
                      : `Statement ${r.statement_number} is paid in full.`}
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
                    <h2 id="receipt-title">Receipt {r.receipt_number}</h2>
                  </div>
                </header>
                <dl class="bill-facts bill-facts--receipt">
                  <div>
                    <dt>Amount paid</dt>
                    <dd class="bill-receipt-amount">{formatCents(r.payment.amount_cents, r.payment.currency)}</dd>
                  </div>
                  <div>
                    <dt>Paid on</dt>
                    <dd>{formatDateTime(r.payment.succeeded_at ?? r.payment.created_at)}</dd>
                  </div>
                  <div>
                    <dt>Card</dt>
                    <dd>{cardWords(r.payment.card_brand, r.payment.card_last4)}</dd>
                  </div>
                  <div>
                    <dt>Patient</dt>
                    <dd>{r.patient_name}</dd>
                  </div>
                  <div>
                    <dt>For statement</dt>
                    <dd>{r.statement_number}</dd>
                  </div>
                  <div>
                    <dt>Balance left on this statement</dt>
                    <dd id="receipt-remaining">{formatCents(remaining, r.payment.currency)}</dd>
                  </div>
                </dl>
              </article>
              <div class="bill-actions no-print">
                {planOffered && st ? (
                  <Link href={`/billing/statements/${encodeURIComponent(st.id)}/plan`} class="button button--primary">
                    Set up a payment plan for the rest
                  </Link>
                ) : null}
                {st && isPayable(st) ? (
                  <Link href={`/billing/statements/${encodeURIComponent(st.id)}/pay`} class="button button--secondary">
                    Pay the rest now
                  </Link>
                ) : null}
                <button type="button" class="button button--secondary" onClick={() => window.print()}>
                  Print receipt
                </button>
                <Link href="/billing" class="button button--ghost">
                  Back to billing
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

export function PlanPage({ statementId }: { statementId: string }) {
  const { patient } = useApp();
  const billing = useBilling();
  const pid = patient!.id;
  const statement = useBillingLoad((s) => billing.statement(pid, statementId, s), [pid, statementId], 'this statement');
  const settings = useBillingLoad((s) => billing.settings(s), [], 'the payment plan options');
  const [created, setCreated] = useState<Plan | null>(null);

  return (
    <Page title="Set up a payment plan" lead="Split what is left into monthly payments, charged automatically to your card.">
      <BackLink statement={statement.data} />
      {created ? (
        <PlanCreated plan={created} />
      ) : (
        <Loader state={statement} label="Loading the statement…">
          {(s) => (
            <Loader state={settings} label="Loading…">
              {(cfg) => <PlanForm statement={s} settings={cfg} onCreated={setCreated} />}
            </Loader>
          )}
        </Loader>
      )}
    </Page>
  );
}

function PlanCreated({ plan }: { plan: Plan }) {
  const first = plan.installments[0];
  const firstFailed = first && (first.status === 'retrying' || first.status === 'missed');
  return (
    <>
      <div id="plan-done" tabIndex={-1}>
        <Notice tone={firstFailed ? 'warning' : 'success'} role="status" title="Your payment plan is set up">
          <p>
            {first?.status === 'paid'
              ? `The first payment of ${formatCents(first.amount_cents, plan.currency)} was charged today. `
              : firstFailed
                ? `The first payment couldn't be charged today; we'll try again on ${formatDate(first.next_attempt_on)}. You can also call us to use another card. `
                : ''}
            We'll charge the rest on the dates below and email you a reminder to check the portal.
          </p>
        </Notice>
      </div>
      <PlanDetails plan={plan} title="Your payment plan" />
      <div class="bill-actions">
        <Link href="/billing" class="button button--primary">
          Back to billing
        </Link>
      </div>
    </>
  );
}

function todayIso(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function PlanForm({ statement, settings, onCreated }: { statement: Statement; settings: BillingSettings; onCreated: (p: Plan) => void }) {
  const { patient, clinic } = useApp();
  const billing = useBilling();
  const pid = patient!.id;
  const balance = statement.balance_cents;
  const currency = statement.currency;
  const options = planMonthOptions(balance, settings.plans);
  const [months, setMonths] = useState<number | null>(null);
  const [card, setCard] = useState<CardInput>(EMPTY_CARD);
  const [agree, setAgree] = useState(false);
  const [errors, setErrors] = useState<{ months?: string; agree?: string } & CardErrors>({});
  const [summary, setSummary] = useState<SummaryItem[]>([]);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  if (statement.plan_id) {
    return (
      <Notice tone="info" title="This statement already has a payment plan">
        <p>
          <Link href={`/billing/statements/${encodeURIComponent(statement.id)}`}>See the plan on the statement</Link>
        </p>
      </Notice>
    );
  }
  if (!isPayable(statement) || options.length === 0) {
    return (
      <Notice tone="info" title="A payment plan isn't available for this statement">
        <p>
          {isPayable(statement)
            ? `Plans are for balances of ${formatCents(settings.plans.min_balance_cents, currency)} or more, with payments of at least ${formatCents(settings.plans.min_installment_cents, currency)} a month.`
            : 'There is no balance left to spread out.'}{' '}
          Please call us{clinic ? ` at ${clinic.phone_display}` : ''} if you need help paying.
        </p>
      </Notice>
    );
  }

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    const cardErrors = checkCard(card);
    const next: { months?: string; agree?: string } & CardErrors = { ...cardErrors };
    if (!months) next.months = 'Choose how many months to pay over.';
    if (!agree) next.agree = 'Confirm that we may charge your card on these dates.';
    setErrors(next);
    const items: SummaryItem[] = [
      ...(next.months ? [{ target: `plan-months-${options[0]}`, text: next.months }] : []),
      ...cardSummaryItems('plan-card', cardErrors),
      ...(next.agree ? [{ target: 'plan-agree', text: next.agree }] : []),
    ];
    setSummary(items);
    if (items.length > 0 || !months) {
      focusSoon('error-summary-title');
      return;
    }
    setBusy(true);
    setFailure(null);
    try {
      const plan = await billing.createPlan(pid, {
        statement_id: statement.id,
        months,
        card_token: simulatedToken(card.number, settings.test_cards),
      });
      onCreated(plan);
      focusSoon('plan-done');
    } catch (err) {
      setFailure(errorText(err, "We couldn't set up the plan. Please try again."));
      focusSoon('plan-failure');
    } finally {
      setBusy(false);
    }
  };

  const schedule = months ? planSchedule(balance, months, todayIso()) : [];
  return (
    <form class="bill-pay" noValidate onSubmit={submit} aria-busy={busy ? 'true' : 'false'}>
      <div class="bill-pay-balance card">
        <p>
          <span class="bill-stat-label">Left to pay on statement {statement.number}</span>
          <span class="bill-stat-value">{formatCents(balance, currency)}</span>
        </p>
        <p class="muted">No interest and no fees.</p>
      </div>
      <ErrorSummary items={summary} />
      {failure ? (
        <div id="plan-failure" tabIndex={-1}>
          <Notice tone="error" role="alert" title="The plan wasn't set up">
            <p>{failure}</p>
          </Notice>
        </div>
      ) : null}
      <fieldset class={`bill-fieldset${errors.months ? ' field--error' : ''}`} aria-describedby={errors.months ? 'plan-months-error' : undefined}>
        <legend>How many months?</legend>
        {errors.months ? (
          <p class="field-error" id="plan-months-error">
            <Icon name="alert" size={18} />
            <span>
              <span class="visually-hidden">Error: </span>
              {errors.months}
            </span>
          </p>
        ) : null}
        <div class="checks bill-month-options">
          {options.map((m) => {
            const parts = planSchedule(balance, m, todayIso());
            const most = parts[0]!.cents;
            return (
              <div class="check" key={m}>
                <input type="radio" id={`plan-months-${m}`} name="plan-months" checked={months === m} onChange={() => setMonths(m)} />
                <label for={`plan-months-${m}`}>
                  {m} months: {formatCents(most, currency)} a month
                </label>
              </div>
            );
          })}
        </div>
      </fieldset>

      {schedule.length > 0 ? (
        <section class="card bill-plan" aria-labelledby="plan-preview">
          <h2 id="plan-preview">Your payments</h2>
          <ol class="bill-schedule">
            {schedule.map((p) => (
              <li key={p.number}>
                <span>{p.number === 1 ? 'Today' : formatDate(p.due)}</span>
                <span class="bill-money">{formatCents(p.cents, currency)}</span>
              </li>
            ))}
          </ol>
        </section>
      ) : null}

      <CardFields idPrefix="plan-card" card={card} onCard={setCard} errors={errors} testCards={settings.test_cards} legend="Card to charge each month" />

      <div class={`field${errors.agree ? ' field--error' : ''}`}>
        {errors.agree ? (
          <p class="field-error" id="plan-agree-error">
            <Icon name="alert" size={18} />
            <span>
              <span class="visually-hidden">Error: </span>
              {errors.agree}
            </span>
          </p>
        ) : null}
        <div class="check">
          <input
            type="checkbox"
            id="plan-agree"
            checked={agree}
            onChange={(e) => setAgree((e.currentTarget as HTMLInputElement).checked)}
            aria-describedby={errors.agree ? 'plan-agree-error' : undefined}
            aria-invalid={errors.agree ? 'true' : undefined}
          />
          <label for="plan-agree">
            I agree that {clinic?.name ?? 'the clinic'} may charge this card on these dates until the balance is paid. I can cancel by calling the billing
            office.
          </label>
        </div>
      </div>

      <div class="form-actions">
        <button type="submit" class="button button--primary" aria-disabled={busy ? 'true' : undefined}>
          {busy ? 'Setting up…' : 'Set up payment plan'}
        </button>
        <Link href={`/billing/statements/${encodeURIComponent(statement.id)}`} class="button button--ghost">
          Cancel
        </Link>
      </div>
    </form>
  );
}
