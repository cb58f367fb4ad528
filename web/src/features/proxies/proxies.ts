// Caregivers' grants to a patient's record: the pure helpers the Proxy* pages use (labels, the grant form's
// checks, the access-changed signal). The client and its types are in api.ts.

import { t } from '@lingui/core/macro';
import { formatDay, labelled } from '../../shared/format';
import type { Role } from '../../shared/api/client';
import type { ProxyGrant, ProxyGrantIn, ProxyRelationship } from './api';

export const RELATIONSHIPS: readonly [ProxyRelationship, string][] = labelled<ProxyRelationship>([
  ['parent', () => t`Parent`],
  ['guardian', () => t`Legal guardian`],
  ['spouse', () => t`Spouse or partner`],
  ['adult_child', () => t`Adult child`],
  ['other', () => t`Other`],
]);

export function relationshipLabel(r: ProxyRelationship): string {
  return RELATIONSHIPS.find(([value]) => value === r)?.[1] ?? t`Other`;
}

const ROLE_LABEL: Partial<Record<Role, () => string>> = {
  front_desk: () => t`the front desk`,
  admin: () => t`a clinic administrator`,
  patient: () => t`invitation`,
};

/** The calendar day of an instant, in the viewer's time zone ("March 3, 2026"). */
export function dayOf(iso: string | Date, timeZone?: string): string {
  return formatDay(iso, timeZone);
}

/** The last day of access: expires_at is the first instant without access. */
export function lastDay(expiresAt: string, timeZone?: string): string {
  return dayOf(new Date(new Date(expiresAt).getTime() - 1000), timeZone);
}

/** The last day of access as a date input holds it (YYYY-MM-DD), in the clinic's time zone: a PATCH restates it. */
export function lastDayInput(expiresAt: string, timeZone?: string): string {
  const day = new Date(new Date(expiresAt).getTime() - 1000);
  return new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', ...(timeZone ? { timeZone } : {}) }).format(day);
}

/** "Granted 3 Mar 2026 by the front desk · Until 31 Dec 2026" (or "Access ended …"). */
export function grantLine(g: ProxyGrant, timeZone?: string): string {
  const by = g.granted_by_role ? ROLE_LABEL[g.granted_by_role]?.() : null;
  const day = dayOf(g.granted_at, timeZone);
  const granted = by ? t`Granted ${day} by ${by}` : t`Granted ${day}`;
  if (!g.expires_at) return `${granted} · ${t`No end date`}`;
  const last = lastDay(g.expires_at, timeZone);
  return g.status === 'expired' ? `${granted} · ${t`Access ended ${last}`}` : `${granted} · ${t`Until ${last}`}`;
}

// --- what a grant covers ---

export type ProxyScope = ProxyGrant['scope'];
export type ProxyArea = Exclude<ProxyScope['areas'], 'full'>[number];

export const AREAS: readonly [ProxyArea, string][] = labelled<ProxyArea>([
  ['appointments', () => t`Appointments`],
  ['messages', () => t`Messages`],
  ['billing', () => t`Billing`],
  ['health_record', () => t`Health record and results`],
  ['documents', () => t`Documents`],
  ['refills', () => t`Prescription refills`],
]);

export function areaLabel(area: ProxyArea): string {
  return AREAS.find(([value]) => value === area)?.[1] ?? area;
}

/** "Whole record · Can act on their behalf" or "Appointments, Billing · View only". */
export function scopeLabel(scope: ProxyScope): string {
  const areas = scope.areas === 'full' ? t`Whole record` : scope.areas.map(areaLabel).join(', ');
  return `${areas} · ${scope.access === 'act' ? t`Can act on their behalf` : t`View only`}`;
}

// --- the front desk's grant form ---

export interface GrantForm {
  username: string;
  relationship: ProxyRelationship | '';
  expires_on: string;
  verification_note: string;
}

export type GrantField = keyof GrantForm;
export type GrantErrors = Partial<Record<GrantField, string>>;

export const GRANT_FIELDS: readonly GrantField[] = ['username', 'relationship', 'expires_on', 'verification_note'];
export const GRANT_LABELS: Readonly<Record<GrantField, string>> = {
  get username() {
    return t`Portal username`;
  },
  get relationship() {
    return t`Relationship to the patient`;
  },
  get expires_on() {
    return t`Last day of access`;
  },
  get verification_note() {
    return t`How identity and authority were verified`;
  },
};
export const EMPTY_GRANT: GrantForm = { username: '', relationship: '', expires_on: '', verification_note: '' };

/** Today as YYYY-MM-DD in local time (what a date input holds). */
export function todayInput(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export function validateGrant(form: GrantForm, now: Date = new Date()): GrantErrors {
  const errors: GrantErrors = {};
  if (!form.username.trim()) errors.username = t`Enter the username of their portal account.`;
  if (!form.relationship) errors.relationship = t`Choose how they are related to the patient.`;
  if (form.expires_on && !/^\d{4}-\d{2}-\d{2}$/.test(form.expires_on)) errors.expires_on = t`Enter a date, or leave it empty.`;
  else if (form.expires_on && form.expires_on < todayInput(now)) errors.expires_on = t`Choose today or a later date.`;
  if (form.verification_note.trim().length < 3) {
    errors.verification_note = t`Note how you checked their identity and their authority to act for the patient.`;
  }
  return errors;
}

export function grantBody(form: GrantForm): ProxyGrantIn {
  return {
    username: form.username.trim(),
    relationship: form.relationship as ProxyRelationship,
    ...(form.expires_on ? { expires_on: form.expires_on } : {}),
    verification_note: form.verification_note.trim(),
  };
}

/** Field errors from the API placed on the form's fields; anything else goes to the summary. */
export function mapGrantErrors(fields: Record<string, string>): { errors: GrantErrors; unplaced: string[] } {
  const errors: GrantErrors = {};
  const unplaced: string[] = [];
  for (const [key, message] of Object.entries(fields)) {
    const field = key.replace(/^body\./, '') as GrantField;
    if (GRANT_FIELDS.includes(field)) errors[field] = sentence(message);
    else unplaced.push(sentence(message));
  }
  return { errors, unplaced };
}

function sentence(text: string): string {
  const t = text.trim();
  return t ? `${t[0]!.toUpperCase()}${t.slice(1)}${/[.!?]$/.test(t) ? '' : '.'}` : t;
}

// --- "who may I act for" changed: the app reloads /me (the record switcher) ---

const EVENT = 'portal:access-changed';

export function announceAccessChanged(): void {
  if (typeof window !== 'undefined') window.dispatchEvent(new Event(EVENT));
}

export function onAccessChanged(listener: () => void): () => void {
  window.addEventListener(EVENT, listener);
  return () => window.removeEventListener(EVENT, listener);
}
