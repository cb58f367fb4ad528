// The health-record client: summary, results and their release, trends, release preferences, documents,
// export, and the clinician's work list.

import type { Api } from '../../shared/api/client';

export interface RecordCode {
  system: 'snomed' | 'icd10' | 'rxnorm' | 'cvx' | 'loinc';
  code: string;
}

interface StoredRecord {
  id: string;
  patient_id: string;
  version: number;
  created_at: string;
  updated_at: string;
  /** Display name of the clinician who last entered or changed it. */
  updated_by: string;
}

export interface ProblemIn {
  name: string;
  code?: RecordCode | null;
  status?: 'active' | 'resolved' | 'inactive';
  onset_date?: string | null;
  note?: string | null;
}
export interface Problem extends StoredRecord, Required<Omit<ProblemIn, 'code'>> {
  kind: 'problem';
  code: RecordCode | null;
}

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
export interface Medication extends StoredRecord, Required<Omit<MedicationIn, 'code'>> {
  kind: 'medication';
  code: RecordCode | null;
}

export interface Allergy extends StoredRecord {
  kind: 'allergy';
  substance: string;
  code: RecordCode | null;
  reaction: string | null;
  severity: 'mild' | 'moderate' | 'severe' | null;
  status: 'active' | 'inactive' | 'resolved';
  noted_date: string | null;
}

export interface Immunization extends StoredRecord {
  kind: 'immunization';
  vaccine: string;
  code: RecordCode | null;
  date: string;
  dose_number: number | null;
}

export interface Visit extends StoredRecord {
  kind: 'visit';
  start: string;
  visit_type: 'office' | 'telehealth' | 'urgent_care' | 'hospital';
  reason: string;
  provider: string;
  location: string | null;
  diagnoses: { name: string; code: RecordCode | null }[];
  instructions: string;
  follow_up: string;
}

export interface HealthSummary {
  patient_id: string;
  problems: Problem[];
  medications: Medication[];
  allergies: Allergy[];
  immunizations: Immunization[];
  visits: Visit[];
}

export type ResultFlag = 'normal' | 'low' | 'high' | 'critical_low' | 'critical_high' | 'abnormal';
export type ReleaseState = 'released' | 'held' | 'awaiting_review';

/** Staff only: where a result is in its release to the patient. */
export interface ResultRelease {
  state: ReleaseState;
  visible_from: string;
  review_wait_until: string | null;
  hold_reason: string | null;
  hold_until: string | null;
  held_by: string | null;
  released_at: string | null;
  released_by: string | null;
  notified_at: string | null;
}

export interface ResultSummary {
  id: string;
  name: string;
  category: string;
  category_label: string;
  collected_at: string;
  status: 'final' | 'preliminary' | 'corrected' | (string & {});
  is_new: boolean;
  reviewed: boolean;
  has_comment: boolean;
  abnormal_count: number;
  worst_flag: ResultFlag | null;
  release?: ResultRelease | null;
}

export interface ResultComponent {
  code: string | null;
  name: string;
  value: number | null;
  value_text: string | null;
  unit: string | null;
  ref_low: number | null;
  ref_high: number | null;
  ref_text: string | null;
  flag: ResultFlag | null;
  flag_text: string | null;
}

export interface LabResult extends ResultSummary {
  code: string | null;
  ordered_by: string | null;
  performer: string | null;
  components: ResultComponent[];
  reviewed_at: string | null;
  reviewed_by: string | null;
  comment: string | null;
  comment_at: string | null;
}

export interface ResultPage {
  items: ResultSummary[];
  next_cursor: string | null;
}

export interface TrendPoint {
  result_id: string;
  collected_at: string;
  value: number;
  unit: string | null;
  ref_low: number | null;
  ref_high: number | null;
  flag: ResultFlag | null;
}

export interface Trend {
  code: string | null;
  name: string | null;
  unit: string | null;
  points: TrendPoint[];
  available: { code: string; name: string; unit: string | null; count: number }[];
}

export interface CategoryPreference {
  id: string;
  label: string;
  description: string;
  review_first_prompt: string;
  allow_review_first: boolean;
  max_wait_days_limit: number;
  review_first: boolean;
  max_wait_days: number;
}

export interface ResultPreferences {
  version: number;
  categories: CategoryPreference[];
  updated_at: string | null;
}

export interface ResultPreferencesIn {
  version: number;
  categories: Record<string, { review_first: boolean; max_wait_days: number }>;
}

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

export interface HoldIn {
  reason: string;
  until: string;
}

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

export interface WorkListItem {
  result_id: string;
  patient_id: string;
  patient_name: string;
  name: string;
  category: string;
  collected_at: string;
  entered_at: string;
  state: ReleaseState;
  visible_from: string;
  hold_reason: string | null;
  hold_until: string | null;
  held_by: string | null;
}

export interface WorkListPage {
  items: WorkListItem[];
  next_cursor: string | null;
}

export type DocumentCategory = 'insurance_card_front' | 'insurance_card_back' | 'form' | 'outside_record' | 'other';

export interface PortalDocument {
  id: string;
  category: DocumentCategory;
  category_label: string;
  filename: string;
  content_type: string;
  size: number | null;
  status: 'pending' | 'available';
  uploaded_at: string | null;
  uploaded_by: string;
}

export interface UploadTicket {
  document: PortalDocument;
  upload: { url: string; fields: Record<string, string>; expires_in: number; max_bytes: number };
}

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
      request<{ items: PortalDocument[] }>(`${patientPath(pid)}/documents`, signal ? { signal } : {}),
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
