// The appointments client: find a time, book, cancel, reschedule, calendar file, video, waitlist, eCheck-in,
// and the staff schedule and front-desk queue.

import type { Api, Schemas } from '../../shared/api/client';

export type Modality = Schemas['SlotOut']['modality'];
export type BookingPolicy = Schemas['VisitTypeOut']['booking'];
export type AppointmentStatus = Schemas['AppointmentOut']['status'];
export type CheckinStatus = Schemas['CheckinInfo']['status'];

export type AppointmentProvider = Schemas['ProviderOut'];

export type VisitType = Schemas['VisitTypeOut'];

export type BookingOptions = Schemas['BookingOptionsOut'];

export type AppointmentSlot = Schemas['SlotOut'];

export type SlotPage = Schemas['SlotPage'];

export interface SlotSearch {
  visit_type?: string;
  provider?: string | null;
  /** First clinic day, YYYY-MM-DD. */
  date?: string;
  days?: number;
  cursor?: string | null;
}

export type Appointment = Schemas['AppointmentOut'];

export type AppointmentPage = Schemas['AppointmentPage'];

export type WaitlistEntry = Schemas['WaitlistEntryOut'];

export type WaitlistOffer = Schemas['WaitlistOfferOut'];

export type QuestionnaireItemType = QuestionnaireItem['type'];

export type QuestionnaireItem = Schemas['QuestionnaireItem'];

export type Questionnaire = Schemas['Questionnaire'];

export type CheckinAnswer = boolean | number | string;

export interface CheckinIn {
  demographics_confirmed: boolean;
  /** Optional: a phone or email unlike the profile's goes to staff to accept into the record. */
  phone?: string | null;
  email?: string | null;
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

/** What was submitted before: the details as sent, the answers as FHIR QuestionnaireResponses. */
export type CheckinSubmitted = Schemas['CheckinSubmitted'];

export type CheckinDetails = Schemas['CheckinOut'];

export type ScheduledVisit = Schemas['ScheduledVisit'];

export type ScheduleEntry = Schemas['ScheduleEntry'];

export type ScheduleDay = Schemas['ScheduleDay'];

export type Schedule = Schemas['ScheduleOut'];

export type QueueItem = Schemas['QueueItem'];

export type ClinicDay = Schemas['DayOut'];

export type VisitStatus = Schemas['ScheduledVisit']['visit_status'];

export type VisitStep = Schemas['VisitStatusIn']['status'];

export type QueuePage = Schemas['QueueOut'];

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
    clinicDay: (date: string | null, signal?: AbortSignal) =>
      request<ClinicDay>(`/staff/day${query({ date })}`, signal ? { signal } : {}),
    setVisitStatus: (ref: string, status: VisitStep, version: number) =>
      request<ScheduledVisit>(`/staff/visits/${encodeURIComponent(ref)}/status`, { method: 'POST', body: { status, version } }),
    undoVisitStatus: (ref: string, version: number) =>
      request<ScheduledVisit>(`/staff/visits/${encodeURIComponent(ref)}/undo`, { method: 'POST', body: { version } }),
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
