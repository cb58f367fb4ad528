// The billing pages load on first use, so the main bundle stays small.

import { lazyArea } from '../../../shared/ui/LazyArea';

/** Patient pages: balance and statements, one statement, paying, receipts, payment plans. */
export function isBillingPath(path: string): boolean {
  return path === '/billing' || path.startsWith('/billing/');
}

/** Billing staff pages: the open-balance work list and a patient's ledger. */
export function isStaffBillingPath(path: string): boolean {
  return path === '/staff/billing' || /^\/staff\/billing\/patients\/[^/]+$/.test(path);
}

/** The billing pages (patients). */
export const BillingArea = lazyArea(() => import('./BillingRoutes').then((m) => m.BillingRoutes), { messages: 'billing' });

/** The work list and ledger (billing staff): an area of its own, which patients never download. */
export const BillingStaffArea = lazyArea(() => import('./BillingStaffRoutes').then((m) => m.BillingStaffRoutes), {
  messages: 'billingStaff',
});
