// The typed client for the portal API. Every call goes through `request`, which attaches the access token,
// refreshes once on a 401 and retries, and otherwise ends the session. Types mirror the JSON contract.

import type { Session } from '../session';

export type Role = 'patient' | 'clinician' | 'front_desk' | 'billing' | 'admin';
export type Relationship = 'self' | 'caregiver';
export type LanguageCode = 'en' | 'es' | 'zh' | 'vi' | 'ko' | 'tl' | 'ar' | 'fr' | 'ru' | 'ht' | 'pt' | 'de';
export type ContactMethod = 'email' | 'phone' | 'sms' | 'portal';

export interface Health {
  status: string;
}

export interface OpeningHours {
  days: string;
  hours: string;
}

export interface Clinic {
  id: string;
  name: string;
  phone: string;
  phone_display: string;
  email: string;
  hours: OpeningHours[];
  address: string | null;
  emergency_notice: string;
  primary_color: string;
  logo_url?: string | null;
}

export interface User {
  sub: string;
  username: string;
  display_name: string;
  role: Role;
}

export interface PatientRef {
  id: string;
  display_name: string;
  relationship: Relationship;
}

export interface Me {
  user: User;
  patients: PatientRef[];
}

export interface Address {
  line1: string;
  line2: string | null;
  city: string;
  state: string;
  postal_code: string;
  country: 'US';
}

export interface EmergencyContact {
  name: string;
  relationship: string;
  phone: string;
}

export interface Communication {
  email_notifications: boolean;
  sms_notifications: boolean;
  preferred_contact_method: ContactMethod;
}

export interface Profile {
  id: string;
  legal_name: { given: string; family: string };
  birth_date: string;
  preferred_name: string | null;
  pronouns: string | null;
  phone: string | null;
  email: string | null;
  address: Address | null;
  preferred_language: LanguageCode;
  emergency_contact: EmergencyContact | null;
  communication: Communication;
  version: number;
  updated_at: string;
}

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

export interface AccessLogEntry {
  id: string;
  at: string;
  actor_name: string;
  actor_role: Role;
  action: string;
  action_label: string;
  target?: string;
  request_id: string;
}

export interface AccessLogPage {
  items: AccessLogEntry[];
  next_cursor: string | null;
}

// --- records (issue 6): health record, test results, release preferences, documents, export ---

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

// --- end records ---

// --- appointments (issue 7): find a time, book, cancel, reschedule, eCheck-in, video, waitlist, staff schedule ---

export type Modality = 'in_person' | 'video';
export type BookingPolicy = 'direct' | 'request' | 'call';
export type AppointmentStatus = 'requested' | 'booked' | 'cancelled' | 'declined' | 'rescheduled';
export type CheckinStatus = 'not_started' | 'in_progress' | 'completed';

export interface AppointmentProvider {
  id: string;
  name: string;
  credentials: string;
  specialty: string;
}

export interface VisitType {
  id: string;
  name: string;
  description: string;
  duration_minutes: number;
  modality: Modality;
  booking: BookingPolicy;
  cancel_cutoff_hours: number;
  /** The patient may book (or request) this type online. */
  can_book_online: boolean;
  not_bookable_reason: string | null;
}

export interface BookingOptions {
  time_zone: string;
  clinic_phone: string;
  visit_types: VisitType[];
  providers: AppointmentProvider[];
}

export interface AppointmentSlot {
  id: string;
  provider: AppointmentProvider;
  visit_type_id: string;
  /** ISO 8601 with the clinic's UTC offset. */
  starts_at: string;
  ends_at: string;
  modality: Modality;
}

export interface SlotPage {
  time_zone: string;
  visit_type_id: string;
  items: AppointmentSlot[];
  next_cursor: string | null;
}

export interface SlotSearch {
  visit_type?: string;
  provider?: string | null;
  /** First clinic day, YYYY-MM-DD. */
  date?: string;
  days?: number;
  cursor?: string | null;
}

export interface Appointment {
  id: string;
  patient_id: string;
  provider: AppointmentProvider;
  visit_type: VisitType | null;
  starts_at: string;
  ends_at: string;
  time_zone: string;
  modality: Modality;
  status: AppointmentStatus;
  cancel_deadline: string;
  can_cancel: boolean;
  can_reschedule: boolean;
  rescheduled_from: string | null;
  rescheduled_to: string | null;
  join: { opens_at: string; closes_at: string; available_now: boolean } | null;
  checkin: { status: CheckinStatus; opens_at: string; available_now: boolean } | null;
}

export interface AppointmentPage {
  items: Appointment[];
  next_cursor: string | null;
}

export interface WaitlistEntry {
  appointment_id: string;
  visit_type_id: string;
  any_provider: boolean;
  joined_at: string;
}

export interface WaitlistOffer {
  id: string;
  appointment_id: string;
  slot_id: string;
  provider: AppointmentProvider;
  visit_type_id: string;
  starts_at: string;
  ends_at: string;
  expires_at: string;
}

export type QuestionnaireItemType = 'display' | 'string' | 'text' | 'boolean' | 'integer' | 'date' | 'choice' | 'signature';

export interface QuestionnaireItem {
  link_id: string;
  text: string;
  type: QuestionnaireItemType;
  required: boolean;
  options: { code: string; display: string; score: number | null }[];
  max_length: number;
  /** Consent checkboxes: only "yes" lets the form through. */
  must_be_true: boolean;
  enable_when: { questions: string[]; score_at_least: number | null; answer_code: string | null } | null;
}

export interface Questionnaire {
  id: string;
  title: string;
  description: string;
  version: string;
  items: QuestionnaireItem[];
}

export type CheckinAnswer = boolean | number | string;

export interface CheckinIn {
  demographics_confirmed: boolean;
  insurance: {
    self_pay: boolean;
    carrier?: string | null;
    member_id?: string | null;
    group_number?: string | null;
    subscriber_name?: string | null;
  };
  medications: { name: string; dose?: string | null }[];
  no_medications: boolean;
  allergies: { substance: string; reaction?: string | null }[];
  no_known_allergies: boolean;
  /** questionnaire id -> item link_id -> answer */
  answers: Record<string, Record<string, CheckinAnswer>>;
}

/** What was submitted before (FHIR QuestionnaireResponses for the answers); only what the page reads is typed. */
export interface CheckinSubmitted {
  submitted_at?: string;
  insurance?: CheckinIn['insurance'];
  medications?: CheckinIn['medications'];
  no_medications?: boolean;
  allergies?: CheckinIn['allergies'];
  no_known_allergies?: boolean;
  questionnaire_responses?: {
    questionnaire: string;
    item?: { linkId: string; answer?: Record<string, unknown>[] }[];
  }[];
}

export interface CheckinDetails {
  appointment_id: string;
  status: CheckinStatus;
  opens_at: string;
  available_now: boolean;
  demographics: { name: string; birth_date: string; phone: string | null; email: string | null; address: string | null };
  questionnaires: Questionnaire[];
  submitted: CheckinSubmitted | null;
}

export interface ScheduledVisit {
  id: string;
  /** patient_id.appointment_id, for staff actions. */
  ref: string;
  patient_id: string;
  patient_name: string;
  visit_type_id: string;
  visit_type_name: string;
  modality: Modality;
  status: AppointmentStatus;
  checkin_status: CheckinStatus;
  booked_by_role: string;
}

export interface ScheduleEntry {
  starts_at: string;
  ends_at: string;
  kind: 'open' | 'blocked' | 'appointment';
  slot_id: string | null;
  visit_type_id: string | null;
  appointment: ScheduledVisit | null;
}

export interface ScheduleDay {
  date: string;
  entries: ScheduleEntry[];
  booked: number;
  open: number;
  cancelled: number;
  checked_in: number;
}

export interface Schedule {
  provider: AppointmentProvider;
  time_zone: string;
  days: ScheduleDay[];
}

export interface QueueItem {
  ref: string;
  kind: 'booked' | 'requested' | 'cancelled' | 'rescheduled';
  at: string;
  patient_id: string;
  patient_name: string;
  appointment_id: string;
  appointment_ref: string;
  provider: AppointmentProvider;
  visit_type_id: string;
  starts_at: string;
}

export interface QueuePage {
  items: QueueItem[];
  next_cursor: string | null;
}

// --- end appointments ---

export type ErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'internal'
  | 'network'
  | (string & {});

export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly fields: Record<string, string>;
  readonly requestId: string | null;

  constructor(status: number, code: ErrorCode, message: string, fields?: Record<string, string>, requestId?: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields ?? {};
    this.requestId = requestId ?? null;
  }
}

export interface ApiOptions {
  base: string;
  session: Session;
  fetch?: typeof fetch;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  body?: unknown;
  auth?: boolean;
  signal?: AbortSignal;
  /** appointments (issue 7): hand back the body as a Blob (e.g. an .ics file) instead of parsing JSON. */
  raw?: boolean;
  /** billing (issue 4): extra request headers (e.g. Idempotency-Key). */
  headers?: Record<string, string>;
}

async function toApiError(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  const error =
    body && typeof body === 'object' && 'error' in body && body.error && typeof body.error === 'object'
      ? (body.error as Record<string, unknown>)
      : {};
  const code = typeof error.code === 'string' ? error.code : response.status === 401 ? 'unauthorized' : 'internal';
  const message = typeof error.message === 'string' ? error.message : `Request failed (${response.status})`;
  const fields =
    error.fields && typeof error.fields === 'object' ? (error.fields as Record<string, string>) : undefined;
  const requestId = typeof error.request_id === 'string' ? error.request_id : undefined;
  return new ApiError(response.status, code, message, fields, requestId);
}

export function createApi({ base, session, fetch: fetchImpl }: ApiOptions) {
  const root = base.replace(/\/+$/, '');
  const doFetch = fetchImpl ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));

  async function send(path: string, options: RequestOptions, token: string | null): Promise<Response> {
    const headers: Record<string, string> = { ...options.headers, Accept: 'application/json' }; // billing (issue 4)
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    if (token) headers.Authorization = `Bearer ${token}`;
    try {
      return await doFetch(root + path, {
        method: options.method ?? 'GET',
        headers,
        body: options.body === undefined ? null : JSON.stringify(options.body),
        credentials: 'same-origin',
        cache: 'no-store',
        signal: options.signal ?? null,
      });
    } catch (e) {
      if (e instanceof DOMException && e.name === 'AbortError') throw e;
      throw new ApiError(0, 'network', "We couldn't reach the portal. Check your internet connection and try again.");
    }
  }

  async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
    const auth = options.auth ?? true;
    let token: string | null = null;
    if (auth) {
      token = await session.getAccessToken();
      if (!token) {
        session.signOut('expired');
        throw new ApiError(401, 'unauthorized', 'Your session has ended. Please sign in again.');
      }
    }
    let response = await send(path, options, token);
    if (response.status === 401 && auth) {
      // The token may have been revoked or expired early: refresh once, then retry once.
      const refreshed = await session.refresh();
      const retryToken = refreshed ? await session.getAccessToken() : null;
      if (retryToken) response = await send(path, options, retryToken);
      if (!retryToken || response.status === 401) {
        session.signOut('expired');
        throw new ApiError(401, 'unauthorized', 'Your session has ended. Please sign in again.');
      }
    }
    if (!response.ok) throw await toApiError(response);
    if (response.status === 204) return undefined as T;
    if (options.raw) return (await response.blob()) as T; // appointments (issue 7)
    return (await response.json()) as T;
  }

  const patientPath = (pid: string) => `/patients/${encodeURIComponent(pid)}`;
  // appointments (issue 7): a patient's appointment, and a query string from the parameters that are set.
  const appointmentPath = (pid: string, aid: string) => `${patientPath(pid)}/appointments/${encodeURIComponent(aid)}`;
  const query = (params: Record<string, string | number | null | undefined>) => {
    const pairs = Object.entries(params).filter((p): p is [string, string | number] => p[1] !== null && p[1] !== undefined && p[1] !== '');
    return pairs.length ? `?${pairs.map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`).join('&')}` : '';
  };

  return {
    health: () => request<Health>('/health', { auth: false }),
    clinic: () => request<Clinic>('/clinic', { auth: false }),
    me: () => request<Me>('/me'),
    /** The typed call that feature modules keeping their own client build on (billing.ts, messages.ts). */
    request: <T>(path: string, options: RequestOptions = {}) => request<T>(path, options),
    getProfile: (pid: string, signal?: AbortSignal) =>
      request<Profile>(`${patientPath(pid)}/profile`, signal ? { signal } : {}),
    updateProfile: (pid: string, patch: ProfilePatch) =>
      request<Profile>(`${patientPath(pid)}/profile`, { method: 'PATCH', body: patch }),
    accessLog: (pid: string, cursor?: string | null, signal?: AbortSignal) =>
      request<AccessLogPage>(
        `${patientPath(pid)}/access-log${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`,
        signal ? { signal } : {},
      ),
    // --- records (issue 6) ---
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
    // --- end records ---
    // --- appointments (issue 7) ---
    bookingOptions: (pid: string, signal?: AbortSignal) =>
      request<BookingOptions>(`${patientPath(pid)}/booking-options`, signal ? { signal } : {}),
    searchSlots: (pid: string, search: SlotSearch, signal?: AbortSignal) =>
      request<SlotPage>(`${patientPath(pid)}/slots${query({ ...search })}`, signal ? { signal } : {}),
    appointments: (pid: string, when: 'upcoming' | 'past', cursor?: string | null, signal?: AbortSignal) =>
      request<AppointmentPage>(`${patientPath(pid)}/appointments${query({ when, cursor })}`, signal ? { signal } : {}),
    appointment: (pid: string, aid: string, signal?: AbortSignal) =>
      request<Appointment>(`${appointmentPath(pid, aid)}`, signal ? { signal } : {}),
    bookAppointment: (pid: string, slotId: string) =>
      request<Appointment>(`${patientPath(pid)}/appointments`, { method: 'POST', body: { slot_id: slotId } }),
    cancelAppointment: (pid: string, aid: string) =>
      request<Appointment>(`${appointmentPath(pid, aid)}/cancel`, { method: 'POST' }),
    rescheduleAppointment: (pid: string, aid: string, slotId: string) =>
      request<Appointment>(`${appointmentPath(pid, aid)}/reschedule`, { method: 'POST', body: { slot_id: slotId } }),
    /** The .ics file as a Blob: fetched with the bearer token (never a token in a URL), saved by the page. */
    appointmentCalendar: (pid: string, aid: string) =>
      request<Blob>(`${appointmentPath(pid, aid)}/calendar.ics`, { raw: true }),
    joinVideo: (pid: string, aid: string) =>
      request<{ url: string; closes_at: string }>(`${appointmentPath(pid, aid)}/join`),
    joinWaitlist: (pid: string, aid: string, anyProvider: boolean) =>
      request<WaitlistEntry>(`${appointmentPath(pid, aid)}/waitlist`, { method: 'POST', body: { any_provider: anyProvider } }),
    leaveWaitlist: (pid: string, aid: string) =>
      request<unknown>(`${appointmentPath(pid, aid)}/waitlist`, { method: 'DELETE' }),
    waitlistOffers: (pid: string, signal?: AbortSignal) =>
      request<{ items: WaitlistOffer[] }>(`${patientPath(pid)}/waitlist-offers`, signal ? { signal } : {}),
    acceptWaitlistOffer: (pid: string, offerId: string) =>
      request<Appointment>(`${patientPath(pid)}/waitlist-offers/${encodeURIComponent(offerId)}/accept`, { method: 'POST' }),
    checkin: (pid: string, aid: string, signal?: AbortSignal) =>
      request<CheckinDetails>(`${appointmentPath(pid, aid)}/checkin`, signal ? { signal } : {}),
    submitCheckin: (pid: string, aid: string, body: CheckinIn) =>
      request<CheckinDetails>(`${appointmentPath(pid, aid)}/checkin`, { method: 'PUT', body }),
    staffProviders: (signal?: AbortSignal) =>
      request<{ time_zone: string; providers: AppointmentProvider[] }>('/staff/providers', signal ? { signal } : {}),
    staffSchedule: (params: { provider?: string | null; date?: string | null; days?: number }, signal?: AbortSignal) =>
      request<Schedule>(`/staff/schedule${query(params)}`, signal ? { signal } : {}),
    frontDeskQueue: (cursor?: string | null, signal?: AbortSignal) =>
      request<QueuePage>(`/staff/front-desk/queue${query({ cursor })}`, signal ? { signal } : {}),
    markQueueItemDone: (ref: string) =>
      request<unknown>(`/staff/front-desk/queue/${encodeURIComponent(ref)}/done`, { method: 'POST' }),
    approveRequest: (ref: string) =>
      request<{ ref: string; status: AppointmentStatus }>(`/staff/appointment-requests/${encodeURIComponent(ref)}/approve`, { method: 'POST' }),
    declineRequest: (ref: string) =>
      request<{ ref: string; status: AppointmentStatus }>(`/staff/appointment-requests/${encodeURIComponent(ref)}/decline`, { method: 'POST' }),
    // --- end appointments ---
  };
}

export type Api = ReturnType<typeof createApi>;
