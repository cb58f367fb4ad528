// The caregiver-access client: who may act for a patient, grant access, end it.

import type { Api, Schemas } from '../../shared/api/client';

export type ProxyRelationship = 'parent' | 'guardian' | 'spouse' | 'adult_child' | 'other';
export type ProxyStatus = 'active' | 'expired';

export type ProxyGrant = Schemas['ProxyOut'];
export type PendingInvitation = Schemas['PendingInvitationOut'];

export interface ProxyGrantIn {
  username: string;
  relationship: ProxyRelationship;
  /** Last day of access, YYYY-MM-DD; omitted for no end date. */
  expires_on?: string;
  verification_note: string;
  /** What the caregiver may use; omitted: the whole record, acting. */
  scope?: Schemas['ProxyScope'];
}

export const enc = encodeURIComponent;
export const opts = (signal?: AbortSignal) => (signal ? { signal } : {});

export function proxiesApi(api: Api) {
  const base = (pid: string) => `/patients/${enc(pid)}/proxies`;
  return {
    list: (pid: string, signal?: AbortSignal) => api.request<{ items: ProxyGrant[] }>(base(pid), opts(signal)),
    grant: (pid: string, body: ProxyGrantIn) => api.request<ProxyGrant>(base(pid), { method: 'POST', body }),
    revoke: (pid: string, sub: string) => api.request<undefined>(`${base(pid)}/${enc(sub)}`, { method: 'DELETE' }),
    update: (pid: string, sub: string, body: Schemas['ProxyUpdateIn']) =>
      api.request<ProxyGrant>(`${base(pid)}/${enc(sub)}`, { method: 'PATCH', body }),
    invite: (pid: string, body: Schemas['CaregiverInviteIn']) =>
      api.request<Schemas['CaregiverInvitationOut']>(`/patients/${enc(pid)}/caregiver-invitations`, { method: 'POST', body }),
    pending: (pid: string, signal?: AbortSignal) =>
      api.request<Schemas['PendingInvitationList']>(`/patients/${enc(pid)}/caregiver-invitations`, opts(signal)),
    cancelInvitation: (pid: string, id: string) =>
      api.request<undefined>(`/patients/${enc(pid)}/caregiver-invitations/${enc(id)}`, { method: 'DELETE' }),
    accept: (code: string) =>
      api.request<Schemas['AcceptedOut']>('/me/caregiver-invitations/accept', { method: 'POST', body: { code } }),
  };
}
