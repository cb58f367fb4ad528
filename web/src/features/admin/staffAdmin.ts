// Staff administration: the pure helpers the admin pages use (labels, the staff form's checks and the API's
// field errors, routes). The client is in api.ts.

import type { AdminAuditEvent, StaffCreateIn, StaffMember, StaffRole } from './api';

export const STAFF_ROLES: readonly [StaffRole, string][] = [
  ['clinician', 'Clinician'],
  ['front_desk', 'Front desk'],
  ['billing', 'Billing'],
  ['admin', 'Administrator'],
];

export function staffRoleLabel(role: string): string {
  return STAFF_ROLES.find(([value]) => value === role)?.[1] ?? role;
}

/** "Active", "Disabled": what the list's status column says. */
export function statusLabel(m: Pick<StaffMember, 'disabled'>): string {
  return m.disabled ? 'Disabled' : 'Active';
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
export const STAFF_LABELS: Record<StaffField, string> = {
  username: 'Username',
  display_name: 'Full name',
  email: 'Email',
  role: 'Role',
  pools: 'Care-team pools',
};
export const EMPTY_STAFF: StaffForm = { username: '', display_name: '', email: '', role: '', pools: [] };

const USERNAME = /^[a-z0-9][a-z0-9._-]{2,63}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** What is wrong with the form before it is sent (the server checks the same). `editing`: no username or email. */
export function validateStaff(form: StaffForm, { editing = false } = {}): StaffErrors {
  const errors: StaffErrors = {};
  if (!editing) {
    const username = form.username.trim().toLowerCase();
    if (!username) errors.username = 'Enter a username.';
    else if (!USERNAME.test(username)) {
      errors.username = 'Use 3 to 64 lowercase letters, digits, dots, dashes or underscores, starting with a letter or digit.';
    }
    const email = form.email.trim();
    if (!email) errors.email = 'Enter the email address the invitation goes to.';
    else if (!EMAIL.test(email)) errors.email = 'Enter an email address like name@clinic.org.';
  }
  const name = form.display_name.trim();
  if (!name) errors.display_name = 'Enter their full name.';
  else if (name.length > 100) errors.display_name = 'Use at most 100 characters.';
  if (!form.role) errors.role = 'Choose a role.';
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

const ACTION_TEXT: Record<AdminAuditEvent['action'], string> = {
  'staff.create': 'Created the account',
  'staff.update': 'Changed the account',
  'staff.disable': 'Disabled the account',
  'staff.enable': 'Enabled the account',
  'staff.resend_invitation': 'Resent the invitation',
  'staff.reset_mfa': 'Reset the authenticator',
  'patients.import': 'Imported patients',
  'access.review': "Reviewed who accessed a patient's record",
  'access.export': "Downloaded who accessed a patient's record",
  'access.privacy_report': 'Ran the privacy report of staff access',
};

export function auditActionLabel(action: AdminAuditEvent['action']): string {
  return ACTION_TEXT[action] ?? action;
}

export { adminRoute, type AdminRoute } from './adminRoute';
