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

export type CheckinReview = Schemas['CheckinReviewOut'];
export type ReviewItem = Schemas['ReviewItem'];

function reviewPath(patientId: string, appointmentId: string): string {
  return `/staff/patients/${encodeURIComponent(patientId)}/checkins/${encodeURIComponent(appointmentId)}`;
}

export function checkinReview(api: Api, patientId: string, appointmentId: string, signal?: AbortSignal): Promise<CheckinReview> {
  return api.request<CheckinReview>(reviewPath(patientId, appointmentId), signal ? { signal } : {});
}

/** Accept an item into the record, or decline it; a second identical decision answers as the first. */
export function decideCheckinItem(api: Api, patientId: string, appointmentId: string, itemId: string, decision: 'accept' | 'decline'): Promise<CheckinReview> {
  const body: Schemas['ReviewDecisionIn'] = { decision };
  return api.request<CheckinReview>(`${reviewPath(patientId, appointmentId)}/items/${encodeURIComponent(itemId)}`, { method: 'POST', body });
}
