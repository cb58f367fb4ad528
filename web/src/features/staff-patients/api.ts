// The staff patient search client.

import type { Api, Schemas } from '../../shared/api/client';

export type PatientMatch = Schemas['PatientMatch'];

export type MatchedBy = PatientSearchPage['matched_by'];

export type PatientSearchPage = Schemas['PatientSearchPage'];

/** A POST: names and birth dates go in the body, never in a URL (CloudFront and proxies log URLs). */
export function searchPatients(api: Api, q: string, cursor?: string | null, signal?: AbortSignal): Promise<PatientSearchPage> {
  const body: Schemas['PatientSearchQuery'] = { q, cursor: cursor ?? null };
  return api.request<PatientSearchPage>('/staff/patients/search', { method: 'POST', body, ...(signal ? { signal } : {}) });
}
