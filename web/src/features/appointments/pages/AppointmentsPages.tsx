// The lazily loaded chunk of the patient appointment pages and the patient-side routing under
// /appointments. The staff schedules are an area of their own (AppointmentsStaffPages): a patient never
// downloads them.

import '../appointments.css';
import { NotFoundPage } from '../../../shared/ui/Misc';
import { AppointmentsPage } from './Appointments';
import { BookPage } from './AppointmentsBook';
import { ReschedulePage } from './AppointmentsReschedule';
import { CheckinPage } from './AppointmentsCheckin';

export function PatientAppointments({ path }: { path: string }) {
  if (path === '/appointments' || path === '/appointments/') return <AppointmentsPage key={path} />;
  if (path === '/appointments/book') return <BookPage key={path} />;
  const match = /^\/appointments\/([^/]+)\/(reschedule|check-in)$/.exec(path);
  if (match) {
    let id = match[1] ?? '';
    try {
      id = decodeURIComponent(id);
    } catch {
      return <NotFoundPage />;
    }
    return match[2] === 'reschedule' ? <ReschedulePage key={path} appointmentId={id} /> : <CheckinPage key={path} appointmentId={id} />;
  }
  return <NotFoundPage />;
}
