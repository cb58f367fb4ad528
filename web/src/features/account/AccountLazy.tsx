// The profile and access-log pages load on first use (their own chunk), so the main bundle stays small.

import { msg } from '@lingui/core/macro';
import { lazyArea } from '../../shared/ui/LazyArea';

export function isAccountPath(path: string): boolean {
  return path === '/profile' || path === '/access-log';
}

/** Forgotten password and username, from the sign-in page. */
export const ForgotPasswordArea = lazyArea(() => import('./pages/ForgotPassword').then((m) => m.ForgotPasswordPage), {
  messages: 'forgotPassword',
});
export const ForgotUsernameArea = lazyArea(() => import('./pages/ForgotUsername').then((m) => m.ForgotUsernamePage), {
  messages: 'forgotUsername',
});

export const AccountArea = lazyArea(() => import('./AccountRoutes').then((m) => m.AccountRoutes), { messages: 'account' });

// "Sign-in and security": its own chunk (with the enrolment's QR code drawing), on the profile and at /security.
export const SecurityArea = lazyArea(() => import('./pages/Security').then((m) => m.SecuritySection), {
  loadingLabel: msg`Loading sign-in settings…`,
});
export const SecurityPageArea = lazyArea(() => import('./pages/Security').then((m) => m.SecurityPage));
