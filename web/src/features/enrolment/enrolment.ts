// Registration and activation: the pure helpers (form checks, wording). The client is in api.ts.

import { msg, t } from '@lingui/core/macro';
import { translated } from '../../shared/i18n';
import type { ActivationSettings, Invitation, RegistrationBody, Sex } from './api';

export interface RegistrationForm {
  given: string;
  family: string;
  birth_date: string;
  sex: Sex | '';
  phone: string;
  email: string;
  line1: string;
  city: string;
  state: string;
  postal_code: string;
  mrn: string;
}

export type RegistrationField = keyof RegistrationForm;

export const EMPTY_REGISTRATION: RegistrationForm = {
  given: '',
  family: '',
  birth_date: '',
  sex: '',
  phone: '',
  email: '',
  line1: '',
  city: '',
  state: '',
  postal_code: '',
  mrn: '',
};

export const REGISTRATION_LABELS: Readonly<Record<RegistrationField, string>> = translated({
  given: msg`Given name`,
  family: msg`Family name`,
  birth_date: msg`Date of birth`,
  sex: msg`Sex`,
  phone: msg`Phone`,
  email: msg`Email`,
  line1: msg`Street address`,
  city: msg`City`,
  state: msg`State`,
  postal_code: msg`ZIP code`,
  mrn: msg`Medical record number`,
});

const SEX_WORDS = translated({ female: msg`Female`, male: msg`Male`, other: msg`Other`, unknown: msg`Unknown` });

/** The sexes a form offers, as [value, label] in the language on screen. */
export function sexes(): [Sex, string][] {
  return (['female', 'male', 'other', 'unknown'] as const).map((s) => [s, SEX_WORDS[s]]);
}

/** "03/09/1984" or "1984-03-09" -> "1984-03-09"; null if not a real date. */
export function isoDate(raw: string): string | null {
  const text = raw.trim();
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!us && !iso) return null;
  const [y, m, d] = us ? [Number(us[3]), Number(us[1]), Number(us[2])] : [Number(iso![1]), Number(iso![2]), Number(iso![3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function birthDateProblem(raw: string): string | null {
  if (!raw.trim()) return t`Enter the date of birth.`;
  const iso = isoDate(raw);
  if (!iso) return t`Enter a real date as MM/DD/YYYY, for example 03/09/1984.`;
  if (iso > new Date().toISOString().slice(0, 10)) return t`The date of birth cannot be in the future.`;
  return null;
}

export function validateRegistration(form: RegistrationForm): Partial<Record<RegistrationField, string>> {
  const errors: Partial<Record<RegistrationField, string>> = {};
  if (!form.given.trim()) errors.given = t`Enter the given name.`;
  if (!form.family.trim()) errors.family = t`Enter the family name.`;
  const born = birthDateProblem(form.birth_date);
  if (born) errors.birth_date = born;
  if (!form.sex) errors.sex = t`Choose the sex.`;
  if (form.email.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(form.email.trim())) errors.email = t`Enter an email address like name@example.com.`;
  const anyAddress = [form.line1, form.city, form.state, form.postal_code].some((v) => v.trim());
  if (anyAddress) {
    if (!form.line1.trim()) errors.line1 = t`Enter the street address.`;
    if (!form.city.trim()) errors.city = t`Enter the city.`;
    if (!/^[A-Za-z]{2}$/.test(form.state.trim())) errors.state = t`Enter the 2-letter state code, for example OR.`;
    if (!/^\d{5}(-\d{4})?$/.test(form.postal_code.trim())) errors.postal_code = t`Enter a 5-digit ZIP code.`;
  }
  if (form.mrn.trim() && !/^[A-Za-z0-9-]{1,32}$/.test(form.mrn.trim())) errors.mrn = t`Use letters, digits and dashes only.`;
  return errors;
}

export function registrationBody(form: RegistrationForm, notADuplicate = false): RegistrationBody {
  const blank = (v: string) => (v.trim() ? v.trim() : null);
  const anyAddress = [form.line1, form.city, form.state, form.postal_code].some((v) => v.trim());
  return {
    legal_name: { given: form.given.trim(), family: form.family.trim() },
    birth_date: isoDate(form.birth_date) ?? form.birth_date,
    sex: form.sex as Sex,
    phone: blank(form.phone),
    email: blank(form.email),
    address: anyAddress
      ? { line1: form.line1.trim(), city: form.city.trim(), state: form.state.trim().toUpperCase(), postal_code: form.postal_code.trim() }
      : null,
    mrn: blank(form.mrn),
    not_a_duplicate: notADuplicate,
  };
}

/** Server field names ("legal_name.given", "address.postal_code") to our form fields. */
export function mapRegistrationErrors(fields: Record<string, string>): {
  errors: Partial<Record<RegistrationField, string>>;
  unplaced: string[];
} {
  const errors: Partial<Record<RegistrationField, string>> = {};
  const unplaced: string[] = [];
  for (const [path, message] of Object.entries(fields)) {
    const last = path.split('.').pop() ?? path;
    const field = (last in EMPTY_REGISTRATION ? last : null) as RegistrationField | null;
    const text = `${message.charAt(0).toUpperCase()}${message.slice(1)}`.replace(/\.?$/, '.');
    if (field) errors[field] = text;
    else unplaced.push(text);
  }
  return { errors, unplaced };
}

// --- activation ----------------------------------------------------------------------------------------

/** What a person typed as a code, as the server compares it: upper case, no spaces or dashes. */
export function normalizeCode(raw: string): string {
  return raw.replace(/[\s-]/g, '').toUpperCase();
}

export function secondFactLabel(settings: ActivationSettings | null): { label: string; hint: string } {
  return settings?.second_fact === 'phone_last_four'
    ? { label: t`Last 4 digits of the phone number`, hint: t`The phone number the clinic has on file for the patient.` }
    : { label: t`ZIP code`, hint: t`The ZIP code of the address the clinic has on file for the patient.` };
}

export interface ActivationForm {
  code: string;
  birth_date: string;
  second_fact: string;
}

export function validateActivation(form: ActivationForm): Partial<Record<keyof ActivationForm, string>> {
  const errors: Partial<Record<keyof ActivationForm, string>> = {};
  const code = normalizeCode(form.code);
  if (!code) errors.code = t`Enter the activation code from your letter or email.`;
  else if (code.length !== 10) errors.code = t`The code has 10 letters and numbers, for example K7RX-M3QD-WP.`;
  const born = birthDateProblem(form.birth_date);
  if (born) errors.birth_date = born;
  if (!form.second_fact.trim()) errors.second_fact = t`Enter this detail.`;
  return errors;
}

export function usernameProblem(raw: string): string | null {
  const name = raw.trim();
  if (name.length < 3) return t`Choose a username of at least 3 characters.`;
  if (!/^[A-Za-z0-9._@+-]+$/.test(name)) return t`Use letters, numbers and . _ @ + - only (an email address is fine).`;
  return null;
}

// --- invitations -----------------------------------------------------------------------------------------

const STATUS_TEXT: Readonly<Record<Invitation['status'], string>> = translated({
  pending: msg`Waiting for activation`,
  used: msg`Activated`,
  revoked: msg`Revoked`,
  expired: msg`Expired`,
  locked: msg`Locked: too many wrong answers`,
});

export function invitationStatus(invitation: Invitation): string {
  return STATUS_TEXT[invitation.status];
}

export function invitationWho(invitation: Invitation): string {
  if (invitation.kind === 'caregiver') {
    const name = invitation.caregiver_name ?? t`unnamed`;
    return t`Caregiver: ${name}`;
  }
  return t`The patient`;
}

export function invitationHow(invitation: Invitation): string {
  if (invitation.delivery !== 'email') return t`Printed letter`;
  return invitation.email ? t`Email to ${invitation.email}` : t`Email to the patient`;
}
