// The route table of the billing area (loaded lazily by BillingLazy).

import '../billing.css';
import { useApp } from '../../../shared/context';
import { NotFoundPage } from '../../../shared/ui/Misc';
import { BillingHomePage } from './BillingHome';
import { PayPage } from './BillingPay';
import { PlanPage } from './BillingPlan';
import { ReceiptPage } from './BillingReceipt';
import { SavedCardPage } from './BillingSavedCard';
import { StatementPage } from './BillingStatement';
import { StaffLedgerPage } from './BillingLedger';
import { StaffWorkListPage } from './BillingStaff';

export function BillingRoutes({ path }: { path: string }) {
  const { me, patient } = useApp();
  if (me?.user.role === 'billing') {
    if (path === '/staff/billing') return <StaffWorkListPage />;
    const ledger = /^\/staff\/billing\/patients\/([^/]+)$/.exec(path);
    if (ledger) {
      const pid = decodeURIComponent(ledger[1]!);
      return <StaffLedgerPage key={pid} patientId={pid} />;
    }
    return <NotFoundPage />;
  }
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
