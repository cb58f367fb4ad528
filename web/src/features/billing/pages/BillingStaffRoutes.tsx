// The route table of the billing staff pages, an area of its own (loaded lazily by BillingLazy) so a
// patient's billing pages never download the work list, ledger, refunds or statement posting.

import '../billing.css';
import { useApp } from '../../../shared/context';
import { NotFoundPage } from '../../../shared/ui/Misc';
import { StaffLedgerPage } from './BillingLedger';
import { StaffWorkListPage } from './BillingStaff';

export function BillingStaffRoutes({ path }: { path: string }) {
  const { me } = useApp();
  if (me?.user.role !== 'billing') return <NotFoundPage />;
  if (path === '/staff/billing') return <StaffWorkListPage />;
  const ledger = /^\/staff\/billing\/patients\/([^/]+)$/.exec(path);
  if (ledger) {
    const pid = decodeURIComponent(ledger[1]!);
    return <StaffLedgerPage key={pid} patientId={pid} />;
  }
  return <NotFoundPage />;
}
