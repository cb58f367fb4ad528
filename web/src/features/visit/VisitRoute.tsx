// The visit page loads on first use, in its own chunk (the Chime SDK only in a further chunk inside it).
// Only the path check and this one loader stay in the main bundle.

import { msg } from '@lingui/core/macro';
import { lazyArea } from '../../shared/ui/LazyArea';

const VISIT = /^\/visit\/([A-Za-z0-9_-]{1,64})\/([A-Za-z0-9_-]{1,80})$/;

/** The patient and appointment of a /visit/<pid>/<aid> path, or null. */
export function visitRoute(path: string): { pid: string; aid: string } | null {
  const match = VISIT.exec(path);
  return match ? { pid: match[1]!, aid: match[2]! } : null;
}

export const VisitRoute = lazyArea(() => import('./VisitPage').then((m) => m.VisitPage), {
  title: msg`Video visit`,
  loadingLabel: msg`Opening your video visit…`,
  messages: 'visit',
});
