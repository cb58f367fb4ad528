// The health-record pages load on first use, so the main bundle stays small.

import { lazyArea } from '../../../shared/ui/LazyArea';

/** Patient pages of the health record. */
export function isRecordsPath(path: string): boolean {
  return path === '/record' || path === '/record/summary' || path === '/results' || path.startsWith('/results/') || path === '/documents';
}

/** Clinician pages: the results work list and a patient's chart. */
export function isStaffRecordsPath(path: string): boolean {
  return path === '/staff/results' || /^\/staff\/patients\/[^/]+$/.test(path);
}

/** The health-record pages (patients) and the results work list and chart (clinicians). */
export const RecordsArea = lazyArea(() => import('./RecordsRoutes').then((m) => m.RecordsRoutes), { messages: 'records' });
