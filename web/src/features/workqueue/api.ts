// The clinician's work queue client: what waits for a clinician today, and its counts for the home page.

import type { Api, Schemas } from '../../shared/api/client';

export type WorkQueue = Schemas['WorkQueueOut'];
export type QueueResult = Schemas['QueueResult'];
export type QueueRefill = Schemas['QueueRefill'];
export type QueueThread = Schemas['QueueThread'];
export type QueueCounts = Schemas['QueueCounts'];

const opts = (signal?: AbortSignal) => (signal ? { signal } : {});

export function workQueueApi(api: Api) {
  return {
    queue: (cursor?: string | null, signal?: AbortSignal) =>
      api.request<WorkQueue>(cursor ? `/staff/queue?cursor=${encodeURIComponent(cursor)}` : '/staff/queue', opts(signal)),
    counts: (signal?: AbortSignal) => api.request<QueueCounts>('/staff/queue/counts', opts(signal)),
    markReviewed: (pid: string, rid: string, comment: string) =>
      api.request<Schemas['ResultOut']>(`/patients/${encodeURIComponent(pid)}/results/${encodeURIComponent(rid)}/review`, {
        method: 'POST',
        body: { comment: comment.trim() || null },
      }),
  };
}
