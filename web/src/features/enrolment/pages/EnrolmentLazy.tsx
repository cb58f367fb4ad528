// The pages for people without an account yet load on first use, so the sign-in page stays small.

import { lazyArea } from '../../../shared/ui/LazyArea';

/** An invitation's code makes an account. */
export const ActivateArea = lazyArea(() => import('./Activate').then((m) => m.ActivatePage), { messages: 'activate' });

/** Ask the clinic for an invitation. */
export const RequestRegistrationArea = lazyArea(
  () => import('./RegistrationRequests').then((m) => m.RequestRegistrationPage),
  { messages: 'registration' },
);
