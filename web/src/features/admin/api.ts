// The staff administration client (admins): staff accounts, invitations, authenticator resets, the admin audit.

import type { Api, Schemas } from '../../shared/api/client';

export type StaffRole = 'clinician' | 'front_desk' | 'billing' | 'admin';
export type StaffMember = Schemas['StaffMember'];
export type StaffDetail = Schemas['StaffDetail'];
export type StaffList = Schemas['StaffList'];
export type StaffCreated = Schemas['StaffCreated'];
export type AdminAuditEvent = Schemas['AdminAuditEvent'];
export type AdminAuditList = Schemas['AdminAuditList'];
export type CareTeam = Schemas['CareTeamOut'];
export type PatientImportOut = Schemas['PatientImportOut'];
export type ImportInvitationsOut = Schemas['ImportInvitationsOut'];
export type AccessReviewEntry = Schemas['AccessReviewEntry'];
export type AccessReviewPage = Schemas['AccessReviewPage'];
export type PrivacyFlag = Schemas['PrivacyFlag'];
export type PrivacyReportPage = Schemas['PrivacyReportPage'];

/** An access review's filters: a staff member (sub) and clinic days (YYYY-MM-DD), each optional. */
export interface AccessFilters {
  actor?: string;
  from?: string;
  to?: string;
}

function filterQuery(filters: AccessFilters, cursor?: string | null): string {
  const params = new URLSearchParams();
  for (const key of ['actor', 'from', 'to'] as const) {
    const value = filters[key];
    if (value) params.set(key, value);
  }
  if (cursor) params.set('cursor', cursor);
  const text = params.toString().replace(/\+/g, '%20');
  return text ? `?${text}` : '';
}

export interface PatientImportIn {
  format: 'csv' | 'fhir';
  content: string;
  first_row: number;
  dry_run: boolean;
  file_name?: string;
}

export interface StaffCreateIn {
  username: string;
  display_name: string;
  email: string;
  role: StaffRole;
  pools: string[];
}

export interface StaffUpdateIn {
  display_name?: string;
  role?: StaffRole;
  pools?: string[];
}

const enc = encodeURIComponent;
const opts = (signal?: AbortSignal) => (signal ? { signal } : {});
const page = (cursor?: string | null) => (cursor ? `?cursor=${enc(cursor)}` : '');

export function adminApi(api: Api) {
  const one = (sub: string) => `/admin/staff/${enc(sub)}`;
  return {
    list: (cursor?: string | null, signal?: AbortSignal) => api.request<StaffList>(`/admin/staff${page(cursor)}`, opts(signal)),
    get: (sub: string, signal?: AbortSignal) => api.request<StaffDetail>(one(sub), opts(signal)),
    create: (body: StaffCreateIn) => api.request<StaffCreated>('/admin/staff', { method: 'POST', body }),
    update: (sub: string, body: StaffUpdateIn) => api.request<StaffMember>(one(sub), { method: 'PATCH', body }),
    disable: (sub: string) => api.request<StaffMember>(`${one(sub)}/disable`, { method: 'POST' }),
    enable: (sub: string) => api.request<StaffMember>(`${one(sub)}/enable`, { method: 'POST' }),
    resend: (sub: string) => api.request<{ invitation_sent: boolean }>(`${one(sub)}/resend-invitation`, { method: 'POST' }),
    resetMfa: (sub: string, reason: string) => api.request<StaffMember>(`${one(sub)}/reset-mfa`, { method: 'POST', body: { reason } }),
    audit: (cursor?: string | null, signal?: AbortSignal) => api.request<AdminAuditList>(`/admin/audit${page(cursor)}`, opts(signal)),
    importPatients: (body: PatientImportIn) => api.request<PatientImportOut>('/admin/patient-import', { method: 'POST', body }),
    inviteImported: (patientIds: string[]) =>
      api.request<ImportInvitationsOut>('/admin/patient-import/invitations', { method: 'POST', body: { patient_ids: patientIds } }),
    accessReview: (pid: string, filters: AccessFilters, cursor?: string | null, signal?: AbortSignal) =>
      api.request<AccessReviewPage>(`/admin/patients/${enc(pid)}/access${filterQuery(filters, cursor)}`, opts(signal)),
    accessExport: (pid: string, filters: AccessFilters) =>
      api.request<Blob>(`/admin/patients/${enc(pid)}/access/export${filterQuery(filters)}`, { raw: true }),
    privacyReport: (range: { from: string; to: string }, cursor?: string | null, signal?: AbortSignal) =>
      api.request<PrivacyReportPage>(`/admin/privacy-report${filterQuery(range, cursor)}`, opts(signal)),
    privacyExport: (range: { from: string; to: string }) =>
      api.request<Blob>(`/admin/privacy-report/export${filterQuery(range)}`, { raw: true }),
    careTeams: (signal?: AbortSignal) => api.request<{ pools: CareTeam[] }>('/care-teams', opts(signal)),
  };
}

export type AdminClient = ReturnType<typeof adminApi>;
