import { render } from 'preact';
import { act } from 'preact/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { LocaleRoot } from '../../shell/LocaleRoot';
import { App } from '../../app';
import { createApi } from '../../shared/api/client';
import { Session } from '../../shared/session';
import { fakeCognito, jsonResponse, MemoryStorage, mountPoint, TEST_CLINIC, tokens } from '../../shared/test/fakes';
import { cleanCode, groupSecret, qrPath } from './mfa';

const clinic = TEST_CLINIC;
const staff = (enrolled: boolean) => ({
  user: { sub: 's', username: 'sam', display_name: 'Sam Lee', role: 'front_desk', mfa_enabled: enrolled, mfa_required: true },
  patients: [],
});

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

function heading() {
  return mount().querySelector('h1')?.textContent ?? '';
}

async function type(input: HTMLInputElement, value: string) {
  await act(() => {
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

describe('helpers', () => {
  it('groups the key in fours and reads pasted codes', () => {
    expect(groupSecret('ABCDEFGHIJ')).toBe('ABCD EFGH IJ');
    expect(cleanCode(' 123 456 ')).toBe('123456');
    expect(cleanCode('123-456')).toBe('123456');
  });

  it('draws one square per dark module', () => {
    expect(qrPath([[true, false], [false, true]])).toBe('M0 0h1v1h-1zM1 1h1v1h-1z');
  });
});

describe('staff without an authenticator app', () => {
  it('see only the enrolment page, and reach home once a code is accepted', async () => {
    const cognito = fakeCognito();
    const session = new Session({ cognito: cognito.client, storage: new MemoryStorage() });
    await session.signIn('sam', 'pw');
    let enrolled = false;
    const sent: { url: string; method: string; body: unknown }[] = [];
    const fetch = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
      const path = String(url);
      const method = init?.method ?? 'GET';
      sent.push({ url: path, method, body: init?.body ? JSON.parse(String(init.body)) : null });
      if (path.endsWith('/clinic')) return jsonResponse(200, clinic);
      if (path.endsWith('/me')) return jsonResponse(200, staff(enrolled));
      if (path.endsWith('/me/mfa/totp/setup')) {
        return jsonResponse(200, {
          secret: 'JBSWY3DPEHPK3PXP',
          otpauth_uri: 'otpauth://totp/Riverside%20Family%20Clinic:sam?secret=JBSWY3DPEHPK3PXP',
          issuer: 'Riverside Family Clinic',
          account_name: 'sam',
        });
      }
      if (path.endsWith('/me/mfa/totp/verify')) {
        const code = (JSON.parse(String(init?.body)) as { code: string }).code;
        if (code !== '123456') {
          return jsonResponse(400, { error: { code: 'bad_request', message: 'x', fields: { code: 'mismatch' } } });
        }
        enrolled = true;
        return jsonResponse(200, { mfa_enabled: true });
      }
      return jsonResponse(403, { error: { code: 'mfa_required', message: 'enrol first' } });
    });
    const api = createApi({ base: '/api', session, fetch });
    await act(() => {
      render(<LocaleRoot><App api={api} session={session} cognito={cognito.client} /></LocaleRoot>, mount());
    });

    await until(() => heading() === 'Set up two-step sign-in', 'the enrolment page');
    await until(() => mount().querySelector('svg.qr-code path') !== null, 'the QR code');
    expect(mount().querySelector('svg.qr-code')?.getAttribute('aria-label')).toBe('QR code for your authenticator app');
    expect(mount().querySelector('.mfa-secret')?.textContent).toBe('JBSW Y3DP EHPK 3PXP');
    expect(mount().querySelectorAll('#site-nav .nav-links a')).toHaveLength(0);

    const input = mount().querySelector<HTMLInputElement>('#mfa-setup-code')!;
    expect(input.getAttribute('autocomplete')).toBe('one-time-code');
    expect(input.getAttribute('inputmode')).toBe('numeric');
    const form = input.closest('form')!;

    await type(input, '12');
    await act(() => {
      form.dispatchEvent(new Event('submit', { cancelable: true, bubbles: true }));
    });
    expect(mount().textContent).toContain('Enter the 6-digit code from your authenticator app.');
    expect(sent.some((r) => r.url.endsWith('/verify'))).toBe(false);

    await type(input, '654321');
    await act(() => {
      form.dispatchEvent(new Event('submit', { cancelable: true, bubbles: true }));
    });
    await until(() => (mount().textContent ?? '').includes("That code isn't right."), 'the wrong-code message');

    await type(mount().querySelector<HTMLInputElement>('#mfa-setup-code')!, '123 456');
    await act(() => {
      form.dispatchEvent(new Event('submit', { cancelable: true, bubbles: true }));
    });
    await until(() => heading() === 'Hello, Sam Lee', 'the staff home');
    expect(sent.filter((r) => r.url.endsWith('/verify')).map((r) => r.body)).toEqual([{ code: '654321' }, { code: '123456' }]);
  });
});

describe('sign-in', () => {
  it('asks for the authenticator code when Cognito does, and sends it', async () => {
    const cognito = fakeCognito({
      signIn: async () => ({ kind: 'challenge', challenge: 'SOFTWARE_TOKEN_MFA', session: 'sess-1', parameters: {} }),
    });
    const seen: unknown[] = [];
    cognito.client.respondMfaCode = async (...args) => {
      seen.push(args);
      return { kind: 'tokens', tokens: tokens(1) };
    };
    const session = new Session({ cognito: cognito.client, storage: new MemoryStorage() });
    const fetch = vi.fn(async (url: RequestInfo | URL) =>
      String(url).endsWith('/clinic') ? jsonResponse(200, clinic) : jsonResponse(200, staff(true)),
    );
    const api = createApi({ base: '/api', session, fetch });
    await act(() => {
      render(<LocaleRoot><App api={api} session={session} cognito={cognito.client} /></LocaleRoot>, mount());
    });
    await until(() => heading() === 'Sign in', 'the sign-in page');
    await type(mount().querySelector<HTMLInputElement>('#signin-username')!, 'sam');
    await type(mount().querySelector<HTMLInputElement>('#signin-password')!, 'Demo-Portal-2026!');
    await act(() => {
      mount().querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true, bubbles: true }));
    });

    await until(() => heading() === 'Enter your security code', 'the code step');
    const code = mount().querySelector<HTMLInputElement>('#mfa-code')!;
    expect(code.getAttribute('autocomplete')).toBe('one-time-code');
    expect(code.getAttribute('inputmode')).toBe('numeric');
    await type(code, '246810');
    await act(() => {
      code.closest('form')!.dispatchEvent(new Event('submit', { cancelable: true, bubbles: true }));
    });
    await until(() => heading() === 'Hello, Sam Lee', 'the staff home');
    expect(seen).toEqual([['sam', 'sess-1', '246810']]);
  });
});
