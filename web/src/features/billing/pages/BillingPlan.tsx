// A payment plan for the rest of a statement: choose the months and the card, then the plan as created.

import { t } from '@lingui/core/macro';
import { useRef, useState } from 'preact/hooks';
import { type CardErrors, cardWords, formatCents, isPayable, planMonthOptions, planSchedule } from '../billing';
import type { BillingSettings, Plan, SavedCardState, Statement } from '../api';
import { Icon } from '../../../shared/ui/Icons';
import { ErrorSummary, Notice, Page, type SummaryItem } from '../../../shared/ui/ui';
import { useApp } from '../../../shared/context';
import { formatDate } from '../../../shared/format';
import { Link } from '../../../router';
import { CardProblem, CardSaver, type SaveCard, useReturnedSetup } from './BillingSavedCard';
import { errorText, Loader, useBilling, useBillingLoad } from './BillingShared';
import { PlanDetails } from './BillingStatement';
import { BackLink, cardSummaryItems, focusSoon, todayIso } from './BillingPayParts';

export function PlanPage({ statementId }: { statementId: string }) {
  const { patient } = useApp();
  const billing = useBilling();
  const pid = patient!.id;
  const statement = useBillingLoad((s) => billing.statement(pid, statementId, s), [pid, statementId], t`this statement`);
  const settings = useBillingLoad((s) => billing.settings(s), [], t`the payment plan options`);
  const saved = useBillingLoad((s) => billing.savedCard(pid, s), [pid], t`your saved card`);
  const [created, setCreated] = useState<Plan | null>(null);
  const returned = useReturnedSetup(saved.set);

  return (
    <Page title="Set up a payment plan" lead="Split what is left into monthly payments, charged automatically to your card.">
      <BackLink statement={statement.data} />
      {created ? (
        <PlanCreated plan={created} />
      ) : (
        <Loader state={statement} label="Loading the statement…">
          {(s) => (
            <Loader state={settings} label="Loading…">
              {(cfg) => (
                <Loader state={saved} label="Loading…">
                  {(card) => <PlanForm statement={s} settings={cfg} saved={card} onSaved={saved.set} onCreated={setCreated} problem={returned} />}
                </Loader>
              )}
            </Loader>
          )}
        </Loader>
      )}
    </Page>
  );
}

export function PlanCreated({ plan }: { plan: Plan }) {
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

export function PlanForm({
  statement,
  settings,
  saved,
  onSaved,
  onCreated,
  problem,
}: {
  statement: Statement;
  settings: BillingSettings;
  saved: SavedCardState;
  onSaved: (s: SavedCardState) => void;
  onCreated: (p: Plan) => void;
  problem: string | null;
}) {
  const { patient, clinic } = useApp();
  const billing = useBilling();
  const pid = patient!.id;
  const balance = statement.balance_cents;
  const currency = statement.currency;
  const options = planMonthOptions(balance, settings.plans);
  const [months, setMonths] = useState<number | null>(null);
  const [newCard, setNewCard] = useState(!saved.card);
  const saver = useRef<SaveCard | null>(null);
  const [agree, setAgree] = useState(false);
  const [errors, setErrors] = useState<{ months?: string; agree?: string } & CardErrors>({});
  const [summary, setSummary] = useState<SummaryItem[]>([]);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(problem);

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
    const next: { months?: string; agree?: string } & CardErrors = {};
    if (!months) next.months = 'Choose how many months to pay over.';
    if (!agree) next.agree = 'Confirm that we may charge your card on these dates.';
    setErrors(next);
    const items: SummaryItem[] = [
      ...(next.months ? [{ target: `plan-months-${options[0]}`, text: next.months }] : []),
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
      if (newCard) {
        // Agreeing saves the card: the processor checks it with the patient here (3-D Secure if asked).
        if (!saver.current) throw new CardProblem('The card form is still loading. Please wait a moment.');
        const state = await saver.current();
        onSaved(state);
        setNewCard(false);
      }
      const plan = await billing.createPlan(pid, { statement_id: statement.id, months });
      onCreated(plan);
      focusSoon('plan-done');
    } catch (err) {
      if (err instanceof CardProblem && Object.keys(err.fields).length > 0) {
        setErrors({ ...next, ...err.fields });
        setSummary(cardSummaryItems('plan-card', err.fields));
        focusSoon('error-summary-title');
        return;
      }
      setFailure(err instanceof CardProblem ? err.message : errorText(err, "We couldn't set up the plan. Please try again."));
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

      {newCard ? (
        <>
          <CardSaver settings={settings} legend="Card to charge each month" idPrefix="plan-card" onSaver={(s) => (saver.current = s)} />
          {saved.card ? (
            <p>
              <button type="button" class="link-button" onClick={() => setNewCard(false)}>
                Use my saved card instead
              </button>
            </p>
          ) : null}
        </>
      ) : (
        <fieldset class="bill-fieldset">
          <legend>Card to charge each month</legend>
          <p>
            Your saved card, <strong>{cardWords(saved.card?.card_brand ?? null, saved.card?.card_last4 ?? null)}</strong>.{' '}
            <button type="button" class="link-button" onClick={() => setNewCard(true)}>
              Use another card
            </button>
          </p>
        </fieldset>
      )}

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
