// What paying a statement and setting up a payment plan share: the way back to the statement, the empty card,
// the card's error summary, focusing a field, today's date, and the payments made in this tab.

import { t } from '@lingui/core/macro';
import type { CardErrors, CardInput } from '../billing';
import type { Statement } from '../api';
import { Icon } from '../../../shared/ui/Icons';
import type { SummaryItem } from '../../../shared/ui/ui';
import { Link } from '../../../router';

/** Payments made in this tab, so their receipt opens with a thank-you. */
export const justPaid = new Set<string>();
export const EMPTY_CARD: CardInput = { number: '', expiry: '', cvc: '' };

export function BackLink({ statement }: { statement?: Statement | null }) {
  return (
    <p class="no-print bill-back">
      <Link href={statement ? `/billing/statements/${encodeURIComponent(statement.id)}` : '/billing'}>
        <Icon name="chevron" size={18} class="bill-back-icon" />
        {statement ? t`Statement ${statement.number}` : t`Billing`}
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

export function todayIso(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
