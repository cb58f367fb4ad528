// Staff administration: the pure helpers the admin pages use (labels, the staff form's checks and the API's
// field errors). The client is in api.ts; the pages' addresses in adminRoute.ts (the shell needs only those).
// Labels are read in the language on screen each time they are used.

import { msg, t } from '@lingui/core/macro';
import { labelled, roleLabel } from '../../shared/format';
import { translated } from '../../shared/i18n';
import type { AdminAuditEvent, StaffCreateIn, StaffMember, StaffRole } from './api';

export const STAFF_ROLES: readonly [StaffRole, string][] = labelled<StaffRole>(
  (['clinician', 'front_desk', 'billing', 'admin'] as const).map((role) => [role, () => roleLabel(role)] as const),
);

export function staffRoleLabel(role: string): string {
  return roleLabel(role);
}

/** "Active", "Disabled": what the list's status column says. */
export function statusLabel(m: Pick<StaffMember, 'disabled'>): string {
  return m.disabled ? t({ message: 'Disabled', context: 'staff account' }) : t({ message: 'Active', context: 'staff account' });
}

export interface StaffForm {
  username: string;
  display_name: string;
  email: string;
  role: StaffRole | '';
  pools: string[];
}

export type StaffField = 'username' | 'display_name' | 'email' | 'role' | 'pools';
export type StaffErrors = Partial<Record<StaffField, string>>;

export const STAFF_FIELDS: readonly StaffField[] = ['username', 'display_name', 'email', 'role', 'pools'];
export const STAFF_LABELS: Readonly<Record<StaffField, string>> = translated({
  username: msg`Username`,
  display_name: msg`Full name`,
  email: msg`Email`,
  role: msg`Role`,
  pools: msg`Care-team pools`,
});
export const EMPTY_STAFF: StaffForm = { username: '', display_name: '', email: '', role: '', pools: [] };

const USERNAME = /^[a-z0-9][a-z0-9._-]{2,63}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** What is wrong with the form before it is sent (the server checks the same). `editing`: no username or email. */
export function validateStaff(form: StaffForm, { editing = false } = {}): StaffErrors {
  const errors: StaffErrors = {};
  if (!editing) {
    const username = form.username.trim().toLowerCase();
    if (!username) errors.username = t`Enter a username.`;
    else if (!USERNAME.test(username)) {
      errors.username = t`Use 3 to 64 lowercase letters, digits, dots, dashes or underscores, starting with a letter or digit.`;
    }
    const email = form.email.trim();
    if (!email) errors.email = t`Enter the email address the invitation goes to.`;
    else if (!EMAIL.test(email)) errors.email = t`Enter an email address like name@clinic.org.`;
  }
  const name = form.display_name.trim();
  if (!name) errors.display_name = t`Enter their full name.`;
  else if (name.length > 100) errors.display_name = t`Use at most 100 characters.`;
  if (!form.role) errors.role = t`Choose a role.`;
  return errors;
}

export function staffBody(form: StaffForm): StaffCreateIn {
  return {
    username: form.username.trim().toLowerCase(),
    display_name: form.display_name.trim(),
    email: form.email.trim(),
    role: form.role as StaffRole,
    pools: [...form.pools].sort(),
  };
}

function sentence(text: string): string {
  const t = text.trim();
  return t ? `${t[0]!.toUpperCase()}${t.slice(1)}${/[.!?]$/.test(t) ? '' : '.'}` : t;
}

/** The API's field errors ("body.username", "pools.0") on the form's fields; the rest for the summary. */
export function mapStaffErrors(fields: Record<string, string>): { errors: StaffErrors; unplaced: string[] } {
  const errors: StaffErrors = {};
  const unplaced: string[] = [];
  for (const [path, message] of Object.entries(fields)) {
    const name = path.replace(/^body\./, '').split('.')[0] as StaffField;
    if (STAFF_FIELDS.includes(name)) errors[name] ??= sentence(message);
    else unplaced.push(sentence(message));
  }
  return { errors, unplaced };
}

const ACTION_TEXT: Readonly<Record<AdminAuditEvent['action'], string>> = translated({
  'staff.create': msg`Created the account`,
  'staff.update': msg`Changed the account`,
  'staff.disable': msg`Disabled the account`,
  'staff.enable': msg`Enabled the account`,
  'staff.resend_invitation': msg`Resent the invitation`,
  'staff.reset_mfa': msg`Reset the authenticator`,
  'patients.import': msg`Imported patients`,
  'access.review': msg`Reviewed who accessed a patient's record`,
  'access.export': msg`Downloaded who accessed a patient's record`,
  'access.privacy_report': msg`Ran the privacy report of staff access`,
});

export function auditActionLabel(action: AdminAuditEvent['action']): string {
  return ACTION_TEXT[action] ?? action;
}
