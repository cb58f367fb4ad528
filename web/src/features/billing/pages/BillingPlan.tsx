// A payment plan for the rest of a statement: choose the months and the card, then the plan as created.

import { plural, t } from '@lingui/core/macro';
import { Trans } from '@lingui/react/macro';
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
    <Page title={t`Set up a payment plan`} lead={t`Split what is left into monthly payments, charged automatically to your card.`}>
      <BackLink statement={statement.data} />
      {created ? (
        <PlanCreated plan={created} />
      ) : (
        <Loader state={statement} label={t`Loading the statement…`}>
          {(s) => (
            <Loader state={settings} label={t`Loading…`}>
              {(cfg) => (
                <Loader state={saved} label={t`Loading…`}>
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
        <Notice tone={firstFailed ? 'warning' : 'success'} role="status" title={t`Your payment plan is set up`}>
          <p>
            {first?.status === 'paid'
              ? t`The first payment of ${formatCents(first.amount_cents, plan.currency)} was charged today.` + ' '
              : firstFailed
                ? t`The first payment couldn't be charged today; we'll try again on ${formatDate(first.next_attempt_on)}. You can also call us to use another card.` + ' '
                : ''}
            <Trans>We'll charge the rest on the dates below and email you a reminder to check the portal.</Trans>
          </p>
        </Notice>
      </div>
      <PlanDetails plan={plan} title={t`Your payment plan`} />
      <div class="bill-actions">
        <Link href="/billing" class="button button--primary">
          <Trans>Back to billing</Trans>
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
      <Notice tone="info" title={t`This statement already has a payment plan`}>
        <p>
          <Link href={`/billing/statements/${encodeURIComponent(statement.id)}`}>
            <Trans>See the plan on the statement</Trans>
          </Link>
        </p>
      </Notice>
    );
  }
  if (!isPayable(statement) || options.length === 0) {
    return (
      <Notice tone="info" title={t`A payment plan isn't available for this statement`}>
        <p>
          {isPayable(statement)
            ? t`Plans are for balances of ${formatCents(settings.plans.min_balance_cents, currency)} or more, with payments of at least ${formatCents(settings.plans.min_installment_cents, currency)} a month.`
            : t`There is no balance left to spread out.`}{' '}
          {clinic ? t`Please call us at ${clinic.phone_display} if you need help paying.` : t`Please call us if you need help paying.`}
        </p>
      </Notice>
    );
  }

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    const next: { months?: string; agree?: string } & CardErrors = {};
    if (!months) next.months = t`Choose how many months to pay over.`;
    if (!agree) next.agree = t`Confirm that we may charge your card on these dates.`;
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
        if (!saver.current) throw new CardProblem(t`The card form is still loading. Please wait a moment.`);
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
      setFailure(err instanceof CardProblem ? err.message : errorText(err, t`We couldn't set up the plan. Please try again.`));
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
          <span class="bill-stat-label">{t`Left to pay on statement ${statement.number}`}</span>
          <span class="bill-stat-value">{formatCents(balance, currency)}</span>
        </p>
        <p class="muted">
          <Trans>No interest and no fees.</Trans>
        </p>
      </div>
      <ErrorSummary items={summary} />
      {failure ? (
        <div id="plan-failure" tabIndex={-1}>
          <Notice tone="error" role="alert" title={t`The plan wasn't set up`}>
            <p>{failure}</p>
          </Notice>
        </div>
      ) : null}
      <fieldset class={`bill-fieldset${errors.months ? ' field--error' : ''}`} aria-describedby={errors.months ? 'plan-months-error' : undefined}>
        <legend>
          <Trans>How many months?</Trans>
        </legend>
        {errors.months ? (
          <p class="field-error" id="plan-months-error">
            <Icon name="alert" size={18} />
            <span>
              <span class="visually-hidden">{t`Error: `}</span>
              {errors.months}
            </span>
          </p>
        ) : null}
        <div class="checks bill-month-options">
          {options.map((m) => {
            const parts = planSchedule(balance, m, todayIso());
            const each = formatCents(parts[0]!.cents, currency);
            return (
              <div class="check" key={m}>
                <input type="radio" id={`plan-months-${m}`} name="plan-months" checked={months === m} onChange={() => setMonths(m)} />
                <label for={`plan-months-${m}`}>
                  {plural(m, { one: `# month: ${each} a month`, other: `# months: ${each} a month` })}
                </label>
              </div>
            );
          })}
        </div>
      </fieldset>

      {schedule.length > 0 ? (
        <section class="card bill-plan" aria-labelledby="plan-preview">
          <h2 id="plan-preview">
            <Trans>Your payments</Trans>
          </h2>
          <ol class="bill-schedule">
            {schedule.map((p) => (
              <li key={p.number}>
                <span>{p.number === 1 ? t`Today` : formatDate(p.due)}</span>
                <span class="bill-money">{formatCents(p.cents, currency)}</span>
              </li>
            ))}
          </ol>
        </section>
      ) : null}

      {newCard ? (
        <>
          <CardSaver settings={settings} legend={t`Card to charge each month`} idPrefix="plan-card" onSaver={(s) => (saver.current = s)} />
          {saved.card ? (
            <p>
              <button type="button" class="link-button" onClick={() => setNewCard(false)}>
                <Trans>Use my saved card instead</Trans>
              </button>
            </p>
          ) : null}
        </>
      ) : (
        <fieldset class="bill-fieldset">
          <legend>
            <Trans>Card to charge each month</Trans>
          </legend>
          <p>
            <Trans>
              Your saved card, <strong>{cardWords(saved.card?.card_brand ?? null, saved.card?.card_last4 ?? null)}</strong>.
            </Trans>{' '}
            <button type="button" class="link-button" onClick={() => setNewCard(true)}>
              <Trans>Use another card</Trans>
            </button>
          </p>
        </fieldset>
      )}

      <div class={`field${errors.agree ? ' field--error' : ''}`}>
        {errors.agree ? (
          <p class="field-error" id="plan-agree-error">
            <Icon name="alert" size={18} />
            <span>
              <span class="visually-hidden">{t`Error: `}</span>
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
            {clinic
              ? t`I agree that ${clinic.name} may charge this card on these dates until the balance is paid. I can cancel by calling the billing office.`
              : t`I agree that the clinic may charge this card on these dates until the balance is paid. I can cancel by calling the billing office.`}
          </label>
        </div>
      </div>

      <div class="form-actions">
        <button type="submit" class="button button--primary" aria-disabled={busy ? 'true' : undefined}>
          {busy ? t`Setting up…` : t`Set up payment plan`}
        </button>
        <Link href={`/billing/statements/${encodeURIComponent(statement.id)}`} class="button button--ghost">
          <Trans>Cancel</Trans>
        </Link>
      </div>
    </form>
  );
}
