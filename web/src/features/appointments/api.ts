// The appointments client: find a time, book, cancel, reschedule, calendar file, video, waitlist, eCheck-in,
// and the staff schedule and front-desk queue.

import type { Api } from '../../shared/api/client';

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

const enc = encodeURIComponent;
const patientPath = (pid: string) => `/patients/${enc(pid)}`;
const appointmentPath = (pid: string, aid: string) => `${patientPath(pid)}/appointments/${enc(aid)}`;
const query = (params: Record<string, string | number | null | undefined>) => {
  const pairs = Object.entries(params).filter((p): p is [string, string | number] => p[1] !== null && p[1] !== undefined && p[1] !== '');
  return pairs.length ? `?${pairs.map(([k, v]) => `${k}=${enc(String(v))}`).join('&')}` : '';
};

export function appointmentsApi(api: Api) {
  const request = api.request;
  return {
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
  };
}

export type AppointmentsApi = ReturnType<typeof appointmentsApi>;
