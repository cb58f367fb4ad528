// The messaging client: care teams, conversations, replies, attachments, the care-team inbox.

import type { Api, Schemas } from '../../shared/api/client';

export type ThreadStatus = 'open' | 'closed';
export type InboxState = 'unread' | 'open' | 'closed';
export type Side = 'patient' | 'clinic';

export type CareTeam = Schemas['CareTeamOut'];

export type CareTeams = Schemas['CareTeamsOut'];

export type AttachmentInfo = Schemas['AttachmentOut'];

export type ThreadMessage = Schemas['MessageOut'];

export type ThreadSummary = Schemas['ThreadOut'];

export type ThreadDetail = Schemas['ThreadDetailOut'];

export type ThreadPage = Schemas['ThreadPage'];

export type InboxPage = Schemas['InboxPage'];

export type PoolOverview = Schemas['PoolOverviewOut'];

export type PoolsOverview = Schemas['PoolsOut'];

export type NewThread = Schemas['NewThreadIn'];

// --- API calls (through the shared client's `call`, so tokens, refresh and errors work as everywhere) ---

const enc = encodeURIComponent;
const withQuery = (path: string, params: Record<string, string | number | null | undefined>) => {
  const pairs = Object.entries(params).filter((p): p is [string, string | number] => p[1] != null && p[1] !== '');
  return pairs.length ? `${path}?${pairs.map(([k, v]) => `${k}=${enc(String(v))}`).join('&')}` : path;
};
const opts = (signal?: AbortSignal) => (signal ? { signal } : {});

export function messagesApi(api: Api) {
  const patient = (pid: string) => `/patients/${enc(pid)}`;
  const thread = (pid: string, tid: string) => `${patient(pid)}/threads/${enc(tid)}`;
  return {
    careTeams: (signal?: AbortSignal) => api.request<CareTeams>('/care-teams', opts(signal)),
    threads: (pid: string, cursor?: string | null, signal?: AbortSignal) =>
      api.request<ThreadPage>(withQuery(`${patient(pid)}/threads`, { cursor }), opts(signal)),
    unread: (pid: string, signal?: AbortSignal) =>
      api.request<{ unread_threads: number }>(`${patient(pid)}/threads/unread`, opts(signal)),
    startThread: (pid: string, body: NewThread) =>
      api.request<ThreadDetail>(`${patient(pid)}/threads`, { method: 'POST', body }),
    openThread: (pid: string, tid: string, cursor?: string | null, signal?: AbortSignal) =>
      api.request<ThreadDetail>(withQuery(thread(pid, tid), { cursor }), opts(signal)),
    reply: (pid: string, tid: string, body: { body: string; attachment_ids: string[] }) =>
      api.request<ThreadDetail>(`${thread(pid, tid)}/messages`, { method: 'POST', body }),
    attachmentLink: (pid: string, tid: string, documentId: string) =>
      api.request<{ url: string; expires_in: number }>(`${thread(pid, tid)}/attachments/${enc(documentId)}`),
    assign: (pid: string, tid: string) => api.request<ThreadSummary>(`${thread(pid, tid)}/assign`, { method: 'POST' }),
    close: (pid: string, tid: string) => api.request<ThreadSummary>(`${thread(pid, tid)}/close`, { method: 'POST' }),
    pools: (signal?: AbortSignal) => api.request<PoolsOverview>('/staff/pools', opts(signal)),
    inbox: (pool: string, state: InboxState, cursor?: string | null, signal?: AbortSignal) =>
      api.request<InboxPage>(withQuery(`/staff/pools/${enc(pool)}/inbox`, { state, cursor }), opts(signal)),
  };
}

export type MessagesApi = ReturnType<typeof messagesApi>;

// --- pure helpers ---
