// Registration, invitations, activation and registration requests: the API calls.

import type { Api, Schemas } from '../../shared/api/client';
import { currentLocale } from '../../shared/i18n';

export type RegisteredPatient = Schemas['RegisteredPatient'];
export type Invitation = Schemas['InvitationOut'];
export type IssuedInvitation = Schemas['IssuedInvitation'];
export type ActivationSettings = Schemas['ActivationSettingsOut'];
export type ActivationCheck = Schemas['ActivationCheckOut'];
export type Activation = Schemas['ActivationOut'];
export type Sex = 'female' | 'male' | 'other' | 'unknown';
export type InvitationRelationship = 'parent' | 'guardian' | 'spouse' | 'adult_child' | 'other';

export interface RegistrationBody {
  legal_name: { given: string; family: string };
  birth_date: string;
  sex: Sex;
  phone?: string | null;
  email?: string | null;
  address?: { line1: string; line2?: string | null; city: string; state: string; postal_code: string } | null;
  mrn?: string | null;
  not_a_duplicate?: boolean;
}

export interface InvitationBody {
  kind: 'self' | 'caregiver';
  delivery: 'email' | 'letter';
  email?: string | null;
  caregiver_name?: string | null;
  relationship?: InvitationRelationship | null;
}

export interface ActivationFacts {
  code: string;
  birth_date: string;
  second_fact: string;
}

export function enrolmentApi(api: Api) {
  return {
    register: (body: RegistrationBody) => api.request<RegisteredPatient>('/staff/registrations', { method: 'POST', body }),
    invitations: (patientId: string, signal?: AbortSignal) =>
      api.request<Schemas['InvitationList']>(`/patients/${encodeURIComponent(patientId)}/invitations`, signal ? { signal } : {}),
    invite: (patientId: string, body: InvitationBody) =>
      api.request<IssuedInvitation>(`/patients/${encodeURIComponent(patientId)}/invitations`, { method: 'POST', body }),
    resend: (patientId: string, invitationId: string) =>
      api.request<IssuedInvitation>(
        `/patients/${encodeURIComponent(patientId)}/invitations/${encodeURIComponent(invitationId)}/resend`,
        { method: 'POST', body: {} },
      ),
    revoke: (patientId: string, invitationId: string) =>
      api.request<void>(`/patients/${encodeURIComponent(patientId)}/invitations/${encodeURIComponent(invitationId)}`, {
        method: 'DELETE',
      }),
    // Public: the person activating has no account yet.
    activationSettings: () => api.request<ActivationSettings>('/activation/settings', { auth: false }),
    check: (facts: ActivationFacts) => api.request<ActivationCheck>('/activation/check', { method: 'POST', body: facts, auth: false }),
    // The page's language becomes the new account's preferred language.
    complete: (facts: ActivationFacts & { username: string; password: string }) =>
      api.request<Activation>('/activation/complete', {
        method: 'POST',
        body: { ...facts, preferred_language: currentLocale() },
        auth: false,
      }),
  };
}

export type RegistrationRequest = Schemas['RegistrationRequestOut'];

export interface RegistrationRequestBody {
  legal_name: { given: string; family: string };
  birth_date: string;
  sex: Sex;
  email: string;
  phone?: string | null;
}

export function requestsApi(api: Api) {
  return {
    submit: (body: RegistrationRequestBody) =>
      api.request<Schemas['RegistrationRequestReceived']>('/registration-requests', {
        method: 'POST',
        body: { ...body, preferred_language: currentLocale() },
        auth: false,
      }),
    open: (signal?: AbortSignal) => api.request<Schemas['RegistrationRequestList']>('/staff/registration-requests', signal ? { signal } : {}),
    decide: (id: string, body: { decision: 'match' | 'register' | 'decline'; patient_id?: string }) =>
      api.request<RegistrationRequest>(`/staff/registration-requests/${encodeURIComponent(id)}/decision`, { method: 'POST', body }),
  };
}
