// Staff patient search: the route into the search, overview and booking pages, loaded on first use
// (their own chunk) so the main bundle stays small.

import { msg } from '@lingui/core/macro';
import { lazyArea } from '../../../shared/ui/LazyArea';

/** Search, a patient's overview and booking for them. */
export const StaffPatientsArea = lazyArea(() => import('./StaffPatientsPages').then((m) => m.StaffPatientsPage), {
  title: msg`Patients`,
  messages: 'staffPatients',
});
