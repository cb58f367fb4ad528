// The card fields of a clinic on Stripe: Stripe's Payment Element in its own frames, mounted for an
// intent the server created (a payment) or a card to save (a payment plan). Loaded on the card pages only.

import { t } from '@lingui/core/macro';
import { useEffect, useRef, useState } from 'preact/hooks';
import { Icon } from '../../../shared/ui/Icons';
import { Notice } from '../../../shared/ui/ui';
import type { CardForm } from '../stripe';

export function StripeCardFields({
  publishableKey,
  clientSecret,
  mode,
  legend,
  onForm,
}: {
  publishableKey: string;
  clientSecret: string;
  mode: 'payment' | 'setup';
  legend: string;
  onForm: (form: CardForm | null) => void;
}) {
  const container = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<'loading' | 'ready' | 'failed'>('loading');

  useEffect(() => {
    let gone = false;
    let form: CardForm | null = null;
    setState('loading');
    const brand = getComputedStyle(document.documentElement).getPropertyValue('--brand').trim() || undefined;
    import('../stripe')
      .then(({ mountCardForm }) => mountCardForm(publishableKey, clientSecret, container.current!, mode, brand))
      .then((mounted) => {
        if (gone) {
          mounted.destroy();
          return;
        }
        form = mounted;
        setState('ready');
        onForm(mounted);
      })
      .catch(() => {
        if (!gone) setState('failed');
      });
    return () => {
      gone = true;
      form?.destroy();
      onForm(null);
    };
  }, [publishableKey, clientSecret, mode]);

  return (
    <fieldset class="bill-fieldset">
      <legend>{legend}</legend>
      <p class="bill-secure muted small">
        <Icon name="lock" size={18} /> {t`Your card goes straight to our card processor, Stripe. The clinic never sees or stores the full number.`}
      </p>
      {state === 'loading' ? (
        <p class="muted" role="status">
          {t`Loading the secure card form…`}
        </p>
      ) : null}
      {state === 'failed' ? (
        <Notice tone="error" role="alert" title={t`The card form didn't load`}>
          <p>{t`Check your connection and reload this page, or call the clinic's billing office to pay.`}</p>
        </Notice>
      ) : null}
      <div ref={container} class="bill-stripe-element" data-state={state} />
    </fieldset>
  );
}
