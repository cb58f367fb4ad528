// Staff patient search: the pure helpers (query checks, wording, links, routes). The client is in api.ts.

import { msg, plural, t } from '@lingui/core/macro';
import { translated } from '../../shared/i18n';
import type { MatchedBy } from './api';

export function searchHint(): string {
  return t`Family name (or ", given name"), date of birth, phone, email, MRN or patient ID`;
}

/** What is wrong with a search before it is sent (the server checks the same), or null if it may go. */
export function searchProblem(raw: string): string | null {
  const q = raw.trim();
  if (q.length === 0) return t`Enter a family name, a date of birth or a patient ID.`;
  if (q.length < 2) return t`Enter at least 2 characters.`;
  if (q.length > 80) return t`Enter at most 80 characters.`;
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(q);
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(q);
  if (us || iso) {
    const [y, m, d] = us ? [Number(us[3]), Number(us[1]), Number(us[2])] : [Number(iso![1]), Number(iso![2]), Number(iso![3])];
    const date = new Date(Date.UTC(y, m - 1, d));
    if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
      return t`That is not a real date. Use MM/DD/YYYY, for example 03/09/1984.`;
    }
  }
  return null;
}

/** The server's words for a refused search, made into a sentence for the field. */
export function fieldMessage(message: string | undefined): string | null {
  if (!message) return null;
  const text = message.replace(/^String should have at (least|most) (\d+) characters?$/, (_m, which: string, n: string) =>
    which === 'least' ? t`enter at least ${n} characters` : t`enter at most ${n} characters`,
  );
  return `${text.charAt(0).toUpperCase()}${text.slice(1).replace(/\.?$/, '.')}`;
}

const MATCHED_BY_TEXT = translated<MatchedBy>({
  name: msg`by family name`,
  given_name: msg`by given name`,
  birth_date: msg`by date of birth`,
  id: msg`by patient ID`,
  phone: msg`by phone number`,
  email: msg`by email address`,
  mrn: msg`by MRN`,
});

/** "2 patients found by family name" (for the results caption and the live region). */
export function resultsSummary(count: number, matchedBy: MatchedBy, more: boolean): string {
  const shown = `${count}${more ? '+' : ''}`;
  const how = MATCHED_BY_TEXT[matchedBy];
  return plural(count, { one: `${shown} patient found ${how}`, other: `${shown} patients found ${how}` });
}

/** "1984-03-09" -> "03/09/1984", the way US front desks read birth dates. */
export function formatBirthDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[2]}/${m[3]}/${m[1]}` : iso;
}

export function chartHref(patientId: string): string {
  return `/staff/patients/${encodeURIComponent(patientId)}`;
}

export function bookHref(patientId: string): string {
  return `${chartHref(patientId)}/book`;
}

/** A visit's eCheck-in review: the answers beside the record, accepted item by item. */
export function checkinReviewHref(patientId: string, appointmentId: string): string {
  return `${chartHref(patientId)}/checkins/${encodeURIComponent(appointmentId)}`;
}

export { canBook, canRegister, canReviewCheckin, staffPatientsRoute, type StaffPatientsRoute } from './staffPatientsRoute';
