// The route table of the patient billing pages (loaded lazily by BillingLazy). The staff pages are an area
// of their own (BillingStaffRoutes): a patient never downloads them.

import '../billing.css';
import { useApp } from '../../../shared/context';
import { NotFoundPage } from '../../../shared/ui/Misc';
import { BillingHomePage } from './BillingHome';
import { StatementPage } from './BillingStatement';
import { ReceiptPage } from './BillingReceipt';
import { PayPage } from './BillingPay';
import { PlanPage } from './BillingPlan';
import { SavedCardPage } from './BillingSavedCard';

export function BillingRoutes({ path }: { path: string }) {
  const { patient } = useApp();
  if (!patient) return <NotFoundPage />;
  if (path === '/billing') return <BillingHomePage />;
  if (path === '/billing/card') return <SavedCardPage />;
  const statement = /^\/billing\/statements\/([^/]+)(\/pay|\/plan)?$/.exec(path);
  if (statement) {
    const sid = decodeURIComponent(statement[1]!);
    if (statement[2] === '/pay') return <PayPage key={sid} statementId={sid} />;
    if (statement[2] === '/plan') return <PlanPage key={sid} statementId={sid} />;
    return <StatementPage key={sid} statementId={sid} />;
  }
  const receipt = /^\/billing\/receipts\/([^/]+)$/.exec(path);
  if (receipt) {
    const id = decodeURIComponent(receipt[1]!);
    return <ReceiptPage key={id} paymentId={id} />;
  }
  return <NotFoundPage />;
}
