// Pure helpers for the clinician's work queue (wording, counts).

import { plural as icuPlural, t } from '@lingui/core/macro';
import type { QueueResult } from './api';

export const QUEUE_PATH = '/staff/queue';
export const MAX_COMMENT_CHARS = 2000;

export function priorityText(priority: QueueResult['priority']): string {
  if (priority === 'critical') return t`Critical`;
  if (priority === 'abnormal') return t`Abnormal`;
  return t`Not flagged`;
}

/** A capped count in words: "100+" once the server stopped counting. */
export function countText(count: number, cap: number): string {
  return count >= cap ? `${cap}+` : String(count);
}

/** "3 results to review, 2 abnormal or critical" and the like, for the home page. */
export function resultsSummary(total: number, abnormal: number, cap: number): string {
  if (total === 0) return t`No results waiting for review.`;
  const shown = countText(total, cap);
  const worst = countText(abnormal, cap);
  const results = icuPlural(total, { one: `${shown} result to review`, other: `${shown} results to review` });
  return abnormal > 0 ? t`${results}, ${worst} abnormal or critical.` : t`${results}.`;
}

/** "3 refill requests to decide." (capped like the server counts). */
export function refillsSummary(count: number, cap: number): string {
  const shown = countText(count, cap);
  return icuPlural(count, { one: `${shown} refill request to decide.`, other: `${shown} refill requests to decide.` });
}

/** "2 messages waiting for a reply." (capped like the server counts). */
export function threadsSummary(count: number, cap: number): string {
  const shown = countText(count, cap);
  return icuPlural(count, { one: `${shown} message waiting for a reply.`, other: `${shown} messages waiting for a reply.` });
}

/** "120+ conversations in all: see the inbox." */
export function threadsInAll(count: number, cap: number): string {
  const shown = countText(count, cap);
  return icuPlural(count, { one: `${shown} conversation in all: see the inbox.`, other: `${shown} conversations in all: see the inbox.` });
}
