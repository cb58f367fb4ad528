// The billing client: statements, payments, plans, insurance and the open-balance work list. Response
// types are aliases of the generated API types; request bodies with server defaults are typed by hand.

import type { Api, Schemas } from '../../shared/api/client';

export type StatementStatus = 'open' | 'paid' | 'void';
export type StatementState = 'due' | 'overdue' | 'paid' | 'void';

export type StatementLine = Schemas['StatementLine'];

export type Statement = Schemas['StatementOut'];

export type BalanceSummary = Schemas['BalanceSummary'];

export type StatementList = Schemas['StatementList'];

export type PrintedPayment = Schemas['PrintedPayment'];

export type PrintableStatement = Schemas['PrintableStatement'];

export type PlanLimits = Schemas['PlanLimits'];

export type TestCard = Schemas['SimulatedCard'];

export type BillingSettings = Schemas['BillingSettingsOut'];

export type PaymentStatus = Payment['status'];

export type Payment = Schemas['PaymentOut'];

export type Receipt = Schemas['Receipt'];

export type PlanStatus = 'active' | 'completed' | 'cancelled' | 'past_due';
export type InstallmentStatus = 'scheduled' | 'retrying' | 'processing' | 'paid' | 'missed' | 'skipped' | 'cancelled';

export type Installment = Schemas['InstallmentOut'];

export type Plan = Schemas['PlanOut'];

export type LedgerKind = 'statement' | 'payment' | 'void' | 'refund';

export type SavedCardState = Schemas['SavedCardState'];

export type CardSetup = Schemas['CardSetupOut'];

export type RefundIn = Schemas['RefundIn'];

export type RefundOut = Schemas['RefundOut'];

export type Dispute = Schemas['DisputeItem'];

export type LedgerEntry = Schemas['LedgerEntryOut'];

export type LedgerPage = Schemas['LedgerPage'];

export type OpenBalance = Schemas['OpenBalanceItem'];

export type OpenBalancePage = Schemas['OpenBalancePage'];

export type StatementLineIn = Schemas['StatementLineIn'];

export interface StatementIn {
  lines: StatementLineIn[];
  insurance_paid_cents: number;
  adjustments_cents: number;
  due_date: string;
  provider_name?: string | null;
}

export type PaymentIn = Schemas['PaymentIn'];

export interface PlanIn {
  statement_id: string;
  months: number;
  first_due_date?: string | null;
}

/** Start paying: the amount is checked on the server (the whole balance when left out). */
export interface PaymentStart {
  statement_id: string;
  amount_cents?: number | null;
  currency: string;
}

export type InsuranceVerification = 'unverified' | 'verified' | 'rejected';

export type Insurance = Schemas['InsuranceOut'];

export const enc = encodeURIComponent;
export const patientPath = (pid: string) => `/patients/${enc(pid)}`;
export const withSignal = (signal?: AbortSignal) => (signal ? { signal } : {});

export function billingApi(api: Api) {
  const r = api.request;
  return {
    settings: (signal?: AbortSignal) => r<BillingSettings>('/billing/settings', withSignal(signal)),
    statements: (pid: string, signal?: AbortSignal) => r<StatementList>(`${patientPath(pid)}/statements`, withSignal(signal)),
    statement: (pid: string, sid: string, signal?: AbortSignal) =>
      r<Statement>(`${patientPath(pid)}/statements/${enc(sid)}`, withSignal(signal)),
    printable: (pid: string, sid: string, signal?: AbortSignal) =>
      r<PrintableStatement>(`${patientPath(pid)}/statements/${enc(sid)}/printable`, withSignal(signal)),
    postStatement: (pid: string, body: StatementIn) =>
      r<Statement>(`${patientPath(pid)}/statements`, { method: 'POST', body }),
    voidStatement: (pid: string, sid: string, reason: string) =>
      r<Statement>(`${patientPath(pid)}/statements/${enc(sid)}/void`, { method: 'POST', body: { reason } }),
    ledger: (pid: string, cursor?: string | null, signal?: AbortSignal) =>
      r<LedgerPage>(`${patientPath(pid)}/ledger${cursor ? `?cursor=${enc(cursor)}` : ''}`, withSignal(signal)),
    payments: (pid: string, signal?: AbortSignal) => r<{ items: Payment[] }>(`${patientPath(pid)}/payments`, withSignal(signal)),
    /** The key must be the same for every retry of one attempt and new for every new attempt. */
    pay: (pid: string, body: PaymentStart, idempotencyKey: string) =>
      r<Payment>(`${patientPath(pid)}/payments`, { method: 'POST', body, headers: { 'Idempotency-Key': idempotencyKey } }),
    refreshPayment: (pid: string, paymentId: string) =>
      r<Payment>(`${patientPath(pid)}/payments/${enc(paymentId)}/refresh`, { method: 'POST' }),
    /** Demo clinic only: what Stripe.js would do (give the card to the processor, or the issuer's check). */
    confirmSimulated: (pid: string, paymentId: string, body: { client_secret: string; card_token?: string; approve?: boolean }) =>
      r<Payment>(`${patientPath(pid)}/payments/${enc(paymentId)}/simulated-confirmation`, { method: 'POST', body }),
    savedCard: (pid: string, signal?: AbortSignal) => r<SavedCardState>(`${patientPath(pid)}/saved-card`, withSignal(signal)),
    startCardSetup: (pid: string) => r<CardSetup>(`${patientPath(pid)}/saved-card/setup`, { method: 'POST' }),
    saveCard: (pid: string, setupId: string) =>
      r<SavedCardState>(`${patientPath(pid)}/saved-card`, { method: 'POST', body: { setup_id: setupId } }),
    simulatedCardSetup: (pid: string, clientSecret: string, cardToken: string) =>
      r<SavedCardState>(`${patientPath(pid)}/saved-card/simulated-setup`, {
        method: 'POST',
        body: { client_secret: clientSecret, card_token: cardToken },
      }),
    removeCard: (pid: string) => r<SavedCardState>(`${patientPath(pid)}/saved-card/remove`, { method: 'POST' }),
    refund: (pid: string, paymentId: string, body: RefundIn, idempotencyKey: string) =>
      r<RefundOut>(`${patientPath(pid)}/payments/${enc(paymentId)}/refunds`, {
        method: 'POST',
        body,
        headers: { 'Idempotency-Key': idempotencyKey },
      }),
    disputes: (signal?: AbortSignal) => r<{ items: Dispute[] }>('/staff/billing/disputes', withSignal(signal)),
    receipt: (pid: string, paymentId: string, signal?: AbortSignal) =>
      r<Receipt>(`${patientPath(pid)}/payments/${enc(paymentId)}/receipt`, withSignal(signal)),
    plans: (pid: string, signal?: AbortSignal) => r<{ items: Plan[] }>(`${patientPath(pid)}/payment-plans`, withSignal(signal)),
    createPlan: (pid: string, body: PlanIn) => r<Plan>(`${patientPath(pid)}/payment-plans`, { method: 'POST', body }),
    cancelPlan: (pid: string, planId: string) =>
      r<Plan>(`${patientPath(pid)}/payment-plans/${enc(planId)}/cancel`, { method: 'POST' }),
    insurance: (pid: string, signal?: AbortSignal) => r<{ items: Insurance[] }>(`${patientPath(pid)}/insurance`, withSignal(signal)),
    addInsurance: (pid: string, body: Schemas['InsuranceIn']) => r<Insurance>(`${patientPath(pid)}/insurance`, { method: 'POST', body }),
    updateInsurance: (pid: string, insuranceId: string, body: Schemas['InsuranceUpdate']) =>
      r<Insurance>(`${patientPath(pid)}/insurance/${enc(insuranceId)}`, { method: 'PUT', body }),
    verifyInsurance: (pid: string, insuranceId: string, result: 'verified' | 'rejected', version: number) =>
      r<Insurance>(`${patientPath(pid)}/insurance/${enc(insuranceId)}/verify`, { method: 'POST', body: { result, version } }),
    openBalances: (overdueOnly: boolean, cursor?: string | null, signal?: AbortSignal) => {
      const params = [overdueOnly ? 'overdue_only=true' : '', cursor ? `cursor=${enc(cursor)}` : ''].filter(Boolean);
      return r<OpenBalancePage>(`/staff/billing/open-balances${params.length ? `?${params.join('&')}` : ''}`, withSignal(signal));
    },
  };
}

export type BillingApi = ReturnType<typeof billingApi>;

// --- money ---
