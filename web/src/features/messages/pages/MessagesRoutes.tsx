// The route table of the messaging and refill pages (loaded lazily by MessagesLazy).

import '../messages.css';
import { useApp } from '../../../shared/context';
import { NotFoundPage } from '../../../shared/ui/Misc';
import { ComposePage } from './MessagesCompose';
import { PatientInboxPage } from './MessagesInbox';
import { StaffInboxPage } from './MessagesStaff';
import { ThreadView } from './MessagesThread';
import { PatientRefillsPage } from '../../refills/pages/Refills';
import { StaffRefillsPage } from '../../refills/pages/RefillsStaff';
import { PrescriptionPrintPage } from '../../refills/pages/RefillsPrint';
import { printRoute } from '../messages';

export function MessagesRoutes({ path }: { path: string }) {
  const { me, patient } = useApp();
  if (!me) return null;
  if (me.user.role !== 'patient') {
    if (path === '/staff/messages') return <StaffInboxPage />;
    if (path === '/staff/refills' && me.user.role === 'clinician') return <StaffRefillsPage />;
    const print = me.user.role === 'clinician' ? printRoute(path) : null;
    if (print) return <PrescriptionPrintPage key={print.requestId} {...print} />;
    const staffThread = /^\/staff\/messages\/([^/]+)\/([^/]+)$/.exec(path);
    if (staffThread) {
      const pid = decodeURIComponent(staffThread[1]!);
      const tid = decodeURIComponent(staffThread[2]!);
      return <ThreadView key={tid} patientId={pid} threadId={tid} staff />;
    }
    return <NotFoundPage />;
  }
  if (!patient) return <NotFoundPage />;
  if (path === '/messages') return <PatientInboxPage />;
  if (path === '/messages/new') return <ComposePage />;
  if (path === '/refills') return <PatientRefillsPage />;
  const thread = /^\/messages\/([^/]+)$/.exec(path);
  if (thread) {
    const tid = decodeURIComponent(thread[1]!);
    return <ThreadView key={tid} patientId={patient.id} threadId={tid} staff={false} />;
  }
  return <NotFoundPage />;
}
