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
    careTeams: (signal?: AbortSignal) => api.request<{ pools: CareTeam[] }>('/care-teams', opts(signal)),
  };
}

export type AdminClient = ReturnType<typeof adminApi>;
