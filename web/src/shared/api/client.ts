// The typed client for the portal API. Every call goes through `request`, which attaches the access token,
// refreshes once on a 401 and retries, and otherwise ends the session. Each feature keeps its own calls in
// features/<feature>/api.ts, built on `request`.

import { currentLocale } from '../i18n';
import type { Session } from '../session';
import type { components } from './schema';

/**
 * The API's own types, generated from its OpenAPI document (make api-types). Responses are aliases of these;
 * request bodies whose fields have server defaults stay typed by hand, since the generated types mark
 * defaulted fields as required.
 */
export type Schemas = components['schemas'];

export type Role = Schemas['Role'];
export type Relationship = PatientRef['relationship'];
export type LanguageCode = Schemas['PatientProfile']['preferred_language'];
export type ContactMethod = Communication['preferred_contact_method'];

export type Health = Schemas['HealthOut'];

export type OpeningHours = Schemas['OpeningHours'];

export type Clinic = Schemas['ClinicOut'];

export type User = Schemas['UserOut'];

export type PatientRef = Schemas['PatientRef'];

export type Me = Schemas['MeOut'];

export type Address = Schemas['Address'];

export type EmergencyContact = Schemas['EmergencyContact'];

export type Communication = Schemas['CommunicationPreferences'];

export type Profile = Schemas['PatientProfile'];

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
  /** The whole error object as sent, for routes that say more (a registration's `existing` record). */
  details: Record<string, unknown> = {};

  constructor(status: number, code: ErrorCode, message: string, fields?: Record<string, string>, requestId?: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields ?? {};
    this.requestId = requestId ?? null;
  }
}

/** Dispatched on window when the API answers 403 "mfa_required": the app then re-reads /me. */
export const MFA_REQUIRED_EVENT = 'portal:mfa-required';

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
  /** Hand back the body as a Blob (e.g. an .ics file) instead of parsing JSON. */
  raw?: boolean;
  /** Extra request headers (e.g. Idempotency-Key). */
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
  const failure = new ApiError(response.status, code, message, fields, requestId);
  failure.details = error;
  return failure;
}

export function createApi({ base, session, fetch: fetchImpl }: ApiOptions) {
  const root = base.replace(/\/+$/, '');
  const doFetch = fetchImpl ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));

  async function send(path: string, options: RequestOptions, token: string | null): Promise<Response> {
    // The language on screen: the server answers refusals in it when it knows no saved preference.
    const headers: Record<string, string> = {
      ...options.headers,
      Accept: 'application/json',
      'Accept-Language': currentLocale(),
    };
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
    if (!response.ok) {
      const error = await toApiError(response);
      if (error.code === 'mfa_required' && typeof window !== 'undefined') {
        window.dispatchEvent(new Event(MFA_REQUIRED_EVENT));
      }
      throw error;
    }
    if (response.status === 204) return undefined as T;
    if (options.raw) return (await response.blob()) as T;
    return (await response.json()) as T;
  }

  return {
    health: () => request<Health>('/health', { auth: false }),
    clinic: () => request<Clinic>('/clinic', { auth: false }),
    me: () => request<Me>('/me'),
    /** The typed call every feature's client (its api.ts) builds on. */
    request: <T>(path: string, options: RequestOptions = {}) => request<T>(path, options),
  };
}

export type Api = ReturnType<typeof createApi>;
