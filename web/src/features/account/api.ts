// The account client: the patient's profile and who viewed their record.

import type { Address, Api, Communication, EmergencyContact, LanguageCode, Profile, Schemas } from '../../shared/api/client';

/** A partial update; `null` clears an optional field, a missing key leaves it alone. */
export interface ProfilePatch {
  version: number;
  preferred_name?: string | null;
  pronouns?: string | null;
  phone?: string | null;
  email?: string | null;
  address?: Address | null;
  preferred_language?: LanguageCode;
  emergency_contact?: EmergencyContact | null;
  communication?: Communication;
}

export type AccessLogEntry = Schemas['AccessLogEntryOut'];

export type AccessLogPage = Schemas['AccessLogPage'];

const enc = encodeURIComponent;
const patientPath = (pid: string) => `/patients/${enc(pid)}`;

export function accountApi(api: Api) {
  const request = api.request;
  return {
    getProfile: (pid: string, signal?: AbortSignal) =>
      request<Profile>(`${patientPath(pid)}/profile`, signal ? { signal } : {}),
    updateProfile: (pid: string, patch: ProfilePatch) =>
      request<Profile>(`${patientPath(pid)}/profile`, { method: 'PATCH', body: patch }),
    /** Others' access by default; `includeOwn` adds the caller's own reads and changes. */
    accessLog: (pid: string, cursor?: string | null, signal?: AbortSignal, includeOwn = false) => {
      const params = new URLSearchParams();
      if (includeOwn) params.set('include_own', 'true');
      if (cursor) params.set('cursor', cursor);
      const query = params.toString().replace(/\+/g, '%20');
      return request<AccessLogPage>(`${patientPath(pid)}/access-log${query ? `?${query}` : ''}`, signal ? { signal } : {});
    },
  };
}

export type AccountApi = ReturnType<typeof accountApi>;
