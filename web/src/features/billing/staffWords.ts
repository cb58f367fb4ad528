// Words billing staff read that come from the API as codes or English (refund reasons, the card processor's
// dispute reasons and statuses, ledger lines), in the language on screen. Their own module, so only the
// staff screens' message catalog carries them (billing.ts is shared with the staff patient pages too).

import { msg, t } from '@lingui/core/macro';
import { translated } from '../../shared/i18n';
import { labelled } from '../../shared/format';
import { cardWords } from './billing';
import type { LedgerEntry, RefundIn } from './api';

/** Why staff refund a payment, in the order the form offers them. */
export const REFUND_REASONS: readonly [RefundIn['reason'], string][] = labelled<RefundIn['reason']>([
  ['requested_by_patient', () => t`The patient asked for it`],
  ['duplicate', () => t`Charged twice`],
  ['billing_error', () => t`Billing error`],
  ['other', () => t`Other`],
]);

// The card processor's dispute reasons and statuses (Stripe's names); one we don't know shows as sent.
const DISPUTE_REASONS = translated({
  bank_cannot_process: msg`The bank could not process it`,
  credit_not_processed: msg`Says a refund was not given`,
  customer_initiated: msg`Card holder asked the bank`,
  debit_not_authorized: msg`Says the charge was not allowed`,
  duplicate: msg`Says it was charged twice`,
  fraudulent: msg`Says they did not make it`,
  general: msg`Other reason`,
  incorrect_account_details: msg`Wrong account details`,
  insufficient_funds: msg`Not enough money in the account`,
  product_not_received: msg`Says the service was not given`,
  product_unacceptable: msg`Not happy with the service`,
  subscription_canceled: msg`Says it was canceled`,
  unrecognized: msg`Does not recognize the charge`,
});

const DISPUTE_STATUSES = translated({
  warning_needs_response: msg`Early warning: answer needed`,
  warning_under_review: msg`Early warning: under review`,
  warning_closed: msg`Early warning: closed`,
  needs_response: msg`Answer needed`,
  under_review: msg`Under review by the bank`,
  won: msg`Won`,
  lost: msg`Lost`,
  prevented: msg`Prevented`,
});

function fromTable(table: Readonly<Record<string, string>>, value: string): string {
  return Object.hasOwn(table, value) ? table[value]! : value.replace(/_/g, ' ');
}

export function disputeReasonLabel(reason: string): string {
  return fromTable(DISPUTE_REASONS, reason);
}

export function disputeStatusLabel(status: string): string {
  return fromTable(DISPUTE_STATUSES, status);
}

/**
 * A ledger line in the language on screen. The API sends it as English words built from the statement
 * number or the card ("Statement S-1 voided", "Refund (Visa ending 4242)"); read back by its kind, and
 * shown as sent when the shape is not one we know.
 */
export function ledgerEntryText(entry: Pick<LedgerEntry, 'kind' | 'description'>): string {
  const text = entry.description;
  const card = (match: RegExpExecArray | null): string | null => (match?.[1] && match[2] ? cardWords(match[1].toLowerCase(), match[2]) : null);
  if (entry.kind === 'statement' || entry.kind === 'void') {
    const match = /^Statement (\S+)( voided)?$/.exec(text);
    if (!match || Boolean(match[2]) !== (entry.kind === 'void')) return text;
    const number = match[1]!;
    return entry.kind === 'void' ? t`Statement ${number} voided` : t`Statement ${number}`;
  }
  if (entry.kind === 'payment' || entry.kind === 'refund') {
    const match = /^(?:Card payment|Refund)(?: \((\S+) ending (\d{4})\))?$/.exec(text);
    if (!match || text.startsWith('Refund') !== (entry.kind === 'refund')) return text;
    const used = card(match);
    if (entry.kind === 'refund') return used ? t`Refund (${used})` : t({ message: 'Refund', context: 'ledger line' });
    return used ? t`Card payment (${used})` : t`Card payment`;
  }
  return text;
}
