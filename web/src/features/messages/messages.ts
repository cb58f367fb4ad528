// Types and API calls for secure messaging and refill requests, plus the pure helpers
// the pages use (character counting, labels, waiting times, which medications can be refilled).

import type { Api, Role, Schemas } from '../../shared/api/client';
import type { Medication } from '../records/api';

// --- the JSON contract: aliases of the generated API types; request bodies by hand ---

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

export interface PharmacyAddress {
  line1: string;
  line2: string | null;
  city: string;
  state: string;
  postal_code: string;
}

export type Pharmacy = Schemas['PharmacyOut'];

/** What a patient types to save a pharmacy (mirrors PharmacyIn). */
export interface PharmacyIn {
  name: string;
  phone: string;
  address: PharmacyAddress & { line2: string | null };
  ncpdp_id: string | null;
}

export type RefillStatus = 'open' | 'approved' | 'denied';

export type RefillRequest = Schemas['RefillOut'];

export type RefillPage = Schemas['RefillPage'];

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
    pharmacies: (pid: string, signal?: AbortSignal) =>
      api.request<{ items: Pharmacy[] }>(`${patient(pid)}/pharmacies`, opts(signal)),
    addPharmacy: (pid: string, body: PharmacyIn) =>
      api.request<Pharmacy>(`${patient(pid)}/pharmacies`, { method: 'POST', body }),
    removePharmacy: (pid: string, pharmacyId: string) =>
      api.request<null>(`${patient(pid)}/pharmacies/${enc(pharmacyId)}`, { method: 'DELETE' }),
    refills: (pid: string, cursor?: string | null, signal?: AbortSignal) =>
      api.request<RefillPage>(withQuery(`${patient(pid)}/refill-requests`, { cursor }), opts(signal)),
    requestRefill: (pid: string, body: { medication_id: string; pharmacy_id: string; note: string }) =>
      api.request<RefillRequest>(`${patient(pid)}/refill-requests`, { method: 'POST', body }),
    decideRefill: (pid: string, rid: string, body: { decision: 'approve' | 'deny'; note: string }) =>
      api.request<RefillRequest>(`${patient(pid)}/refill-requests/${enc(rid)}/decision`, { method: 'POST', body }),
    refillWorkList: (cursor?: string | null, signal?: AbortSignal) =>
      api.request<RefillPage>(withQuery('/staff/refill-requests', { cursor }), opts(signal)),
  };
}

export type MessagesApi = ReturnType<typeof messagesApi>;

// --- pure helpers ---

export const MAX_BODY_CHARS = 10_000;
export const MAX_SUBJECT_CHARS = 120;
export const MAX_REFILL_NOTE_CHARS = 500;
export const MAX_DECISION_NOTE_CHARS = 1000;

/**
 * Characters as the server counts them (Unicode code points after trimming and CRLF -> LF), so an emoji
 * counts once, as it does in the 10,000-character limit.
 */
export function countChars(text: string): number {
  let n = 0;
  for (const _ of text.replace(/\r\n?/g, '\n').trim()) n++;
  return n;
}

/** "1,234 of 10,000 characters" / "12 characters over the limit". */
export function counterText(count: number, max: number): string {
  const f = (n: number) => n.toLocaleString('en-US');
  if (count > max) return `${f(count - max)} ${count - max === 1 ? 'character' : 'characters'} over the limit of ${f(max)}`;
  return `${f(count)} of ${f(max)} characters`;
}

/** What is wrong with a message body, in words, or null. */
export function bodyProblem(text: string, max: number = MAX_BODY_CHARS): string | null {
  const count = countChars(text);
  if (count === 0) return 'Write your message.';
  if (count > max) {
    const over = count - max;
    return `Your message is ${over.toLocaleString('en-US')} ${over === 1 ? 'character' : 'characters'} too long. Shorten it to ${max.toLocaleString('en-US')} characters or fewer.`;
  }
  return null;
}

export function subjectProblem(text: string): string | null {
  const value = text.trim();
  if (!value) return 'Enter a subject.';
  if (countChars(value) > MAX_SUBJECT_CHARS) return `Keep the subject to ${MAX_SUBJECT_CHARS} characters or fewer.`;
  return null;
}

/** A count badge as the API caps it: 100 with a cap of 100 reads "100+". */
export function badgeText(count: number, cap?: number): string {
  return cap !== undefined && count >= cap ? `${cap}+` : String(count);
}

/** "3 minutes", "5 hours", "2 days": how long something has been waiting. */
export function waitingText(sinceIso: string, now: Date = new Date()): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - new Date(sinceIso).getTime()) / 60_000));
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (minutes < 1) return 'less than a minute';
  if (minutes < 60) return plural(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return plural(hours, 'hour');
  return plural(Math.floor(hours / 24), 'day');
}

/** A compact time for lists: today -> "3:05 PM", this year -> "Nov 3", else "Nov 3, 2024". */
export function listTime(iso: string, now: Date = new Date()): string {
  const d = new Date(iso);
  if (d.toDateString() === now.toDateString()) {
    return new Intl.DateTimeFormat('en-US', { hour: 'numeric', minute: '2-digit' }).format(d);
  }
  const sameYear = d.getFullYear() === now.getFullYear();
  return new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', ...(sameYear ? {} : { year: 'numeric' }) }).format(d);
}

export const INBOX_STATES: ReadonlyArray<[InboxState, string]> = [
  ['unread', 'Unread'],
  ['open', 'Open'],
  ['closed', 'Closed'],
];

/** The patient's view of where a conversation stands. */
export function patientThreadStatus(t: Pick<ThreadSummary, 'status' | 'last_from'>): string {
  if (t.status === 'closed') return 'Closed';
  return t.last_from === 'clinic' ? 'Care team replied' : 'Waiting for the care team';
}

export const REFILL_STATUS: Record<RefillStatus, { label: string; tone: 'waiting' | 'good' | 'bad' }> = {
  open: { label: 'Waiting for review', tone: 'waiting' },
  approved: { label: 'Approved', tone: 'good' },
  denied: { label: 'Not approved', tone: 'bad' },
};

export interface RefillChoice {
  medication: Medication;
  /** Why it can't be chosen now, or null. */
  blocked: string | null;
}

/** Active medications, each marked when a request for it is already open (the server refuses a second). */
export function refillChoices(medications: Medication[], requests: RefillRequest[]): RefillChoice[] {
  const open = new Set(requests.filter((r) => r.status === 'open').map((r) => r.medication_id));
  return medications
    .filter((m) => m.status === 'active')
    .map((m) => ({ medication: m, blocked: open.has(m.id) ? 'a request is already open' : null }));
}

export function pharmacyLine(p: Pharmacy): string {
  const a = p.address;
  return `${a.line1}${a.line2 ? `, ${a.line2}` : ''}, ${a.city}, ${a.state} ${a.postal_code}`;
}

/** Route predicates (kept here so they can be tested without loading the pages). */
export function isPatientMessagesPath(path: string): boolean {
  return path === '/messages' || path === '/messages/new' || /^\/messages\/[^/]+$/.test(path) || path === '/refills';
}

export function isStaffMessagesPath(path: string, role: Role): boolean {
  if (role === 'patient') return false;
  if (path === '/staff/messages' || /^\/staff\/messages\/[^/]+\/[^/]+$/.test(path)) return true;
  return role === 'clinician' && path === '/staff/refills';
}

// --- the nav badge listens for changes the pages make ---

const UNREAD_EVENT = 'portal:messages-unread-changed';

/** Tell the navigation badge to fetch the unread count again (after opening a thread or sending). */
export function announceUnreadChanged(): void {
  if (typeof window !== 'undefined') window.dispatchEvent(new Event(UNREAD_EVENT));
}

export function onUnreadChanged(listener: () => void): () => void {
  window.addEventListener(UNREAD_EVENT, listener);
  return () => window.removeEventListener(UNREAD_EVENT, listener);
}
