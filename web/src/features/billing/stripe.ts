// Stripe's Payment Element, loaded only by the pages that take a card.
//
// `@stripe/stripe-js/pure` is Stripe's official loader without its side effect: nothing is fetched until
// `loadStripe` runs, and this module itself is imported dynamically, so no other page downloads it or
// Stripe.js. The card fields live in Stripe's own frames: the number never reaches our page or our API.
// The server creates the intent first (its amount, its idempotency key); here the browser only confirms
// it, and Stripe.js runs any 3-D Secure check itself, in a frame or by a redirect back to `returnUrl`.

import { t } from '@lingui/core/macro';
import { currentLocale } from '../../shared/i18n';
import type { Stripe, StripeElements, StripePaymentElement } from '@stripe/stripe-js';

export type ConfirmResult =
  | { ok: true; status: string }
  /** `retry`: the card was refused or a field is wrong: the patient can fix it or try another card. */
  | { ok: false; message: string; retry: boolean };

export interface CardForm {
  confirm(returnUrl: string): Promise<ConfirmResult>;
  destroy(): void;
}

const loaded = new Map<string, Promise<Stripe | null>>();

function stripeFor(publishableKey: string): Promise<Stripe | null> {
  let promise = loaded.get(publishableKey);
  if (!promise) {
    promise = import('@stripe/stripe-js/pure').then(({ loadStripe }) => loadStripe(publishableKey));
    promise.catch(() => loaded.delete(publishableKey)); // a failed load may be retried
    loaded.set(publishableKey, promise);
  }
  return promise;
}

const generic = () => t`Your card could not be charged. No charge was made; please try again or use another card.`;

/** Mount the Payment Element for an intent (`payment`) or a card to save (`setup`). */
export async function mountCardForm(
  publishableKey: string,
  clientSecret: string,
  container: HTMLElement,
  mode: 'payment' | 'setup',
  colorPrimary?: string,
): Promise<CardForm> {
  const stripe = await stripeFor(publishableKey);
  if (!stripe) throw new Error('Stripe.js did not load');
  const elements: StripeElements = stripe.elements({
    clientSecret,
    // Stripe's own labels and card errors in the language on screen.
    locale: currentLocale(),
    appearance: { theme: 'stripe', variables: colorPrimary ? { colorPrimary } : {} },
  });
  const element: StripePaymentElement = elements.create('payment', { layout: 'tabs' });
  await new Promise<void>((resolve, reject) => {
    element.on('ready', () => resolve());
    element.on('loaderror', () => reject(new Error('the card form did not load')));
    element.mount(container);
  });
  return {
    async confirm(returnUrl) {
      const result =
        mode === 'payment'
          ? await stripe.confirmPayment({ elements, confirmParams: { return_url: returnUrl }, redirect: 'if_required' })
          : await stripe.confirmSetup({ elements, confirmParams: { return_url: returnUrl }, redirect: 'if_required' });
      if (result.error) {
        const retry = result.error.type === 'card_error' || result.error.type === 'validation_error';
        return { ok: false, message: (retry && result.error.message) || generic(), retry };
      }
      const status = 'paymentIntent' in result ? result.paymentIntent.status : result.setupIntent.status;
      return { ok: true, status };
    },
    destroy() {
      element.destroy();
    },
  };
}
