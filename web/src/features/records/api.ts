// The health-record client: summary, results and their release, trends, release preferences, documents,
// export, and the clinician's work list.

import type { Api, Schemas } from '../../shared/api/client';

export type RecordCode = Schemas['Code'];

export interface ProblemIn {
  name: string;
  code?: RecordCode | null;
  status?: 'active' | 'resolved' | 'inactive';
  onset_date?: string | null;
  note?: string | null;
}
export type Problem = Schemas['Problem'];

export interface MedicationIn {
  name: string;
  code?: RecordCode | null;
  dose: string;
  instructions: string;
  prescriber: string;
  start_date: string;
  end_date?: string | null;
  status?: 'active' | 'stopped';
}
export type Medication = Schemas['Medication'];

export type Allergy = Schemas['Allergy'];

export type Immunization = Schemas['Immunization'];

export type Visit = Schemas['Visit'];

export type HealthSummary = Schemas['HealthSummary'];

export type ResultFlag = NonNullable<Schemas['ComponentOut']['flag']>;
export type ReleaseState = Schemas['ReleaseOut']['state'];

/** Staff only: where a result is in its release to the patient. */
export type ResultRelease = Schemas['ReleaseOut'];

export type ResultSummary = Schemas['ResultSummaryOut'];

/** `flag_text` (the flag in words) is computed by the API and not yet in its schema. */
export type ResultComponent = Schemas['ComponentOut'] & { flag_text: string | null };

export type LabResult = Omit<Schemas['ResultOut'], 'components'> & { components: ResultComponent[] };

export type ResultPage = Schemas['ResultPage'];

export type TrendPoint = Schemas['TrendPoint'];

export type Trend = Schemas['TrendOut'];

export type CategoryPreference = Schemas['CategoryPreferenceOut'];

export type ResultPreferences = Schemas['ResultPreferencesOut'];

export type ResultPreferencesIn = Schemas['ResultPreferencesIn'];

export interface ComponentIn {
  code?: string | null;
  name: string;
  value?: number | null;
  value_text?: string | null;
  unit?: string | null;
  ref_low?: number | null;
  ref_high?: number | null;
  ref_text?: string | null;
}

export type HoldIn = Schemas['HoldIn'];

export interface ResultIn {
  category: string;
  name: string;
  code?: string | null;
  collected_at: string;
  status?: 'final' | 'preliminary' | 'corrected';
  ordered_by?: string | null;
  performer?: string | null;
  components: ComponentIn[];
  comment?: string | null;
  hold?: HoldIn | null;
}

export type WorkListItem = Schemas['WorkListItem'];

export type WorkListPage = Schemas['WorkListPage'];

export type DocumentCategory = Schemas['DocumentOut']['category'];

export type PortalDocument = Schemas['DocumentOut'];
export type DocumentList = Schemas['DocumentList'];

export type UploadTicket = Schemas['UploadTicketOut'];

/** A FHIR R4 Bundle as the export returns it (only what the page reads is typed). */
export interface FhirBundle {
  resourceType: 'Bundle';
  type: string;
  timestamp: string;
  entry?: unknown[];
}

const enc = encodeURIComponent;
const patientPath = (pid: string) => `/patients/${enc(pid)}`;

export function recordsApi(api: Api) {
  const request = api.request;
  return {
    healthSummary: (pid: string, signal?: AbortSignal) =>
      request<HealthSummary>(`${patientPath(pid)}/summary`, signal ? { signal } : {}),
    addProblem: (pid: string, body: ProblemIn) =>
      request<Problem>(`${patientPath(pid)}/problems`, { method: 'POST', body }),
    addMedication: (pid: string, body: MedicationIn) =>
      request<Medication>(`${patientPath(pid)}/medications`, { method: 'POST', body }),
    results: (pid: string, cursor?: string | null, signal?: AbortSignal, limit = 20) =>
      request<ResultPage>(
        `${patientPath(pid)}/results?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        signal ? { signal } : {},
      ),
    result: (pid: string, rid: string, signal?: AbortSignal) =>
      request<LabResult>(`${patientPath(pid)}/results/${encodeURIComponent(rid)}`, signal ? { signal } : {}),
    resultTrend: (pid: string, code: string | null, signal?: AbortSignal) =>
      request<Trend>(
        `${patientPath(pid)}/results/trend${code ? `?code=${encodeURIComponent(code)}` : ''}`,
        signal ? { signal } : {},
      ),
    addResult: (pid: string, body: ResultIn) =>
      request<LabResult>(`${patientPath(pid)}/results`, { method: 'POST', body }),
    reviewResult: (pid: string, rid: string, body: { comment?: string | null; release?: boolean }) =>
      request<LabResult>(`${patientPath(pid)}/results/${encodeURIComponent(rid)}/review`, { method: 'POST', body }),
    holdResult: (pid: string, rid: string, body: HoldIn) =>
      request<LabResult>(`${patientPath(pid)}/results/${encodeURIComponent(rid)}/hold`, { method: 'POST', body }),
    releaseResult: (pid: string, rid: string) =>
      request<LabResult>(`${patientPath(pid)}/results/${encodeURIComponent(rid)}/release`, { method: 'POST' }),
    /** Staff: hide one item from a teenager's parent or guardian (or show it again). */
    markConfidential: (pid: string, body: Schemas['ConfidentialIn']) =>
      request<Schemas['ConfidentialOut']>(`/staff/patients/${encodeURIComponent(pid)}/confidential`, { method: 'POST', body }),
    resultPreferences: (pid: string, signal?: AbortSignal) =>
      request<ResultPreferences>(`${patientPath(pid)}/result-preferences`, signal ? { signal } : {}),
    updateResultPreferences: (pid: string, body: ResultPreferencesIn) =>
      request<ResultPreferences>(`${patientPath(pid)}/result-preferences`, { method: 'PUT', body }),
    resultWorkList: (cursor?: string | null, signal?: AbortSignal) =>
      request<WorkListPage>(
        `/staff/results/waiting${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`,
        signal ? { signal } : {},
      ),
    documents: (pid: string, signal?: AbortSignal) =>
      request<DocumentList>(`${patientPath(pid)}/documents`, signal ? { signal } : {}),
    startUpload: (pid: string, body: { filename: string; content_type: string; size: number; category: DocumentCategory }) =>
      request<UploadTicket>(`${patientPath(pid)}/documents`, { method: 'POST', body }),
    finalizeUpload: (pid: string, documentId: string) =>
      request<PortalDocument>(`${patientPath(pid)}/documents/${encodeURIComponent(documentId)}/finalize`, { method: 'POST' }),
    documentLink: (pid: string, documentId: string) =>
      request<{ document: PortalDocument; url: string; expires_in: number }>(
        `${patientPath(pid)}/documents/${encodeURIComponent(documentId)}`,
      ),
    /** The whole record as a FHIR R4 Bundle (the page saves it as a file; the token never enters a URL). */
    exportRecord: (pid: string) => request<FhirBundle>(`${patientPath(pid)}/export`),
  };
}

export type RecordsApi = ReturnType<typeof recordsApi>;
