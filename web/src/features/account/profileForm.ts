// Pure logic behind the profile form: profile -> editable strings -> a minimal PATCH, plus client checks
// and the mapping of the API's dotted field names onto inputs. Kept free of UI so it is easy to test.

import { t } from '@lingui/core/macro';
import type { Address, ContactMethod, EmergencyContact, LanguageCode, Profile } from '../../shared/api/client';
import type { ProfilePatch } from './api';
import { capitalize, formatPhone, normalizePhone } from '../../shared/format';

export interface ProfileForm {
  preferred_name: string;
  pronouns: string;
  phone: string;
  email: string;
  line1: string;
  line2: string;
  city: string;
  state: string;
  postal_code: string;
  preferred_language: LanguageCode;
  ec_name: string;
  ec_relationship: string;
  ec_phone: string;
  email_notifications: boolean;
  sms_notifications: boolean;
  preferred_contact_method: ContactMethod;
}

export type FormKey = keyof ProfileForm;

/** The visible label of each input, used in the error summary. */
// Getters: each label is looked up in the active language when a page reads it.
export const FIELD_LABELS: Record<FormKey, string> = {
  get preferred_name() {
    return t`Preferred name`;
  },
  get pronouns() {
    return t`Pronouns`;
  },
  get phone() {
    return t`Phone number`;
  },
  get email() {
    return t`Email`;
  },
  get line1() {
    return t`Street address`;
  },
  get line2() {
    return t`Apartment, suite, etc.`;
  },
  get city() {
    return t`City`;
  },
  get state() {
    return t`State`;
  },
  get postal_code() {
    return t`ZIP code`;
  },
  get preferred_language() {
    return t`Preferred language`;
  },
  get ec_name() {
    return t`Emergency contact name`;
  },
  get ec_relationship() {
    return t`Relationship to you`;
  },
  get ec_phone() {
    return t`Emergency contact phone`;
  },
  get email_notifications() {
    return t`Email notifications`;
  },
  get sms_notifications() {
    return t`Text message notifications`;
  },
  get preferred_contact_method() {
    return t`Preferred way to contact you`;
  },
};

/** API field path ("address.postal_code") -> form input. Whole-object errors land on its first input. */
const API_TO_FORM: Record<string, FormKey> = {
  preferred_name: 'preferred_name',
  pronouns: 'pronouns',
  phone: 'phone',
  email: 'email',
  address: 'line1',
  'address.line1': 'line1',
  'address.line2': 'line2',
  'address.city': 'city',
  'address.state': 'state',
  'address.postal_code': 'postal_code',
  'address.country': 'line1',
  preferred_language: 'preferred_language',
  emergency_contact: 'ec_name',
  'emergency_contact.name': 'ec_name',
  'emergency_contact.relationship': 'ec_relationship',
  'emergency_contact.phone': 'ec_phone',
  communication: 'preferred_contact_method',
  'communication.email_notifications': 'email_notifications',
  'communication.sms_notifications': 'sms_notifications',
  'communication.preferred_contact_method': 'preferred_contact_method',
};

/** Order of inputs on the page, so "focus the first invalid field" means the first one a person sees. */
export const FIELD_ORDER: FormKey[] = [
  'preferred_name',
  'pronouns',
  'phone',
  'email',
  'line1',
  'line2',
  'city',
  'state',
  'postal_code',
  'preferred_language',
  'ec_name',
  'ec_relationship',
  'ec_phone',
  'email_notifications',
  'sms_notifications',
  'preferred_contact_method',
];

export function inputId(key: FormKey): string {
  return `profile-${key.replace(/_/g, '-')}`;
}

export function profileToForm(profile: Profile): ProfileForm {
  return {
    preferred_name: profile.preferred_name ?? '',
    pronouns: profile.pronouns ?? '',
    phone: formatPhone(profile.phone),
    email: profile.email ?? '',
    line1: profile.address?.line1 ?? '',
    line2: profile.address?.line2 ?? '',
    city: profile.address?.city ?? '',
    state: profile.address?.state ?? '',
    postal_code: profile.address?.postal_code ?? '',
    preferred_language: profile.preferred_language,
    ec_name: profile.emergency_contact?.name ?? '',
    ec_relationship: profile.emergency_contact?.relationship ?? '',
    ec_phone: formatPhone(profile.emergency_contact?.phone),
    email_notifications: profile.communication.email_notifications,
    sms_notifications: profile.communication.sms_notifications,
    preferred_contact_method: profile.communication.preferred_contact_method,
  };
}

const text = (v: string): string | null => (v.trim() === '' ? null : v.trim());

function formAddress(form: ProfileForm, previous: Address | null): Address | null {
  if (![form.line1, form.line2, form.city, form.state, form.postal_code].some((v) => v.trim())) return null;
  return {
    line1: form.line1.trim(),
    line2: text(form.line2),
    city: form.city.trim(),
    state: form.state.trim().toUpperCase(),
    postal_code: form.postal_code.trim(),
    country: previous?.country ?? 'US',
  };
}

function formEmergency(form: ProfileForm): EmergencyContact | null {
  if (![form.ec_name, form.ec_relationship, form.ec_phone].some((v) => v.trim())) return null;
  return { name: form.ec_name.trim(), relationship: form.ec_relationship.trim(), phone: form.ec_phone.trim() };
}

function sameAddress(a: Address | null, b: Address | null): boolean {
  if (!a || !b) return a === b;
  return (
    a.line1 === b.line1 &&
    (a.line2 ?? null) === (b.line2 ?? null) &&
    a.city === b.city &&
    a.state === b.state &&
    a.postal_code === b.postal_code
  );
}

function sameEmergency(a: EmergencyContact | null, b: EmergencyContact | null): boolean {
  if (!a || !b) return a === b;
  return a.name === b.name && a.relationship === b.relationship && normalizePhone(a.phone) === normalizePhone(b.phone);
}

/** Only what changed, with `null` for a cleared optional field. `version` is always sent. */
export function buildPatch(form: ProfileForm, profile: Profile): ProfilePatch {
  const patch: ProfilePatch = { version: profile.version };
  const preferred = text(form.preferred_name);
  if (preferred !== (profile.preferred_name ?? null)) patch.preferred_name = preferred;
  const pronouns = text(form.pronouns);
  if (pronouns !== (profile.pronouns ?? null)) patch.pronouns = pronouns;
  // Phone numbers are compared in E.164 so re-typing the same number in another format isn't a change;
  // the API normalises and validates what is sent.
  const phone = text(form.phone);
  if ((phone ? normalizePhone(phone) : null) !== (profile.phone ?? null)) patch.phone = phone;
  const email = text(form.email);
  if ((email?.toLowerCase() ?? null) !== (profile.email?.toLowerCase() ?? null)) patch.email = email;
  const address = formAddress(form, profile.address);
  if (!sameAddress(address, profile.address)) patch.address = address;
  if (form.preferred_language !== profile.preferred_language) patch.preferred_language = form.preferred_language;
  const emergency = formEmergency(form);
  if (!sameEmergency(emergency, profile.emergency_contact)) patch.emergency_contact = emergency;
  const c = profile.communication;
  if (
    form.email_notifications !== c.email_notifications ||
    form.sms_notifications !== c.sms_notifications ||
    form.preferred_contact_method !== c.preferred_contact_method
  ) {
    patch.communication = {
      email_notifications: form.email_notifications,
      sms_notifications: form.sms_notifications,
      preferred_contact_method: form.preferred_contact_method,
    };
  }
  return patch;
}

export function hasChanges(patch: ProfilePatch): boolean {
  return Object.keys(patch).some((k) => k !== 'version');
}

export type FieldErrors = Partial<Record<FormKey, string>>;

/** Checks worth doing before a round trip; the API remains the authority (phone validity, etc.). */
export function validateForm(form: ProfileForm): FieldErrors {
  const errors: FieldErrors = {};
  if (form.email.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(form.email.trim())) {
    errors.email = t`Enter an email address like name@example.com.`;
  }
  if ([form.line1, form.line2, form.city, form.state, form.postal_code].some((v) => v.trim())) {
    if (!form.line1.trim()) errors.line1 = t`Enter the street address.`;
    if (!form.city.trim()) errors.city = t`Enter the city.`;
    if (!form.state.trim()) errors.state = t`Choose the state.`;
    if (!form.postal_code.trim()) errors.postal_code = t`Enter the ZIP code.`;
    else if (!/^\d{5}(-\d{4})?$/.test(form.postal_code.trim())) errors.postal_code = t`Enter a 5-digit ZIP code, like 62701.`;
  }
  if ([form.ec_name, form.ec_relationship, form.ec_phone].some((v) => v.trim())) {
    if (!form.ec_name.trim()) errors.ec_name = t`Enter your emergency contact's name.`;
    if (!form.ec_relationship.trim()) errors.ec_relationship = t`Enter how they are related to you.`;
    if (!form.ec_phone.trim()) errors.ec_phone = t`Enter your emergency contact's phone number.`;
  }
  if (form.sms_notifications && !form.phone.trim()) errors.phone = t`Add a mobile number to get text messages.`;
  if (form.preferred_contact_method === 'email' && !form.email.trim()) {
    errors.email = errors.email ?? t`Add an email address, or choose another way to contact you.`;
  }
  if ((form.preferred_contact_method === 'phone' || form.preferred_contact_method === 'sms') && !form.phone.trim()) {
    errors.phone = errors.phone ?? t`Add a phone number, or choose another way to contact you.`;
  }
  return errors;
}

/** The API's `fields` ({"address.postal_code": "..."}) as form errors, plus any it can't place. */
export function mapApiFieldErrors(fields: Record<string, string>): { errors: FieldErrors; unplaced: string[] } {
  const errors: FieldErrors = {};
  const unplaced: string[] = [];
  for (const [path, message] of Object.entries(fields)) {
    const key = API_TO_FORM[path] ?? API_TO_FORM[path.split('.')[0] ?? ''];
    const friendly = capitalize(message.trim()).replace(/([^.!?])$/, '$1.');
    if (key) {
      if (!errors[key]) errors[key] = friendly;
    } else {
      unplaced.push(friendly);
    }
  }
  return { errors, unplaced };
}

/** The first invalid input in page order. */
export function firstInvalid(errors: FieldErrors): FormKey | null {
  return FIELD_ORDER.find((key) => errors[key]) ?? null;
}
