// "Sign-in and security" (two-step sign-in on and off, changing the password) and signing in with an email
// address, against a scripted API.

import { render } from 'preact';
import { act } from 'preact/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { LocaleRoot } from '../../shell/LocaleRoot';
import { App } from '../../app';
import { type Api, ApiError, createApi, type Me } from '../../shared/api/client';
import { createEmailSignIn, looksLikeEmail } from '../../shared/cognito';
import { AppContext, type AppContextValue } from '../../shared/context';
import { Session } from '../../shared/session';
import { fakeCognito, fakeJwt, jsonResponse, MemoryStorage, mountPoint, quietHome, TEST_CLINIC } from '../../shared/test/fakes';
import { SecuritySection } from './pages/Security';

const clinic = TEST_CLINIC;

const patientMe = (mfa: boolean): Me =>
  ({
    user: { sub: 'sub-alex', username: 'alex', display_name: 'Alex Morgan', role: 'patient', mfa_enabled: mfa, mfa_required: false },
    patients: [{ id: 'p-alex', display_name: 'Alex Morgan', relationship: 'self' }],
  }) as Me;

const staffMe: Me = {
  user: { sub: 'sub-sam', username: 'sam', display_name: 'Sam Lee', role: 'front_desk', mfa_enabled: true, mfa_required: true, language: null },
  patients: [],
} as Me;

const mount = mountPoint();

beforeEach(() => {
  sessionStorage.clear();
  history.replaceState(null, '', '/');
});


async function until(check: () => boolean, what: string) {
  for (let i = 0; i < 200; i += 1) {
    if (check()) return;
    await act(async () => {
      await new Promise((r) => setTimeout(r, 10));
    });
  }
  throw new Error(`timed out waiting for ${what}: ${mount().textContent}`);
}

async function type(selector: string, value: string) {
  const input = mount().querySelector<HTMLInputElement>(selector);
  if (!input) throw new Error(`no ${selector}`);
  await act(() => {
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

async function submit(selector: string) {
  await act(() => {
    mount().querySelector(selector)!.closest('form')!.dispatchEvent(new Event('submit', { cancelable: true, bubbles: true }));
  });
}

const button = (text: string) => [...mount().querySelectorAll('button')].find((b) => b.textContent?.trim() === text);
const text = () => mount().textContent ?? '';

type Call = { path: string; method: string; body: unknown };

function showSection(me: Me, answer: (call: Call) => unknown) {
  const calls: Call[] = [];
  const request = vi.fn(async (path: string, options: { method?: string; body?: unknown } = {}) => {
    const call = { path, method: options.method ?? 'GET', body: options.body ?? null };
    calls.push(call);
    return answer(call);
  });
  const reloadMe = vi.fn();
  const value = {
    api: { request } as unknown as Api,
    session: { signOut: vi.fn() } as unknown as AppContextValue['session'],
    clinic: null,
    me,
    patient: me.patients[0] ?? null,
    selfProfile: null,
    setSelfProfile: () => undefined,
    openHelp: () => undefined,
    reloadMe,
  } satisfies AppContextValue;
  render(
    <AppContext.Provider value={value}>
      <SecuritySection />
    </AppContext.Provider>,
    mount(),
  );
  return { calls, reloadMe, session: value.session };
}

const SETUP = {
  secret: 'JBSWY3DPEHPK3PXP',
  otpauth_uri: 'otpauth://totp/Riverside%20Family%20Clinic:alex?secret=JBSWY3DPEHPK3PXP',
  issuer: 'Riverside Family Clinic',
  account_name: 'alex',
};

describe('two-step sign-in on the profile', () => {
  it('a patient turns it on with the enrolment, then off after confirming', async () => {
    const shown = showSection(patientMe(false), ({ path, method }) => {
      if (path === '/me/mfa/totp/setup') return SETUP;
      if (path === '/me/mfa/totp/verify') return { mfa_enabled: true };
      if (path === '/me/mfa' && method === 'DELETE') return { mfa_enabled: false };
      throw new Error(`unexpected ${method} ${path}`);
    });

    expect(mount().querySelector('h2')?.textContent).toBe('Sign-in and security');
    expect(mount().querySelector('.security-state')?.textContent).toBe('Off');
    await act(async () => button('Turn on two-step sign-in')!.click());
    await until(() => mount().querySelector('svg.qr-code path') !== null, 'the QR code');
    expect(mount().querySelector('.mfa-secret')?.textContent).toBe('JBSW Y3DP EHPK 3PXP');

    await type('#mfa-setup-code', '123 456');
    await submit('#mfa-setup-code');
    await until(() => mount().querySelector('.security-state')?.textContent === 'On', 'two-step sign-in on');
    expect(shown.calls.find((c) => c.path.endsWith('/verify'))?.body).toEqual({ code: '123456' });
    expect(mount().querySelector('[role=status]')?.textContent).toContain('Two-step sign-in is on.');
    expect(shown.reloadMe).toHaveBeenCalledTimes(1);
    await until(() => document.activeElement?.id === 'security-2fa', 'focus on the heading');

    await act(async () => button('Turn off two-step sign-in')!.click());
    const dialog = mount().querySelector<HTMLDialogElement>('#security-confirm-off')!;
    expect(dialog.getAttribute('role')).toBe('alertdialog');
    expect(dialog.querySelector('h2')?.textContent).toBe('Turn off two-step sign-in?');
    expect(shown.calls.some((c) => c.method === 'DELETE')).toBe(false); // nothing until confirmed
    await act(async () => button('Yes, turn it off')!.click());
    await until(() => mount().querySelector('.security-state')?.textContent === 'Off', 'two-step sign-in off');
    expect(shown.calls.filter((c) => c.method === 'DELETE').map((c) => c.path)).toEqual(['/me/mfa']);
    expect(mount().querySelector('[role=status]')?.textContent).toContain('Two-step sign-in is off.');
    expect(shown.reloadMe).toHaveBeenCalledTimes(2);
  });

  it('keeping it on leaves it on', async () => {
    const shown = showSection(patientMe(true), () => {
      throw new Error('no call expected');
    });
    await act(async () => button('Turn off two-step sign-in')!.click());
    await act(async () => button('Keep it on')!.click());
    expect(mount().querySelector('.security-state')?.textContent).toBe('On');
    expect(shown.calls).toEqual([]);
  });

  it('staff see it on and that they must keep it', () => {
    showSection(staffMe, () => undefined);
    expect(mount().querySelector('.security-state')?.textContent).toBe('On');
    expect(text()).toContain('Staff accounts must keep two-step sign-in.');
    expect(button('Turn off two-step sign-in')).toBeUndefined();
  });
});

describe('changing the password', () => {
  it('checks the fields before sending anything', async () => {
    const shown = showSection(patientMe(false), () => undefined);

    await submit('#current-password');
    expect(mount().querySelector('#current-password-error')?.textContent).toContain('Enter your current password.');
    expect(mount().querySelector('#new-password-error')?.textContent).toContain('Your password needs at least 12 characters');
    expect(document.activeElement?.id).toBe('current-password');

    await type('#current-password', 'Old-Password-2026!');
    await type('#new-password', 'New-Password-2027!');
    await type('#confirm-password', 'New-Password-2028!');
    await submit('#current-password');
    expect(mount().querySelector('#confirm-password-error')?.textContent).toContain("The new passwords don't match.");
    expect(shown.calls).toEqual([]);
  });

  it('names a wrong current password, and a new one the server refuses', async () => {
    let answer: ApiError = new ApiError(400, 'bad_request', 'x', { current_password: 'this is not your current password' });
    const shown = showSection(patientMe(false), () => {
      throw answer;
    });
    await type('#current-password', 'Wrong-Password-2026!');
    await type('#new-password', 'New-Password-2027!');
    await type('#confirm-password', 'New-Password-2027!');
    await submit('#current-password');
    await until(() => mount().querySelector('#current-password-error') !== null, 'the current password error');
    expect(mount().querySelector('#current-password-error')?.textContent).toContain("That isn't your current password.");
    expect(mount().querySelector('#current-password')?.getAttribute('aria-invalid')).toBe('true');
    expect(mount().querySelector<HTMLInputElement>('#current-password')?.value).toBe('');
    expect(shown.calls[0]).toEqual({
      path: '/me/password',
      method: 'POST',
      body: { current_password: 'Wrong-Password-2026!', new_password: 'New-Password-2027!' },
    });

    answer = new ApiError(400, 'bad_request', 'x', { new_password: 'used before' });
    await type('#current-password', 'Old-Password-2026!');
    await submit('#current-password');
    await until(() => mount().querySelector('#new-password-error') !== null, 'the new password error');
    expect(mount().querySelector('#new-password-error')?.textContent).toContain("That password can't be used.");

    answer = new ApiError(429, 'too_many_attempts', 'x');
    await submit('#current-password');
    await until(() => text().includes('Too many attempts.'), 'the too-many-attempts message');
    expect(shown.session.signOut).not.toHaveBeenCalled();
  });

  it('signs out everywhere once changed, and the sign-in page says so', async () => {
    const cognito = fakeCognito();
    const session = new Session({ cognito: cognito.client, storage: new MemoryStorage() });
    await session.signIn('alex', 'Old-Password-2026!');
    const sent: string[] = [];
    const fetch = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
      const path = String(url);
      sent.push(`${init?.method ?? 'GET'} ${path}`);
      if (path.endsWith('/clinic')) return jsonResponse(200, clinic);
      if (path.endsWith('/activation/settings')) return jsonResponse(200, { second_fact: 'postal_code', self_registration: false });
      if (path.endsWith('/me')) return jsonResponse(200, patientMe(false));
      if (path.endsWith('/me/password')) return new Response(null, { status: 204 });
      return jsonResponse(404, { error: { code: 'not_found', message: 'x' } });
    });
    const api = createApi({ base: '/api', session, fetch });
    history.replaceState(null, '', '/security');
    await act(() => {
      render(<LocaleRoot><App api={api} session={session} cognito={cognito.client} /></LocaleRoot>, mount());
    });
    await until(() => mount().querySelector('h1')?.textContent === 'Sign-in and security', 'the security page');

    await type('#current-password', 'Old-Password-2026!');
    await type('#new-password', 'New-Password-2027!');
    await type('#confirm-password', 'New-Password-2027!');
    await submit('#current-password');

    await until(() => mount().querySelector('h1')?.textContent === 'Sign in', 'the sign-in page');
    expect(session.signedIn).toBe(false);
    expect(text()).toContain('Your password has been changed, and you have been signed out on every device.');
    expect(sent).toContain('POST /api/me/password');
  });
});

describe('signing in with an email address', () => {
  it('tells an email address from a username', () => {
    expect(looksLikeEmail(' alex@patients.example ')).toBe(true);
    expect(looksLikeEmail('alex')).toBe(false);
    expect(looksLikeEmail('alex@home')).toBe(false);
  });

  it('goes through the portal API, continues a challenge as the real username, and words a refusal for email', async () => {
    const cognito = fakeCognito();
    const asked: unknown[] = [];
    cognito.client.respondMfaCode = async (...args) => {
      asked.push(args);
      return { kind: 'tokens', tokens: { accessToken: fakeJwt({ username: 'alex' }), idToken: 'i', refreshToken: 'r', expiresIn: 3600 } };
    };
    const apiFetch = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
      const path = String(url);
      if (path.endsWith('/account/sign-in')) {
        const body = JSON.parse(String(init?.body)) as { email: string; password: string };
        if (body.password !== 'Right-Password-2026!') {
          return jsonResponse(401, { error: { code: 'sign_in_failed', message: 'x', request_id: 'r1' } });
        }
        return jsonResponse(200, {
          AuthenticationResult: null,
          ChallengeName: 'SOFTWARE_TOKEN_MFA',
          Session: 'sess-9',
          ChallengeParameters: { USER_ID_FOR_SRP: 'alex' },
        });
      }
      if (path.endsWith('/clinic')) return jsonResponse(200, clinic);
      if (path.endsWith('/activation/settings')) return jsonResponse(200, { second_fact: 'postal_code', self_registration: true });
      if (path.endsWith('/me')) return jsonResponse(200, patientMe(true));
      if (path.endsWith('/home')) return jsonResponse(200, quietHome(path.split('/')[3] ?? ''));
      return jsonResponse(200, { items: [] });
    });
    const session = new Session({
      cognito: cognito.client,
      storage: new MemoryStorage(),
      emailSignIn: createEmailSignIn({ apiBase: '/api', fetch: apiFetch }),
    });
    const api = createApi({ base: '/api', session, fetch: apiFetch });
    await act(() => {
      render(<LocaleRoot><App api={api} session={session} cognito={cognito.client} /></LocaleRoot>, mount());
    });
    await until(() => mount().querySelector('h1')?.textContent === 'Sign in', 'the sign-in page');
    expect(mount().querySelector('label[for=signin-username]')?.textContent).toContain('Username or email');
    await until(() => mount().querySelector('a[href="/register"]') !== null, 'the request link');
    expect(mount().querySelector('a[href="/activate"]')?.textContent).toBe('Activate your account');
    expect(mount().querySelector('a[href="/forgot-username"]')).not.toBeNull();
    expect(mount().querySelector('a[href="/forgot-password"]')).not.toBeNull();

    await type('#signin-username', ' alex@patients.example ');
    await type('#signin-password', 'Wrong-Password-2026!');
    await submit('#signin-username');
    await until(() => text().includes('Incorrect email or password.'), 'the refusal');

    await type('#signin-password', 'Right-Password-2026!');
    await submit('#signin-username');
    await until(() => mount().querySelector('h1')?.textContent === 'Enter your security code', 'the code step');
    await type('#mfa-code', '246810');
    await submit('#mfa-code');
    await until(() => (mount().querySelector('h1')?.textContent ?? '').startsWith('Hello'), 'the home page');

    expect(cognito.calls.filter((c) => c.op === 'signIn')).toEqual([]); // never sent to Cognito as a username
    const sentToApi = apiFetch.mock.calls.filter(([u]) => String(u).endsWith('/account/sign-in'));
    expect(sentToApi.map(([, init]) => JSON.parse(String(init?.body)))).toEqual([
      { email: 'alex@patients.example', password: 'Wrong-Password-2026!' },
      { email: 'alex@patients.example', password: 'Right-Password-2026!' },
    ]);
    expect(asked).toEqual([['alex', 'sess-9', '246810']]);
  });

  it('sends a username to Cognito as before, and hides "Request an account" when the clinic takes none', async () => {
    const cognito = fakeCognito();
    const emailSignIn = vi.fn();
    const session = new Session({ cognito: cognito.client, storage: new MemoryStorage(), emailSignIn });
    const fetch = vi.fn(async (url: RequestInfo | URL) => {
      const path = String(url);
      if (path.endsWith('/clinic')) return jsonResponse(200, clinic);
      if (path.endsWith('/activation/settings')) return jsonResponse(200, { second_fact: 'postal_code', self_registration: false });
      if (path.endsWith('/me')) return jsonResponse(200, patientMe(false));
      if (path.endsWith('/home')) return jsonResponse(200, quietHome(path.split('/')[3] ?? ''));
      return jsonResponse(200, { items: [] });
    });
    const api = createApi({ base: '/api', session, fetch });
    await act(() => {
      render(<LocaleRoot><App api={api} session={session} cognito={cognito.client} /></LocaleRoot>, mount());
    });
    await until(() => fetch.mock.calls.some(([u]) => String(u).endsWith('/activation/settings')), 'the settings');
    await until(() => mount().querySelector('a[href="/activate"]') !== null, 'the activation link');
    expect(mount().querySelector('a[href="/register"]')).toBeNull();

    await type('#signin-username', 'alex');
    await type('#signin-password', 'Right-Password-2026!');
    await submit('#signin-username');
    await until(() => session.signedIn, 'signed in');
    expect(cognito.calls.filter((c) => c.op === 'signIn').map((c) => c.args)).toEqual([['alex', 'Right-Password-2026!']]);
    expect(emailSignIn).not.toHaveBeenCalled();
  });
});
