// The pure helpers behind the refill pages: limits, status labels, which medications can be refilled.

import type { Medication } from '../records/api';
import type { Pharmacy, RefillRequest, RefillStatus } from './api';

export const MAX_REFILL_NOTE_CHARS = 500;
export const MAX_DECISION_NOTE_CHARS = 1000;

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
