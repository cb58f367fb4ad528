// Billing staff's screens read in the language on screen: a patient's ledger and its refund form, and the
// work list's disputes, in Spanish; the API's words (dispute reasons, ledger lines) go through label tables.

import { i18n } from '@lingui/core';
import { I18nProvider } from '@lingui/react';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import type { Api, Me } from '../../shared/api/client';
import { AppContext } from '../../shared/context';
import { appContext, mountPoint } from '../../shared/test/fakes';
import { disputeReasonLabel, disputeStatusLabel, ledgerEntryText } from './staffWords';
import { StaffLedgerPage } from './pages/BillingLedger';
import { StaffWorkListPage } from './pages/BillingStaff';

const me = { user: { sub: 'sub-bill', username: 'bill', display_name: 'Bea Billing', role: 'billing' }, patients: [] } as unknown as Me;

const statement = {
  id: 'st-1',
  number: 'S-1001',
  lines: [{ code: '99213' }],
  posted_at: '2026-11-02T15:00:00Z',
  due_date: '2026-12-02',
  state: 'due',
  status: 'open',
  void_reason: null,
  patient_responsibility_cents: 8000,
  balance_cents: 8000,
  paid_cents: 0,
  pending_cents: 0,
  plan_id: null,
  currency: 'USD',
};

const ANSWERS: [RegExp, unknown][] = [
  [/\/profile$/, { legal_name: { given: 'Riley', family: 'Stone' }, birth_date: '1984-03-09' }],
  [
    /\/statements$/,
    { summary: { balance_cents: 8000, overdue_cents: 0, pending_cents: 0, open_statements: 1, currency: 'USD' }, items: [statement] },
  ],
  [
    /\/ledger$/,
    {
      summary: {},
      next_cursor: null,
      items: [
        { id: 'l-2', at: '2026-11-05T15:00:00Z', kind: 'payment', amount_cents: -2000, currency: 'USD', statement_id: 'st-0', description: 'Card payment (Visa ending 4242)' },
        { id: 'l-1', at: '2026-11-04T15:00:00Z', kind: 'void', amount_cents: -1500, currency: 'USD', statement_id: 'st-0', description: 'Statement S-1000 voided' },
      ],
    },
  ],
  [
    /\/payments$/,
    {
      items: [
        { id: 'pay-1', status: 'succeeded', succeeded_at: '2026-11-05T15:00:00Z', created_at: '2026-11-05T15:00:00Z', card_brand: 'visa', card_last4: '4242', dispute_status: null, amount_cents: 2000, refunded_cents: 0, currency: 'USD' },
      ],
    },
  ],
  [/\/insurance$/, { items: [] }],
  [
    /\/open-balances/,
    {
      next_cursor: null,
      items: [
        { statement_id: 'st-1', number: 'S-1001', patient_id: 'p-1', patient_name: 'Riley Stone', due_date: '2026-12-02', state: 'overdue', on_payment_plan: true, pending_cents: 0, balance_cents: 8000, patient_responsibility_cents: 8000, currency: 'USD' },
      ],
    },
  ],
  [
    /\/disputes$/,
    { items: [{ payment_id: 'pay-9', patient_id: 'p-2', statement_id: 'st-9', disputed_at: '2026-11-20T15:00:00Z', reason: 'fraudulent', status: 'needs_response', amount_cents: 4500, currency: 'USD' }] },
  ],
];

const api = {
  request: async (path: string) => {
    const answer = ANSWERS.find(([pattern]) => pattern.test(path.split('?')[0]!));
    if (!answer) throw new Error(`unexpected request ${path}`);
    return answer[1];
  },
} as unknown as Api;

const value = appContext(api, me);

const mount = mountPoint();

afterEach(() => {
  i18n.activate('en');
});

async function show(page: preact.JSX.Element) {
  render(
    <I18nProvider i18n={i18n}>
      <AppContext.Provider value={value}>{page}</AppContext.Provider>
    </I18nProvider>,
    mount(),
  );
  for (let i = 0; i < 5; i++) {
    await act(async () => {
      await new Promise((r) => setTimeout(r, 0));
    });
  }
}

const texts = (selector: string) => [...mount().querySelectorAll(selector)].map((el) => el.textContent?.trim());
const button = (name: string) => [...mount().querySelectorAll('button')].find((b) => b.textContent?.trim() === name);

describe('billing staff screens in Spanish', () => {
  it("reads a patient's ledger, its money and dates, and the refund form in Spanish", async () => {
    await act(async () => {
      i18n.activate('es');
    });
    await show(<StaffLedgerPage patientId="p-1" />);

    expect(mount().textContent).toContain('Nació el 9 de marzo de 1984 · paciente p-1');
    expect(texts('h2')).toEqual(expect.arrayContaining(['Estados de cuenta', 'Pagos con tarjeta', 'Registro de cuenta']));
    expect(texts('.bill-stat-note')).toContain('1 estado de cuenta pendiente');
    expect(texts('th[scope="col"]')).toEqual(expect.arrayContaining(['Publicado', 'Vence', 'A cargo del paciente', 'Movimiento']));
    expect(mount().querySelector('td[data-label="Vence"]')?.textContent).toBe('2 de diciembre de 2026');
    expect(button('Anular el estado de cuenta S-1001')).toBeDefined();
    expect(button('Publicar un estado de cuenta')).toBeDefined();
    const entries = texts('td[data-label="Movimiento"]');
    expect(entries).toEqual(['Pago con tarjeta (Visa que termina en 4242)', 'Estado de cuenta S-1000 anulado']);
    expect(mount().textContent).toContain('$20.00 a su favor');

    await act(async () => {
      [...mount().querySelectorAll('button')].find((b) => b.textContent?.startsWith('Reembolsar'))!.click();
    });
    const form = mount().querySelector('form.bill-refund')!;
    expect(form.getAttribute('aria-label')).toBe('Reembolsar');
    expect(texts('#refund-reason option')).toEqual(['Elija…', 'El paciente lo pidió', 'Se cobró dos veces', 'Error de facturación', 'Otro']);
    await act(async () => {
      button('Reembolsar a la tarjeta')!.click();
    });
    expect(form.textContent).toContain('Elija un motivo.');
    expect(mount().textContent).not.toMatch(/Card payments|Statements|Refund to the card|Choose a reason/);
  });

  it('reads the work list and the disputes in Spanish', async () => {
    await act(async () => {
      i18n.activate('es');
    });
    await show(<StaffWorkListPage />);

    expect(mount().querySelector('label[for="wl-overdue"]')?.textContent).toBe('Solo atrasados');
    expect(mount().querySelector('.bill-worklist-total')?.textContent).toBe('Se muestra 1 estado de cuenta · $80.00 pendiente');
    expect(mount().textContent).toContain('Plan de pagos');
    const dispute = mount().querySelector('tr:has(td[data-label="Motivo"])');
    expect(dispute?.querySelector('td[data-label="Motivo"]')?.textContent).toBe('Dice que no hizo el pago');
    expect(dispute?.querySelector('td[data-label="Estado"]')?.textContent).toBe('Hay que responder');
    expect(mount().textContent).not.toMatch(/Open balances|Overdue only|fraudulent|needs response/);
  });
});

describe('the API words staff see', () => {
  it('names dispute reasons and statuses, and shows an unknown one as sent', () => {
    expect(disputeReasonLabel('fraudulent')).toBe('Says they did not make it');
    expect(disputeStatusLabel('under_review')).toBe('Under review by the bank');
    expect(disputeReasonLabel('a_new_reason')).toBe('a new reason');
  });

  it('reads ledger lines by their kind, and leaves a line of unknown shape as sent', () => {
    expect(ledgerEntryText({ kind: 'statement', description: 'Statement S-1' })).toBe('Statement S-1');
    expect(ledgerEntryText({ kind: 'refund', description: 'Refund (Visa ending 4242)' })).toBe('Refund (Visa ending 4242)');
    expect(ledgerEntryText({ kind: 'payment', description: 'Card payment' })).toBe('Card payment');
    i18n.activate('es');
    expect(ledgerEntryText({ kind: 'refund', description: 'Refund (Mastercard ending 4444)' })).toBe('Reembolso (Mastercard que termina en 4444)');
    expect(ledgerEntryText({ kind: 'statement', description: 'Statement S-1' })).toBe('Estado de cuenta S-1');
    expect(ledgerEntryText({ kind: 'refund', description: 'Refund' })).toBe('Reembolso');
    expect(ledgerEntryText({ kind: 'payment', description: 'Paid at the front desk' })).toBe('Paid at the front desk');
  });
});
