// The card saved for payment plans: entered once (Stripe's Payment Element in setup mode, or the demo's
// test cards), confirmed by the processor with the patient present (3-D Secure), then charged monthly.
// The page /billing/card shows it and lets the patient replace or remove it.

import { t } from '@lingui/core/macro';
import { Trans } from '@lingui/react/macro';
import { useEffect, useRef, useState } from 'preact/hooks';
import { cardWords, checkCard, type CardErrors, type CardInput, simulatedToken } from '../billing';
import type { BillingSettings, SavedCardState } from '../api';
import { Notice, Page } from '../../../shared/ui/ui';
import { useApp } from '../../../shared/context';
import { formatDate } from '../../../shared/format';
import { ApiError } from '../../../shared/api/client';
import { CardFields } from './BillingCard';
import { errorText, Loader, useBilling, useBillingLoad } from './BillingShared';
import { EMPTY_CARD, focusSoon } from './BillingPayParts';
import { StripeCardFields } from './BillingStripe';
import type { CardForm } from '../stripe';

/** What saving failed on: the demo card's fields, or a sentence from the processor. */
export class CardProblem extends Error {
  constructor(
    message: string,
    readonly fields: CardErrors = {},
  ) {
    super(message);
  }
}

export type SaveCard = () => Promise<SavedCardState>;

/** The card fields for a card to save; `onSaver` receives the function that saves what was entered. */
export function CardSaver({
  settings,
  legend,
  idPrefix,
  onSaver,
}: {
  settings: BillingSettings;
  legend: string;
  idPrefix: string;
  onSaver: (save: SaveCard | null) => void;
}) {
  const { patient } = useApp();
  const billing = useBilling();
  const pid = patient!.id;
  const [card, setCard] = useState<CardInput>(EMPTY_CARD);
  const [errors, setErrors] = useState<CardErrors>({});
  const [setup, setSetup] = useState<{ setup_id: string; client_secret: string } | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const form = useRef<CardForm | null>(null);
  const stripeKey = settings.provider === 'stripe' ? settings.stripe_publishable_key : null;

  useEffect(() => {
    if (!stripeKey) return;
    billing
      .startCardSetup(pid)
      .then(setSetup)
      .catch((err) => setFailed(errorText(err, t`The card form couldn't start. Please reload the page.`)));
  }, [stripeKey]);

  const save: SaveCard = async () => {
    if (!stripeKey) {
      const problems = checkCard(card);
      setErrors(problems);
      if (Object.keys(problems).length > 0) throw new CardProblem(t`Check the card details.`, problems);
      const started = await billing.startCardSetup(pid);
      try {
        return await billing.simulatedCardSetup(pid, started.client_secret, simulatedToken(card.number, settings.test_cards));
      } catch (err) {
        if (err instanceof ApiError && err.status === 409) {
          setErrors({ number: t`This card was not accepted. Try another card.` });
          throw new CardProblem(err.message, { number: t`This card was not accepted. Try another card.` });
        }
        throw err;
      }
    }
    if (!setup || !form.current) throw new CardProblem(t`The card form is still loading. Please wait a moment.`);
    const back = `${location.origin}${location.pathname}?setup=${encodeURIComponent(setup.setup_id)}`;
    const result = await form.current.confirm(back);
    if (!result.ok) throw new CardProblem(result.message);
    return billing.saveCard(pid, setup.setup_id);
  };
  useEffect(() => {
    onSaver(save);
    return () => onSaver(null);
  });

  if (stripeKey) {
    if (failed) {
      return (
        <Notice tone="error" role="alert" title={t`The card form didn't load`}>
          <p>{failed}</p>
        </Notice>
      );
    }
    return setup ? (
      <StripeCardFields
        publishableKey={stripeKey}
        clientSecret={setup.client_secret}
        mode="setup"
        legend={legend}
        onForm={(f) => {
          form.current = f;
        }}
      />
    ) : (
      <p class="muted" role="status">
        <Trans>Loading the secure card form…</Trans>
      </p>
    );
  }
  return <CardFields idPrefix={idPrefix} card={card} onCard={setCard} errors={errors} testCards={settings.test_cards} legend={legend} />;
}

/** Back from the card issuer's page after saving a card (Stripe chose a redirect): keep that card. */
export function useReturnedSetup(onSaved: (state: SavedCardState) => void): string | null {
  const { patient } = useApp();
  const billing = useBilling();
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    const setupId = new URLSearchParams(location.search).get('setup');
    if (!setupId) return;
    history.replaceState(null, '', location.pathname);
    billing
      .saveCard(patient!.id, setupId)
      .then(onSaved)
      .catch((err) => setProblem(errorText(err, t`The card was not saved. Please try again.`)));
  }, []);
  return problem;
}

export function SavedCardPage() {
  const { patient } = useApp();
  const billing = useBilling();
  const pid = patient!.id;
  const state = useBillingLoad((s) => billing.savedCard(pid, s), [pid], t`your saved card`);
  const settings = useBillingLoad((s) => billing.settings(s), [], t`how the clinic takes cards`);
  const [replacing, setReplacing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const saver = useRef<SaveCard | null>(null);
  const returned = useReturnedSetup((s) => {
    state.set(s);
    setMessage({ tone: 'success', text: t`Your card is saved.` });
  });

  const run = async (call: () => Promise<SavedCardState>, done: string) => {
    if (busy) return;
    setBusy(true);
    setMessage(null);
    try {
      state.set(await call());
      setReplacing(false);
      setMessage({ tone: 'success', text: done });
    } catch (err) {
      setMessage({ tone: 'error', text: err instanceof CardProblem ? err.message : errorText(err, t`That did not work. Please try again.`) });
    } finally {
      setBusy(false);
      focusSoon('card-message');
    }
  };

  return (
    <Page title={t`Card for payment plans`} lead={t`The card your payment plan's monthly payments are charged to.`}>
      <div id="card-message" tabIndex={-1}>
        {message || returned ? (
          <Notice tone={message?.tone ?? 'error'} role={message?.tone === 'success' ? 'status' : 'alert'}>
            <p>{message?.text ?? returned}</p>
          </Notice>
        ) : null}
      </div>
      <Loader state={state} label={t`Loading your card…`}>
        {({ card }) => (
          <Loader state={settings} label={t`Loading…`}>
            {(cfg) => (
              <section class="card bill-saved-card" aria-labelledby="saved-card-title">
                <h2 id="saved-card-title">
                  <Trans>Saved card</Trans>
                </h2>
                {card ? (
                  <p>
                    {cardWords(card.card_brand, card.card_last4)}
                    {card.saved_at ? <span class="muted">{t` · saved ${formatDate(card.saved_at.slice(0, 10))}`}</span> : null}
                  </p>
                ) : (
                  <p class="muted">
                    <Trans>No card is saved. Payment plans ask for one when you set them up.</Trans>
                  </p>
                )}
                {replacing ? (
                  <>
                    <CardSaver settings={cfg} legend={t`New card`} idPrefix="saved-card" onSaver={(s) => (saver.current = s)} />
                    <div class="bill-actions">
                      <button type="button" class="button button--primary" aria-disabled={busy ? 'true' : undefined} onClick={() => saver.current && run(saver.current, t`Your new card is saved.`)}>
                        {busy ? t`Saving…` : t`Save this card`}
                      </button>
                      <button type="button" class="button button--ghost" onClick={() => setReplacing(false)}>
                        <Trans>Cancel</Trans>
                      </button>
                    </div>
                  </>
                ) : (
                  <div class="bill-actions">
                    <button type="button" class="button button--secondary" onClick={() => setReplacing(true)}>
                      {card ? t`Replace the card` : t`Save a card`}
                    </button>
                    {card ? (
                      <button type="button" class="button button--ghost" aria-disabled={busy ? 'true' : undefined} onClick={() => run(() => billing.removeCard(pid), t`Your card was removed.`)}>
                        <Trans>Remove the card</Trans>
                      </button>
                    ) : null}
                  </div>
                )}
              </section>
            )}
          </Loader>
        )}
      </Loader>
    </Page>
  );
}
