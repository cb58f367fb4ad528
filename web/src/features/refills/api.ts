// The refills client: a patient's saved pharmacies and refill requests, and the clinician's work list.

import { useMemo } from 'preact/hooks';
import type { Api, Schemas } from '../../shared/api/client';
import { useApp } from '../../shared/context';

export interface PharmacyAddress {
  line1: string;
  line2: string | null;
  city: string;
  state: string;
  postal_code: string;
}

export type Pharmacy = Schemas['PharmacyOut'];

/** What a patient types to save a pharmacy (mirrors PharmacyIn). */
export interface PharmacyIn {
  name: string;
  phone: string;
  address: PharmacyAddress & { line2: string | null };
  ncpdp_id: string | null;
}

export type RefillStatus = 'open' | 'approved' | 'denied';

export type RefillRequest = Schemas['RefillOut'];

export type RefillPage = Schemas['RefillPage'];

export type PrescriptionSummary = Schemas['PrescriptionSummaryOut'];

const enc = encodeURIComponent;
const withQuery = (path: string, params: Record<string, string | number | null | undefined>) => {
  const pairs = Object.entries(params).filter((p): p is [string, string | number] => p[1] != null && p[1] !== '');
  return pairs.length ? `${path}?${pairs.map(([k, v]) => `${k}=${enc(String(v))}`).join('&')}` : path;
};
const opts = (signal?: AbortSignal) => (signal ? { signal } : {});

export function refillsApi(api: Api) {
  const patient = (pid: string) => `/patients/${enc(pid)}`;
  return {
    pharmacies: (pid: string, signal?: AbortSignal) =>
      api.request<{ items: Pharmacy[] }>(`${patient(pid)}/pharmacies`, opts(signal)),
    addPharmacy: (pid: string, body: PharmacyIn) =>
      api.request<Pharmacy>(`${patient(pid)}/pharmacies`, { method: 'POST', body }),
    removePharmacy: (pid: string, pharmacyId: string) =>
      api.request<null>(`${patient(pid)}/pharmacies/${enc(pharmacyId)}`, { method: 'DELETE' }),
    refills: (pid: string, cursor?: string | null, signal?: AbortSignal) =>
      api.request<RefillPage>(withQuery(`${patient(pid)}/refill-requests`, { cursor }), opts(signal)),
    requestRefill: (pid: string, body: { medication_id: string; pharmacy_id: string; note: string }) =>
      api.request<RefillRequest>(`${patient(pid)}/refill-requests`, { method: 'POST', body }),
    decideRefill: (pid: string, rid: string, body: Schemas['RefillDecisionIn']) =>
      api.request<RefillRequest>(`${patient(pid)}/refill-requests/${enc(rid)}/decision`, { method: 'POST', body }),
    prescription: (pid: string, rid: string, signal?: AbortSignal) =>
      api.request<PrescriptionSummary>(`${patient(pid)}/refill-requests/${enc(rid)}/prescription`, opts(signal)),
    refillWorkList: (cursor?: string | null, signal?: AbortSignal) =>
      api.request<RefillPage>(withQuery('/staff/refill-requests', { cursor }), opts(signal)),
  };
}

export type RefillsApi = ReturnType<typeof refillsApi>;

export function useRefillsApi(): RefillsApi {
  const { api } = useApp();
  return useMemo(() => refillsApi(api), [api]);
}
