// Money in integer cents, card checks, plan schedules, idempotency keys, the client.

import { describe, expect, it, vi } from 'vitest';
import { createApi } from '../../shared/api/client';
import {
  addMonths,
  attemptFor,
  cardBrand,
  centsToInput,
  checkAmount,
  checkCard,
  formatCardNumber,
  formatCents,
  formatLedgerAmount,
  isPayable,
  luhnValid,
  newIdempotencyKey,
  parseDollars,
  planMonthOptions,
  planSchedule,
  simulatedToken,
  sortStatements,
  splitInstallments,
} from './billing';
import { billingApi, type PlanLimits, type Statement } from './api';
import { statementFromDraft } from './pages/BillingStaffForms';
import type { Session } from '../../shared/session';

describe('formatCents', () => {
  it('formats whole cents as dollars without floating point', () => {
    expect(formatCents(1234)).toBe('$12.34');
    expect(formatCents(0)).toBe('$0.00');
    expect(formatCents(5)).toBe('$0.05');
    expect(formatCents(100)).toBe('$1.00');
    expect(formatCents(123456789)).toBe('$1,234,567.89');
    expect(formatCents(-500)).toBe('-$5.00');
    // 0.1 + 0.2 style drift cannot happen: 29 cents stays 29 cents
    expect(formatCents(29)).toBe('$0.29');
    expect(formatCents(1000000000)).toBe('$10,000,000.00');
  });

  it('names other currencies and refuses fractions of a cent', () => {
    expect(formatCents(1234, 'EUR')).toBe('€12.34');
    expect(formatCents(1234, 'JPY')).toBe('12.34 JPY');
    expect(() => formatCents(12.5)).toThrow(RangeError);
    expect(() => formatCents(Number.NaN)).toThrow(RangeError);
  });

  it('spells ledger credits in words', () => {
    expect(formatLedgerAmount(-3000)).toBe('$30.00 credit');
    expect(formatLedgerAmount(3000)).toBe('$30.00');
  });
});

describe('parseDollars', () => {
  it('reads what people type as exact cents', () => {
    expect(parseDollars('80')).toEqual({ ok: true, cents: 8000 });
    expect(parseDollars('80.5')).toEqual({ ok: true, cents: 8050 });
    expect(parseDollars(' $12.30 ')).toEqual({ ok: true, cents: 1230 });
    expect(parseDollars('$ 1,234.56')).toEqual({ ok: true, cents: 123456 });
    expect(parseDollars('0.29')).toEqual({ ok: true, cents: 29 });
    expect(parseDollars('.5')).toEqual({ ok: true, cents: 50 });
    expect(parseDollars('19.99')).toEqual({ ok: true, cents: 1999 });
    expect(parseDollars('4.35')).toEqual({ ok: true, cents: 435 }); // 4.35 * 100 is 434.99999 as a float
  });

  it('refuses what is not an amount, with a sentence', () => {
    for (const bad of ['', '  ', 'abc', '1.2.3', '12,34', '1e3', '$', '.']) {
      const result = parseDollars(bad);
      expect(result.ok, bad).toBe(false);
    }
    expect(parseDollars('-5')).toEqual({ ok: false, error: 'Enter an amount greater than zero.' });
    expect(parseDollars('12.345')).toEqual({ ok: false, error: 'Enter the amount to the cent: at most two digits after the point.' });
    expect(parseDollars('12345678901').ok).toBe(false);
  });

  it('round-trips with centsToInput', () => {
    for (const cents of [0, 1, 99, 100, 8000, 123456]) {
      expect(parseDollars(centsToInput(cents))).toEqual({ ok: true, cents });
    }
  });
});

describe('checkAmount', () => {
  it('accepts 1 cent up to the balance', () => {
    expect(checkAmount('30', 8000)).toEqual({ ok: true, cents: 3000 });
    expect(checkAmount('80.00', 8000)).toEqual({ ok: true, cents: 8000 });
    expect(checkAmount('0.01', 8000)).toEqual({ ok: true, cents: 1 });
  });

  it('refuses zero and more than the balance', () => {
    expect(checkAmount('0', 8000)).toEqual({ ok: false, error: 'Enter an amount greater than zero.' });
    expect(checkAmount('80.01', 8000)).toEqual({ ok: false, error: 'Enter $80.00 or less: that is the balance due.' });
  });
});

const statement = (over: Partial<Statement>): Statement => ({
  id: 'st-1',
  number: 'S-1',
  patient_id: 'p-1',
  currency: 'USD',
  lines: [],
  total_charges_cents: 0,
  insurance_paid_cents: 0,
  adjustments_cents: 0,
  patient_responsibility_cents: 0,
  balance_cents: 0,
  pending_cents: 0,
  paid_cents: 0,
  due_date: '2026-12-01',
  status: 'open',
  state: 'due',
  posted_at: '2026-11-01T00:00:00Z',
  posted_by_name: 'Billing',
  visit_id: null,
  provider_name: null,
  paid_at: null,
  void_reason: null,
  voided_at: null,
  voided_by_name: null,
  plan_id: null,
  ...over,
});

describe('statements', () => {
  it('sorts overdue, then due by date, then settled newest first', () => {
    const sorted = sortStatements([
      statement({ id: 'paid-old', status: 'paid', state: 'paid', posted_at: '2026-01-01T00:00:00Z' }),
      statement({ id: 'due-late', due_date: '2026-12-20' }),
      statement({ id: 'void', status: 'void', state: 'void' }),
      statement({ id: 'overdue', state: 'overdue', due_date: '2026-10-01' }),
      statement({ id: 'due-soon', due_date: '2026-12-02' }),
      statement({ id: 'paid-new', status: 'paid', state: 'paid', posted_at: '2026-06-01T00:00:00Z' }),
    ]);
    expect(sorted.map((s) => s.id)).toEqual(['overdue', 'due-soon', 'due-late', 'paid-new', 'paid-old', 'void']);
  });

  it('is payable only when open, owing and not on a plan', () => {
    expect(isPayable(statement({ balance_cents: 100 }))).toBe(true);
    expect(isPayable(statement({ balance_cents: 0 }))).toBe(false);
    expect(isPayable(statement({ balance_cents: 100, plan_id: 'plan-1' }))).toBe(false);
    expect(isPayable(statement({ balance_cents: 100, status: 'void' }))).toBe(false);
  });
});

const limits: PlanLimits = {
  min_months: 2,
  max_months: 12,
  min_balance_cents: 5000,
  min_installment_cents: 2500,
  first_due_within_days: 30,
  retry_attempts: 3,
  retry_after_days: 3,
};

describe('payment plans', () => {
  it('offers the months the clinic allows for the balance', () => {
    expect(planMonthOptions(4999, limits)).toEqual([]);
    expect(planMonthOptions(5000, limits)).toEqual([2]);
    expect(planMonthOptions(7600, limits)).toEqual([2, 3]);
    expect(planMonthOptions(1_000_000, limits)).toHaveLength(11);
  });

  it('splits to the cent with leftovers first, always summing to the total', () => {
    expect(splitInstallments(10000, 3)).toEqual([3334, 3333, 3333]);
    expect(splitInstallments(5000, 2)).toEqual([2500, 2500]);
    for (const [total, months] of [
      [12345, 7],
      [5001, 2],
      [999_999, 12],
    ] as const) {
      const parts = splitInstallments(total, months);
      expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
      expect(Math.max(...parts) - Math.min(...parts)).toBeLessThanOrEqual(1);
    }
  });

  it('schedules monthly on the same day, clamped to the month end', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-11-29', 2)).toBe('2027-01-29');
    expect(planSchedule(5000, 2, '2026-11-29')).toEqual([
      { number: 1, due: '2026-11-29', cents: 2500 },
      { number: 2, due: '2026-12-29', cents: 2500 },
    ]);
  });
});

describe('cards', () => {
  it('groups the number while typing and knows the brand', () => {
    expect(formatCardNumber('4242424242424242')).toBe('4242 4242 4242 4242');
    expect(formatCardNumber('4242-4242 42a')).toBe('4242 4242 42');
    expect(cardBrand('4242424242424242')).toBe('Visa');
    expect(cardBrand('5555555555554444')).toBe('Mastercard');
    expect(cardBrand('9999')).toBeNull();
  });

  it('checks the Luhn digit', () => {
    expect(luhnValid('4242424242424242')).toBe(true);
    expect(luhnValid('4000002760003184')).toBe(true);
    expect(luhnValid('4242424242424241')).toBe(false);
    expect(luhnValid('1234')).toBe(false);
  });

  it('explains what is wrong with each field', () => {
    const today = new Date(2026, 10, 29);
    expect(checkCard({ number: '4242 4242 4242 4242', expiry: '12/34', cvc: '123' }, today)).toEqual({});
    expect(checkCard({ number: '4242 4242 4242 4242', expiry: '11/26', cvc: '1234' }, today)).toEqual({});
    expect(checkCard({ number: '', expiry: '', cvc: '' }, today)).toEqual({
      number: 'Enter the card number.',
      expiry: 'Enter the expiry date, like 04/29.',
      cvc: 'Enter the security code from the back of the card.',
    });
    expect(checkCard({ number: '4242 4242 4242 4241', expiry: '13/30', cvc: '12' }, today)).toEqual({
      number: 'Enter a valid card number: check the digits.',
      expiry: 'Enter the expiry date as month and year, like 04/29.',
      cvc: 'Enter the 3 or 4 digit security code.',
    });
    expect(checkCard({ number: '4242424242424242', expiry: '10/26', cvc: '123' }, today).expiry).toBe(
      'This card has expired. Use another card.',
    );
  });

  it('turns a test card into its token in the browser; unknown cards get a declined token', () => {
    const cards = [{ number: '4242 4242 4242 4242', token: 'sim_tok_4242', outcome: 'succeeds' }];
    expect(simulatedToken('4242424242424242', cards)).toBe('sim_tok_4242');
    expect(simulatedToken('4242 4242 4242 4242', cards)).toBe('sim_tok_4242');
    expect(simulatedToken('5105 1051 0510 5100', cards)).toBe('sim_tok_unknown');
  });
});

describe('idempotency keys', () => {
  it('keeps one key per attempt and makes a new one when the attempt changes', () => {
    let n = 0;
    const next = () => `key-${++n}`;
    const first = attemptFor(null, 'st-1|3000|sim_tok_4242', next);
    expect(first.key).toBe('key-1');
    // A double click or a retry after a lost answer: the same key
    expect(attemptFor(first, 'st-1|3000|sim_tok_4242', next)).toBe(first);
    // Another amount or card: a new attempt
    expect(attemptFor(first, 'st-1|2000|sim_tok_4242', next).key).toBe('key-2');
  });

  it('makes keys the API accepts, different every time', () => {
    const a = newIdempotencyKey();
    const b = newIdempotencyKey();
    expect(a).toMatch(/^[A-Za-z0-9_.:-]{8,128}$/);
    expect(a).not.toBe(b);
  });
});

describe('billingApi', () => {
  const session = { getAccessToken: async () => 'token', refresh: async () => false, signOut: () => undefined } as unknown as Session;

  it('sends the Idempotency-Key header and the body in cents', async () => {
    const fetch = vi.fn(async () => new Response(JSON.stringify({ id: 'pay-1', status: 'succeeded' }), { status: 201 }));
    const billing = billingApi(createApi({ base: '/api', session, fetch }));
    await billing.pay('p 1', { statement_id: 'st-1', amount_cents: 3000, currency: 'USD' }, 'pay-abc12345');
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/patients/p%201/payments');
    expect(init.method).toBe('POST');
    expect((init.headers as Record<string, string>)['Idempotency-Key']).toBe('pay-abc12345');
    expect((init.headers as Record<string, string>).Authorization).toBe('Bearer token');
    expect(JSON.parse(init.body as string)).toEqual({ statement_id: 'st-1', amount_cents: 3000, currency: 'USD' }); // never a card
  });

  it('reports a refusal as an ApiError with the message', async () => {
    const body = { error: { code: 'amount_exceeds_balance', message: 'the amount is more than the balance due' } };
    const fetch = vi.fn(async () => new Response(JSON.stringify(body), { status: 409 }));
    const billing = billingApi(createApi({ base: '/api', session, fetch }));
    await expect(billing.pay('p1', { statement_id: 'st-1', amount_cents: 1, currency: 'USD' }, 'pay-abc12345')).rejects.toMatchObject({
      status: 409,
      code: 'amount_exceeds_balance',
      message: body.error.message,
    });
  });

  it('asks the work list for overdue statements only when told', async () => {
    const fetch = vi.fn(async () => new Response(JSON.stringify({ items: [], next_cursor: null }), { status: 200 }));
    const billing = billingApi(createApi({ base: '/api', session, fetch }));
    await billing.openBalances(true, 'c/1');
    await billing.openBalances(false);
    expect(fetch.mock.calls.map((c) => (c as unknown as [string])[0])).toEqual([
      '/api/staff/billing/open-balances?overdue_only=true&cursor=c%2F1',
      '/api/staff/billing/open-balances',
    ]);
  });
});

describe('statementFromDraft', () => {
  const line = { description: 'Office visit', code: '99213', date: '2026-11-20', charge: '185.00' };

  it('sends typed dollars as integer cents', () => {
    const result = statementFromDraft([line, { ...line, code: 'j1100-25', charge: '0.29' }], '120.50', '', '2026-12-20');
    expect(result).toEqual({
      ok: true,
      body: {
        lines: [
          { description: 'Office visit', code: '99213', service_date: '2026-11-20', charge_cents: 18500 },
          { description: 'Office visit', code: 'J1100-25', service_date: '2026-11-20', charge_cents: 29 },
        ],
        insurance_paid_cents: 12050,
        adjustments_cents: 0,
        due_date: '2026-12-20',
      },
    });
  });

  it('points at each field that is wrong', () => {
    const result = statementFromDraft([{ description: ' ', code: 'bad code', date: '', charge: '1.234' }], 'x', '', '');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(
      ['line-0-charge', 'line-0-code', 'line-0-date', 'line-0-description', 'st-due', 'st-insurance'].sort(),
    );
  });

  it('refuses insurance plus adjustments above the charges', () => {
    const result = statementFromDraft([line], '150', '40', '2026-12-20');
    expect(result).toEqual({ ok: false, errors: { 'st-adjustments': 'Insurance paid plus adjustments are more than the charges.' } });
  });
});

describe('billing words in Spanish', () => {
  it('says amounts, card checks, cards and statuses in Spanish', async () => {
    const { i18n } = await import('@lingui/core');
    const billing = await import('./billing');
    i18n.activate('es');
    expect(billing.checkAmount('900', 12_345)).toEqual({ ok: false, error: 'Escriba $123.45 o menos: ese es el saldo a pagar.' });
    expect(billing.checkAmount('', 12_345)).toEqual({ ok: false, error: 'Escriba una cantidad en dólares, como 25.00.' });
    expect(billing.cardWords('visa', '4242')).toBe('Visa que termina en 4242');
    expect(billing.STATE_LABELS.overdue).toBe('Atrasado');
    expect(billing.PLAN_LABELS.active).toBe('Activo');
    expect(billing.formatLedgerAmount(-500)).toBe('$5.00 a su favor');
    expect(billing.checkCard({ number: '', expiry: '', cvc: '' }).number).toBe('Escriba el número de la tarjeta.');
  });
});

describe('the statement print styles', () => {
  it('hide page titles only on pages that hold a statement, receipt or plan', async () => {
    const { readFileSync } = await import('node:fs');
    const css = readFileSync(`${process.cwd()}/src/features/billing/billing.css`, 'utf8');
    const print = css.slice(css.indexOf('@media print'));
    const selectors = [...print.matchAll(/([^{}]+)\{[^{}]*display:\s*none/g)].flatMap((m) => m[1]!.split(/,(?![^(]*\))/));
    const titles = selectors.map((s) => s.trim()).filter((s) => s.includes('.page-head'));
    expect(titles.length).toBeGreaterThan(0);
    for (const selector of titles) expect(selector).toMatch(/^\.page:has\(\.bill-/);
  });
});
