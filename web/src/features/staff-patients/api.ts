// The staff patient search client.

import type { Api, Schemas } from '../../shared/api/client';

export type PatientMatch = Schemas['PatientMatch'];

export type MatchedBy = 'name' | 'birth_date' | 'id';

export type PatientSearchPage = Schemas['PatientSearchPage'];

export function searchPatients(api: Api, q: string, cursor?: string | null, signal?: AbortSignal): Promise<PatientSearchPage> {
  const params = new URLSearchParams({ q });
  if (cursor) params.set('cursor', cursor);
  return api.request<PatientSearchPage>(`/staff/patients?${params.toString()}`, signal ? { signal } : {});
}
