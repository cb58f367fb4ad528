// The profile and access-log pages load on first use (their own chunk), so the main bundle stays small.

import { lazyArea } from '../../shared/ui/LazyArea';

export function isAccountPath(path: string): boolean {
  return path === '/profile' || path === '/access-log';
}

export const AccountArea = lazyArea(() => import('./AccountRoutes').then((m) => m.AccountRoutes));
