// Which staff page a path under /staff/patients is, and who may use which: apart from the search and chart
// helpers so the app shell can route without loading them.

import type { Role } from '../../shared/api/client';

/** Staff who review eCheck-in answers into the record (the API's checkin_review:read and :decide). */
export function canReviewCheckin(role: Role | undefined): boolean {
  return role === 'front_desk' || role === 'clinician';
}

/** Staff who may book for a patient (the API's appointment:book, less the patient). */
export function canBook(role: Role | undefined): boolean {
  return role === 'front_desk' || role === 'clinician';
}

/** Which staff page a path under /staff/patients is, for this role; null when it is not ours to show. */
export type StaffPatientsRoute =
  | { page: 'search' }
  | { page: 'register' }
  | { page: 'requests' }
  | { page: 'overview'; patientId: string }
  | { page: 'book'; patientId: string }
  | { page: 'checkin-review'; patientId: string; appointmentId: string };

/** Staff who register patients and invite them to the portal (the API's patient:register). */
export function canRegister(role: Role | undefined): boolean {
  return role === 'front_desk' || role === 'admin';
}

export function staffPatientsRoute(path: string, role: Role | undefined): StaffPatientsRoute | null {
  if (!role || role === 'patient') return null;
  if (path === '/staff/patients' || path === '/staff/patients/') return { page: 'search' };
  if (path === '/staff/patients/new') return canRegister(role) ? { page: 'register' } : null;
  if (path === '/staff/patients/requests') return canRegister(role) ? { page: 'requests' } : null;
  const review = /^\/staff\/patients\/([^/]+)\/checkins\/([^/]+)$/.exec(path);
  if (review) {
    try {
      const [patientId, appointmentId] = [decodeURIComponent(review[1]!), decodeURIComponent(review[2]!)];
      return canReviewCheckin(role) ? { page: 'checkin-review', patientId, appointmentId } : null;
    } catch {
      return null;
    }
  }
  const match = /^\/staff\/patients\/([^/]+)(\/book)?$/.exec(path);
  if (!match) return null;
  let patientId: string;
  try {
    patientId = decodeURIComponent(match[1]!);
  } catch {
    return null;
  }
  if (match[2]) return canBook(role) ? { page: 'book', patientId } : null;
  // Clinicians' chart is the records area's StaffChartPage; other staff get the overview.
  return role === 'clinician' ? null : { page: 'overview', patientId };
}
