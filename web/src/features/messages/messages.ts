// The pure helpers behind the messaging pages: character counting, labels, waiting times, paths, and the
// unread-count signal (the client and its types are in api.ts).

import { plural, t } from '@lingui/core/macro';
import type { Role } from '../../shared/api/client';
import { formatNumber, formatShortDate, formatTime } from '../../shared/format';
import type { InboxState, ThreadSummary } from './api';

export const MAX_BODY_CHARS = 10_000;
export const MAX_SUBJECT_CHARS = 120;
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
  const limit = formatNumber(max);
  if (count > max) {
    const over = count - max;
    return plural(over, {
      one: `${formatNumber(over)} character over the limit of ${limit}`,
      other: `${formatNumber(over)} characters over the limit of ${limit}`,
    });
  }
  const used = formatNumber(count);
  return t`${used} of ${limit} characters`;
}

/** What is wrong with a message body, in words, or null. */
export function bodyProblem(text: string, max: number = MAX_BODY_CHARS): string | null {
  const count = countChars(text);
  if (count === 0) return t`Write your message.`;
  if (count > max) {
    const over = count - max;
    const overText = formatNumber(over);
    const limit = formatNumber(max);
    return plural(over, {
      one: `Your message is ${overText} character too long. Shorten it to ${limit} characters or fewer.`,
      other: `Your message is ${overText} characters too long. Shorten it to ${limit} characters or fewer.`,
    });
  }
  return null;
}

export function subjectProblem(text: string): string | null {
  const value = text.trim();
  if (!value) return t`Enter a subject.`;
  if (countChars(value) > MAX_SUBJECT_CHARS) return t`Keep the subject to ${MAX_SUBJECT_CHARS} characters or fewer.`;
  return null;
}

/** A count badge as the API caps it: 100 with a cap of 100 reads "100+". */
export function badgeText(count: number, cap?: number): string {
  return cap !== undefined && count >= cap ? `${cap}+` : String(count);
}

/** "3 minutes", "5 hours", "2 days": how long something has been waiting. */
export function waitingText(sinceIso: string, now: Date = new Date()): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - new Date(sinceIso).getTime()) / 60_000));
  if (minutes < 1) return t`less than a minute`;
  if (minutes < 60) return plural(minutes, { one: '# minute', other: '# minutes' });
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return plural(hours, { one: '# hour', other: '# hours' });
  const days = Math.floor(hours / 24);
  return plural(days, { one: '# day', other: '# days' });
}

/** A compact time for lists: today -> "3:05 PM", this year -> "Nov 3", else "Nov 3, 2024". */
export function listTime(iso: string, now: Date = new Date()): string {
  const d = new Date(iso);
  if (d.toDateString() === now.toDateString()) return formatTime(iso);
  return formatShortDate(iso, d.getFullYear() !== now.getFullYear());
}

/** The inbox tabs, named in the language on screen. */
export function inboxStates(): ReadonlyArray<[InboxState, string]> {
  return [
    ['unread', t({ message: 'Unread', context: 'inbox tab' })],
    ['open', t({ message: 'Open', context: 'inbox tab' })],
    ['closed', t({ message: 'Closed', context: 'inbox tab' })],
  ];
}

/** The patient's view of where a conversation stands. */
export function patientThreadStatus(thread: Pick<ThreadSummary, 'status' | 'last_from'>): string {
  if (thread.status === 'closed') return t`Closed`;
  return thread.last_from === 'clinic' ? t`Care team replied` : t`Waiting for the care team`;
}

/** Route predicates (kept here so they can be tested without loading the pages). */
export function isPatientMessagesPath(path: string): boolean {
  return path === '/messages' || path === '/messages/new' || /^\/messages\/[^/]+$/.test(path) || path === '/refills';
}

export function isStaffMessagesPath(path: string, role: Role): boolean {
  if (role === 'patient') return false;
  if (path === '/staff/messages' || /^\/staff\/messages\/[^/]+\/[^/]+$/.test(path)) return true;
  return role === 'clinician' && (path === '/staff/refills' || PRINT_PATH.test(path));
}

const PRINT_PATH = /^\/staff\/refills\/([^/]+)\/([^/]+)\/print$/;

/** The printable prescription request's ids, from its path. */
export function printRoute(path: string): { patientId: string; requestId: string } | null {
  const match = PRINT_PATH.exec(path);
  if (!match) return null;
  try {
    return { patientId: decodeURIComponent(match[1]!), requestId: decodeURIComponent(match[2]!) };
  } catch {
    return null;
  }
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
