// The card fields. With the simulated processor they play the provider's hosted fields:
// the number is turned into the provider's token in the browser and never sent to the portal's API.

import { t } from '@lingui/core/macro';
import { cardBrand, cardDigits, type CardErrors, type CardInput, formatCardNumber } from '../billing';
import type { TestCard } from '../api';
import { Icon } from '../../../shared/ui/Icons';
import { Field } from '../../../shared/ui/ui';

const DEMO_EXPIRY = '12/34';
const DEMO_CVC = '123';

export function CardFields({
  idPrefix,
  card,
  onCard,
  errors,
  testCards,
  legend = t`Card details`,
}: {
  idPrefix: string;
  card: CardInput;
  onCard: (card: CardInput) => void;
  errors: CardErrors;
  testCards: TestCard[];
  legend?: string;
}) {
  const brand = cardBrand(cardDigits(card.number));
  return (
    <fieldset class="bill-fieldset">
      <legend>{legend}</legend>
      <p class="bill-secure muted small">
        <Icon name="lock" size={18} /> {t`Your card goes straight to our card processor. The clinic never sees or stores the full number.`}
      </p>
      <Field
        id={`${idPrefix}-number`}
        label={t`Card number`}
        error={errors.number}
        hint={brand ? t`${brand} card` : undefined}
      >
        {(describedBy, invalid) => (
          <input
            id={`${idPrefix}-number`}
            name="cardnumber"
            type="text"
            inputMode="numeric"
            autoComplete="cc-number"
            spellcheck={false}
            class="bill-input-card"
            value={card.number}
            onInput={(e) => onCard({ ...card, number: formatCardNumber((e.currentTarget as HTMLInputElement).value) })}
            aria-describedby={describedBy}
            aria-invalid={invalid ? 'true' : undefined}
          />
        )}
      </Field>
      <div class="bill-card-row">
        <Field id={`${idPrefix}-expiry`} label={t`Expiry date`} hint={t`MM/YY`} error={errors.expiry}>
          {(describedBy, invalid) => (
            <input
              id={`${idPrefix}-expiry`}
              name="cc-exp"
              type="text"
              inputMode="numeric"
              autoComplete="cc-exp"
              class="input--short"
              value={card.expiry}
              onInput={(e) => onCard({ ...card, expiry: (e.currentTarget as HTMLInputElement).value })}
              aria-describedby={describedBy}
              aria-invalid={invalid ? 'true' : undefined}
            />
          )}
        </Field>
        <Field id={`${idPrefix}-cvc`} label={t`Security code`} hint={t`3 or 4 digits on the card`} error={errors.cvc}>
          {(describedBy, invalid) => (
            <input
              id={`${idPrefix}-cvc`}
              name="cc-csc"
              type="text"
              inputMode="numeric"
              autoComplete="cc-csc"
              class="input--short"
              value={card.cvc}
              onInput={(e) => onCard({ ...card, cvc: (e.currentTarget as HTMLInputElement).value })}
              aria-describedby={describedBy}
              aria-invalid={invalid ? 'true' : undefined}
            />
          )}
        </Field>
      </div>
      {testCards.length > 0 ? (
        <details class="bill-test-cards">
          <summary>{t`Demo clinic: use a test card`}</summary>
          <p class="small muted">{t`No real money moves in this demo. Each test card behaves in a fixed way:`}</p>
          <ul>
            {testCards.map((c) => (
              <li key={c.token}>
                <button
                  type="button"
                  class="link-button"
                  onClick={() => onCard({ number: c.number, expiry: DEMO_EXPIRY, cvc: DEMO_CVC })}
                >
                  <span class="bill-test-number">{c.number}</span>
                  <span class="visually-hidden">, </span>
                  <span class="bill-test-outcome">{c.outcome}</span>
                </button>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </fieldset>
  );
}
