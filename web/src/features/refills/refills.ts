// The pure helpers behind the refill pages: limits, status labels, which medications can be refilled.

import { t } from '@lingui/core/macro';
import type { Medication } from '../records/api';
import type { Pharmacy, RefillRequest, RefillStatus } from './api';

export const MAX_REFILL_NOTE_CHARS = 500;
export const MAX_DECISION_NOTE_CHARS = 1000;

// Labels are getters so they are read in the language active when shown.
export const REFILL_STATUS: Record<RefillStatus, { readonly label: string; tone: 'waiting' | 'good' | 'bad' }> = {
  open: {
    get label() {
      return t`Waiting for review`;
    },
    tone: 'waiting',
  },
  approved: {
    get label() {
      return t`Approved`;
    },
    tone: 'good',
  },
  denied: {
    get label() {
      return t`Not approved`;
    },
    tone: 'bad',
  },
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
    .map((m) => ({ medication: m, blocked: open.has(m.id) ? t`a request is already open` : null }));
}

export function pharmacyLine(p: Pharmacy): string {
  const a = p.address;
  return `${a.line1}${a.line2 ? `, ${a.line2}` : ''}, ${a.city}, ${a.state} ${a.postal_code}`;
}

export interface PrescriptionDraft {
  drug: string;
  dose: string;
  quantity: string;
  refills: string;
  pharmacy: string;
}

/** What is wrong with an approval's prescription before it is sent (the server checks the same). */
export function prescriptionProblems(rx: PrescriptionDraft): Partial<Record<keyof PrescriptionDraft, string>> {
  const problems: Partial<Record<keyof PrescriptionDraft, string>> = {};
  if (!rx.drug.trim()) problems.drug = t`Enter the drug.`;
  if (!rx.dose.trim()) problems.dose = t`Enter the dose.`;
  const quantity = rx.quantity.trim();
  if (!/^\d+$/.test(quantity) || Number(quantity) < 1 || Number(quantity) > 1000) problems.quantity = t`Enter a whole number from 1 to 1000.`;
  const refills = rx.refills.trim();
  if (!/^\d+$/.test(refills) || Number(refills) > 11) problems.refills = t`Enter a whole number from 0 to 11.`;
  if (!rx.pharmacy) problems.pharmacy = t`Choose one of the patient's pharmacies.`;
  return problems;
}

/** The patient's saved pharmacies as select options; the request's own pharmacy first even if since removed. */
export function pharmacyOptions(request: RefillRequest, saved: Pharmacy[]): [string, string][] {
  const options: [string, string][] = saved.map((p) => [p.id, `${p.name}, ${pharmacyLine(p)}`]);
  if (!saved.some((p) => p.id === request.pharmacy.id)) options.unshift([request.pharmacy.id, `${request.pharmacy.name}, ${request.pharmacy.address}`]);
  return options;
}

export function printHref(request: Pick<RefillRequest, 'patient_id' | 'id'>): string {
  return `/staff/refills/${encodeURIComponent(request.patient_id)}/${encodeURIComponent(request.id)}/print`;
}

/**
 * The newest approval of this medication that included refills: they may still be waiting at the
 * pharmacy, so the patient can ask the pharmacy before asking the clinic. Null when there is none.
 */
export function refillsRemaining(medicationId: string, requests: RefillRequest[]): RefillRequest | null {
  const approved = requests
    .filter((r) => r.medication_id === medicationId && r.status === 'approved' && (r.prescription?.refills ?? 0) > 0)
    .sort((a, b) => (b.decided_at ?? '').localeCompare(a.decided_at ?? ''));
  return approved[0] ?? null;
}
