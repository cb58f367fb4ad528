// The pure money, card and plan helpers the billing pages use (the client and its types are in api.ts).
// Money is always integer cents: parsing never goes through a
// float, so "$0.29" is 29 cents exactly, and formatting is string arithmetic on integers.

import { t } from '@lingui/core/macro';
import { formatCents } from './money';
import type { InstallmentStatus, InsuranceVerification, PlanLimits, PlanStatus, Statement, StatementState, TestCard } from './api';

export { formatCents };

export const VERIFICATION_LABELS: Record<InsuranceVerification, string> = {
  get unverified() {
    return t`Not yet checked`;
  },
  get verified() {
    return t`Verified`;
  },
  get rejected() {
    return t`Could not be verified`;
  },
};

/** The same amount spelled for screen readers and receipts where a sign reads badly: "$5.00 credit". */
export function formatLedgerAmount(cents: number, currency = 'USD'): string {
  if (cents >= 0) return formatCents(cents, currency);
  const amount = formatCents(-cents, currency);
  return t`${amount} credit`;
}

export type ParsedMoney = { ok: true; cents: number } | { ok: false; error: string };

/**
 * What a person typed as dollars -> cents, without floats: "80", "80.5", "$1,234.56", " 12.30 ".
 * More than two decimals, letters, negatives and empty input are refused with a sentence to show.
 */
export function parseDollars(input: string): ParsedMoney {
  const text = input.trim().replace(/^\$\s*/, '');
  if (text === '') return { ok: false, error: t`Enter an amount in dollars, like 25.00.` };
  if (text.startsWith('-')) return { ok: false, error: t`Enter an amount greater than zero.` };
  const match = /^(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d{0,2}))?$/.exec(text);
  if (!match || (match[1] === undefined && !match[2])) {
    if (/^[\d,]*\.\d{3,}$/.test(text)) return { ok: false, error: t`Enter the amount to the cent: at most two digits after the point.` };
    return { ok: false, error: t`Enter an amount in dollars, like 25.00.` };
  }
  const whole = (match[1] ?? '0').replace(/,/g, '');
  const fraction = (match[2] ?? '').padEnd(2, '0');
  if (whole.length > 9) return { ok: false, error: t`That amount is too large.` };
  return { ok: true, cents: Number(whole) * 100 + Number(fraction) };
}

/** Cents as the text a dollars field starts with: 8000 -> "80.00". */
export function centsToInput(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

/** A payment amount checked against the balance; the error is the sentence for the field. */
export function checkAmount(input: string, balanceCents: number, currency = 'USD'): ParsedMoney {
  const parsed = parseDollars(input);
  if (!parsed.ok) return parsed;
  if (parsed.cents < 1) return { ok: false, error: t`Enter an amount greater than zero.` };
  if (parsed.cents > balanceCents) {
    const balance = formatCents(balanceCents, currency);
    return { ok: false, error: t`Enter ${balance} or less: that is the balance due.` };
  }
  return parsed;
}

// --- statements ---

export const STATE_LABELS: Record<StatementState, string> = {
  get due() {
    return t`Due`;
  },
  get overdue() {
    return t`Overdue`;
  },
  get paid() {
    return t`Paid`;
  },
  get void() {
    return t`Voided`;
  },
};

/** Overdue first, then due (soonest first), then paid and voided (newest first). */
export function sortStatements(items: Statement[]): Statement[] {
  const rank: Record<StatementState, number> = { overdue: 0, due: 1, paid: 2, void: 3 };
  return [...items].sort((a, b) => {
    const byState = rank[a.state] - rank[b.state];
    if (byState !== 0) return byState;
    if (a.state === 'due' || a.state === 'overdue') return a.due_date.localeCompare(b.due_date);
    return b.posted_at.localeCompare(a.posted_at);
  });
}

/** Statements that can be paid now: open, something owed, not on a plan. */
export function isPayable(s: Pick<Statement, 'status' | 'balance_cents' | 'plan_id'>): boolean {
  return s.status === 'open' && s.balance_cents > 0 && !s.plan_id;
}

// --- payment plans (mirrors services/payments_plans.py so the preview matches what is charged) ---

/** The months a plan may run for this balance, or [] when the balance is too small for a plan. */
export function planMonthOptions(balanceCents: number, limits: PlanLimits): number[] {
  if (balanceCents < limits.min_balance_cents) return [];
  const most = Math.min(limits.max_months, Math.floor(balanceCents / limits.min_installment_cents));
  const options: number[] = [];
  for (let m = limits.min_months; m <= most; m++) options.push(m);
  return options;
}

/** Equal installments to the cent; leftover cents go to the first ones. Always sums to the total. */
export function splitInstallments(totalCents: number, months: number): number[] {
  const base = Math.floor(totalCents / months);
  const leftover = totalCents - base * months;
  return Array.from({ length: months }, (_, i) => base + (i < leftover ? 1 : 0));
}

/** The same day `months` later, clamped to the month's end (Jan 31 + 1 -> Feb 28). ISO dates in and out. */
export function addMonths(isoDate: string, months: number): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  const index = m - 1 + months;
  const year = y + Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

export function planSchedule(totalCents: number, months: number, firstDue: string): { number: number; due: string; cents: number }[] {
  return splitInstallments(totalCents, months).map((cents, i) => ({ number: i + 1, due: addMonths(firstDue, i), cents }));
}

export const INSTALLMENT_LABELS: Record<InstallmentStatus, string> = {
  get scheduled() {
    return t`Scheduled`;
  },
  get retrying() {
    return t`Will retry`;
  },
  get processing() {
    return t`Processing`;
  },
  get paid() {
    return t`Paid`;
  },
  get missed() {
    return t`Missed`;
  },
  get skipped() {
    return t`Not needed`;
  },
  get cancelled() {
    return t`Cancelled`;
  },
};

export const PLAN_LABELS: Record<PlanStatus, string> = {
  get active() {
    return t`Active`;
  },
  get completed() {
    return t`Completed`;
  },
  get cancelled() {
    return t`Cancelled`;
  },
  get past_due() {
    return t`Past due`;
  },
};

// --- cards (the simulated provider's "hosted fields": the number never leaves the browser) ---

export function cardDigits(input: string): string {
  return input.replace(/[\s-]/g, '');
}

/** "4242424242424242" -> "4242 4242 4242 4242" while typing. */
export function formatCardNumber(input: string): string {
  return cardDigits(input)
    .replace(/\D/g, '')
    .slice(0, 19)
    .replace(/(\d{4})(?=\d)/g, '$1 ');
}

export function luhnValid(digits: string): boolean {
  if (!/^\d{12,19}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let n = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      n *= 2;
      if (n > 9) n -= 9;
    }
    sum += n;
  }
  return sum % 10 === 0;
}

export function cardBrand(digits: string): string | null {
  if (/^4/.test(digits)) return 'Visa';
  if (/^(5[1-5]|2[2-7])/.test(digits)) return 'Mastercard';
  if (/^3[47]/.test(digits)) return 'American Express';
  if (/^6(011|5)/.test(digits)) return 'Discover';
  return null;
}

export interface CardInput {
  number: string;
  expiry: string;
  cvc: string;
}

export type CardErrors = Partial<Record<keyof CardInput, string>>;

/** Checks the card fields; `today` fixes "expired" for tests. */
export function checkCard(card: CardInput, today: Date = new Date()): CardErrors {
  const errors: CardErrors = {};
  const digits = cardDigits(card.number);
  if (!digits) errors.number = t`Enter the card number.`;
  else if (!/^\d+$/.test(digits) || !luhnValid(digits)) errors.number = t`Enter a valid card number: check the digits.`;
  const expiry = /^\s*(\d{1,2})\s*\/\s*(\d{2}|\d{4})\s*$/.exec(card.expiry);
  if (!card.expiry.trim()) errors.expiry = t`Enter the expiry date, like 04/29.`;
  else if (!expiry || Number(expiry[1]) < 1 || Number(expiry[1]) > 12) errors.expiry = t`Enter the expiry date as month and year, like 04/29.`;
  else {
    const year = expiry[2]!.length === 2 ? 2000 + Number(expiry[2]) : Number(expiry[2]);
    const month = Number(expiry[1]);
    if (year < today.getFullYear() || (year === today.getFullYear() && month < today.getMonth() + 1)) {
      errors.expiry = t`This card has expired. Use another card.`;
    }
  }
  if (!card.cvc.trim()) errors.cvc = t`Enter the security code from the back of the card.`;
  else if (!/^\d{3,4}$/.test(card.cvc.trim())) errors.cvc = t`Enter the 3 or 4 digit security code.`;
  return errors;
}

/** The simulated provider's token for a card number; an unknown card gets a token the provider declines. */
export function simulatedToken(number: string, testCards: TestCard[]): string {
  const digits = cardDigits(number);
  return testCards.find((c) => cardDigits(c.number) === digits)?.token ?? 'sim_tok_unknown';
}

// --- idempotency: one key per payment attempt ---

export interface Attempt {
  key: string;
  fingerprint: string;
}

/**
 * The key for submitting `fingerprint` (what is being paid, how much, with which card). The same attempt
 * (double click, retry after a network error) keeps its key, so it can never charge twice; a changed
 * amount or card, or a new try after a final answer (`finished`), is a new attempt with a new key.
 */
export function attemptFor(previous: Attempt | null, fingerprint: string, newKey: () => string): Attempt {
  if (previous && previous.fingerprint === fingerprint) return previous;
  return { key: newKey(), fingerprint };
}

export function newIdempotencyKey(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return `pay-${crypto.randomUUID()}`;
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return `pay-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export function cardWords(brand: string | null, last4: string | null): string {
  if (brand && last4) {
    const name = `${brand.charAt(0).toUpperCase()}${brand.slice(1)}`;
    return t`${name} ending ${last4}`;
  }
  return t`Card`;
}
