// Pure helpers for the clinician's work queue (wording, counts).

import type { QueueResult } from './api';

export const QUEUE_PATH = '/staff/queue';
export const MAX_COMMENT_CHARS = 2000;

const PRIORITY_TEXT: Record<QueueResult['priority'], string> = {
  critical: 'Critical',
  abnormal: 'Abnormal',
  normal: 'Not flagged',
};

export function priorityText(priority: QueueResult['priority']): string {
  return PRIORITY_TEXT[priority];
}

/** A capped count in words: "100+" once the server stopped counting. */
export function countText(count: number, cap: number): string {
  return count >= cap ? `${cap}+` : String(count);
}

/** "3 results to review, 2 abnormal or critical" and the like, for the home page. */
export function resultsSummary(total: number, abnormal: number, cap: number): string {
  if (total === 0) return 'No results waiting for review.';
  const noun = total === 1 ? 'result' : 'results';
  const worst = abnormal > 0 ? `, ${countText(abnormal, cap)} abnormal or critical` : '';
  return `${countText(total, cap)} ${noun} to review${worst}.`;
}

export function plural(count: number, cap: number, one: string, many: string): string {
  return `${countText(count, cap)} ${count === 1 ? one : many}`;
}
