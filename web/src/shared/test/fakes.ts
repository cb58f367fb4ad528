import { render } from 'preact';
import { afterEach, beforeEach } from 'vitest';
import type { Api, Me } from '../api/client';
import type { AuthResult, AuthTokens, CognitoClient } from '../cognito';
import type { AppContextValue } from '../context';

/** A JWT-shaped string whose payload carries the given claims (unsigned: the client never verifies). */
export function fakeJwt(claims: Record<string, unknown>): string {
  const enc = (o: unknown) => btoa(JSON.stringify(o)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return `${enc({ alg: 'RS256', kid: 'dummy' })}.${enc(claims)}.sig`;
}

export function tokens(n: number, expiresIn = 3600): AuthTokens {
  return {
    accessToken: fakeJwt({ username: 'alex', n }),
    idToken: `id-${n}`,
    refreshToken: `refresh-${n}`,
    expiresIn,
  };
}

export class MemoryStorage {
  data = new Map<string, string>();
  getItem(k: string) {
    return this.data.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.data.set(k, v);
  }
  removeItem(k: string) {
    this.data.delete(k);
  }
}

/** A scriptable Cognito double that records calls. */
export function fakeCognito(overrides: Partial<CognitoClient> = {}) {
  const calls: { op: string; args: unknown[] }[] = [];
  let refreshCount = 0;
  const base: CognitoClient = {
    signIn: async (...args) => {
      calls.push({ op: 'signIn', args });
      return { kind: 'tokens', tokens: tokens(0) } satisfies AuthResult;
    },
    refresh: async (...args) => {
      calls.push({ op: 'refresh', args });
      refreshCount += 1;
      const t = tokens(refreshCount);
      return { ...t, refreshToken: args[0] };
    },
    respondNewPassword: async (...args) => {
      calls.push({ op: 'respondNewPassword', args });
      return { kind: 'tokens', tokens: tokens(0) };
    },
    respondMfaCode: async (...args) => {
      calls.push({ op: 'respondMfaCode', args });
      return { kind: 'tokens', tokens: tokens(0) };
    },
    globalSignOut: async (...args) => {
      calls.push({ op: 'globalSignOut', args });
    },
    forgotPassword: async (...args) => {
      calls.push({ op: 'forgotPassword', args });
      return { destination: 'a***@e***', medium: 'EMAIL' };
    },
    confirmForgotPassword: async (...args) => {
      calls.push({ op: 'confirmForgotPassword', args });
    },
  };
  return { client: { ...base, ...overrides } as CognitoClient, calls };
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

/** The home page's summary for a patient with nothing waiting (GET /patients/{id}/home). */
export function quietHome(patientId: string) {
  return {
    patient_id: patientId,
    new_results: 0,
    unread_threads: 0,
    balance: { currency: 'USD', balance_cents: 0, pending_cents: 0, overdue_cents: 0, open_statements: 0 },
    video_now: [],
    checkin_due: [],
    next_appointment: null,
  };
}

/** The demo clinic as GET /clinic answers it, in English. */
export const TEST_CLINIC = {
  id: 'demo',
  name: 'Riverside Family Clinic',
  phone: '+15550100100',
  phone_display: '(555) 010-0100',
  email: 'help@riverside.example',
  hours: [],
  address: null,
  emergency_notice: 'If this is a medical emergency, call 911.',
  language: 'en' as const,
  primary_color: '#0f5f8c',
  logo_url: null,
};

/** A fresh element for each test of the enclosing suite to render into, emptied and removed after it. */
export function mountPoint(): () => HTMLElement {
  let root: HTMLElement | null = null;
  beforeEach(() => {
    root = document.createElement('div');
    document.body.append(root);
  });
  afterEach(() => {
    if (!root) return;
    render(null, root);
    root.remove();
    root = null;
  });
  return () => {
    if (!root) throw new Error('mountPoint() is for use inside a test');
    return root;
  };
}

/** What a page reads from the app (useApp) when rendered alone: the given API and account, no record open. */
export function appContext(api: Partial<Api>, me: Me | null, more: Partial<AppContextValue> = {}): AppContextValue {
  return {
    api: api as Api,
    session: {} as AppContextValue['session'],
    clinic: null,
    me,
    patient: null,
    selfProfile: null,
    setSelfProfile: () => undefined,
    openHelp: () => undefined,
    ...more,
  };
}
