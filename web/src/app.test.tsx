import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApi } from './shared/api/client';
import { App } from './app';
import { LocaleRoot } from './shell/LocaleRoot';
import { Session } from './shared/session';
import { fakeCognito, jsonResponse, MemoryStorage, mountPoint } from './shared/test/fakes';

const clinic = {
  id: 'demo',
  name: 'Riverside Family Clinic',
  phone: '+15550100100',
  phone_display: '(555) 010-0100',
  email: 'help@riverside.example',
  hours: [{ days: 'Monday–Friday', hours: '8:00 am – 6:00 pm' }],
  address: null,
  emergency_notice: 'If this is a medical emergency, call 911.',
  language: 'en',
  primary_color: '#0f5f8c',
};
const me = {
  user: { sub: 's', username: 'alex', display_name: 'Alex Morgan', role: 'patient' },
  patients: [{ id: 'pat-1', display_name: 'Alex Morgan', relationship: 'self' }],
};

const summary = {
  patient_id: 'pat-1',
  new_results: 2,
  unread_threads: 1,
  balance: { currency: 'USD', balance_cents: 4500, pending_cents: 0, overdue_cents: 0, open_statements: 1 },
  video_now: [],
  checkin_due: [],
  next_appointment: null,
};

const mount = mountPoint();

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  vi.setSystemTime(new Date('2026-11-29T10:00:00Z'));
  sessionStorage.clear();
  history.replaceState(null, '', '/');
});

afterEach(() => {
  vi.useRealTimers();
});

async function flush() {
  await act(async () => {
    await vi.advanceTimersByTimeAsync(0);
  });
}

async function renderSignedIn() {
  const cognito = fakeCognito();
  const session = new Session({ cognito: cognito.client, storage: new MemoryStorage() });
  await session.signIn('alex', 'pw');
  const fetch = vi.fn(async (url: RequestInfo | URL) => {
    const path = String(url);
    if (path.endsWith('/clinic')) return jsonResponse(200, clinic);
    if (path.endsWith('/patients/pat-1/home')) return jsonResponse(200, summary);
    return jsonResponse(200, me);
  });
  const api = createApi({ base: '/api', session, fetch });
  await act(() => {
    render(
      <LocaleRoot>
        <App api={api} session={session} cognito={cognito.client} idle={{ warnAfterMs: 13 * 60_000, signOutAfterMs: 15 * 60_000 }} />
      </LocaleRoot>,
      mount(),
    );
  });
  await flush();
  return { session, fetch };
}

describe('app shell', () => {
  it('greets the patient and shows the clinic name', async () => {
    await renderSignedIn();
    expect(mount().querySelector('h1')?.textContent).toBe('Hello, Alex');
    expect(mount().querySelector('.brand-name')?.textContent).toBe('Riverside Family Clinic');
    expect(document.title).toBe('Home · Riverside Family Clinic');
  });

  it('puts what needs attention first, each one link away, from one request', async () => {
    const { fetch } = await renderSignedIn();
    await flush();
    await flush();
    // The header's unread badge is the shell's own (on every page); the page itself makes one request.
    const patientCalls = fetch.mock.calls
      .map((c) => String(c[0]))
      .filter((u) => u.includes('/patients/') && !u.endsWith('/threads/unread'));
    expect(patientCalls).toEqual(['/api/patients/pat-1/home']);
    const links = [...mount().querySelectorAll<HTMLAnchorElement>('.attention-list a')];
    expect(links.map((a) => [a.querySelector('.tile-title')?.textContent, a.getAttribute('href')])).toEqual([
      ['$45.00 balance due', '/billing'],
      ['2 new test results', '/results'],
      ['Unread message', '/messages'],
    ]);
    expect(mount().querySelector('#home-next-appointment')).not.toBeNull();
  });

  it('warns after 13 idle minutes with a live countdown, then signs out at 15 with a notice', async () => {
    const { session } = await renderSignedIn();
    await act(async () => {
      await vi.advanceTimersByTimeAsync(13 * 60_000);
    });
    const dialog = mount().querySelector<HTMLDialogElement>('#idle-dialog');
    expect(dialog?.open).toBe(true);
    expect(dialog?.getAttribute('role')).toBe('alertdialog');
    expect(dialog?.textContent).toContain("You'll be signed out in 2:00 for your security");

    await act(async () => {
      await vi.advanceTimersByTimeAsync(30_000);
    });
    expect(dialog?.textContent).toContain('1:30');

    await act(async () => {
      await vi.advanceTimersByTimeAsync(90_000);
    });
    await flush();
    expect(session.signedIn).toBe(false);
    expect(mount().querySelector('h1')?.textContent).toBe('Sign in');
    expect(mount().textContent).toContain('You were signed out after 15 minutes of inactivity');
  });

  it('"Stay signed in" closes the warning and keeps the session', async () => {
    const { session } = await renderSignedIn();
    await act(async () => {
      await vi.advanceTimersByTimeAsync(13 * 60_000 + 5_000);
    });
    const stay = mount().querySelector<HTMLButtonElement>('#idle-stay');
    expect(stay).not.toBeNull();
    await act(async () => {
      stay?.click();
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(mount().querySelector<HTMLDialogElement>('#idle-dialog')?.open).toBe(false);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(5 * 60_000);
    });
    expect(session.signedIn).toBe(true);
  });
});
