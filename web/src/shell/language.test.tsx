import { render } from 'preact';
import { act } from 'preact/test-utils';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApi } from '../shared/api/client';
import { App, startSignedInLoad } from '../app';
import { activateLocale, browserLocale, currentLocale, initialLocale, LOCALE_KEY } from '../shared/i18n';
import { Session } from '../shared/session';
import { fakeCognito, jsonResponse, MemoryStorage, mountPoint, TEST_CLINIC } from '../shared/test/fakes';
import { LocaleRoot } from './LocaleRoot';

const clinic = TEST_CLINIC;

const mount = mountPoint();

// Each language's catalog is imported once, here: its first import is slow on a busy machine, and the
// tests below are about what the app shows, not how long a module takes to load.
beforeAll(async () => {
  await activateLocale('es');
  await activateLocale('en');
}, 30_000);

beforeEach(() => {
  localStorage.clear();
  sessionStorage.clear();
  history.replaceState(null, '', '/');
});


/** Lets loads, catalog imports and re-renders settle: until the page has not changed for a while (a
 *  catalog's first import can take a moment on a busy machine), at most a few seconds. */
async function settle() {
  const snapshot = () => `${document.documentElement.lang}|${mount().innerHTML}`;
  let last = snapshot();
  let still = 0;
  for (let waited = 0; still < 10 && waited < 5000; waited += 20) {
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
    });
    const now = snapshot();
    still = now === last ? still + 1 : 0;
    last = now;
  }
}

async function renderApp(
  language: 'en' | 'es' | null,
  { signedIn, boot = false }: { signedIn: boolean; boot?: boolean },
) {
  const cognito = fakeCognito();
  const session = new Session({ cognito: cognito.client, storage: new MemoryStorage() });
  if (signedIn) await session.signIn('maria', 'pw');
  const me = {
    user: { sub: 's', username: 'maria', display_name: 'María González', role: 'patient', language },
    patients: [{ id: 'pat-1', display_name: 'María González', relationship: 'self' }],
  };
  const fetch = vi.fn(async (url: RequestInfo | URL) => {
    const path = String(url);
    if (path.endsWith('/clinic')) return jsonResponse(200, clinic);
    if (path.endsWith('/me')) return jsonResponse(200, me);
    return jsonResponse(404, { error: { code: 'not_found', message: 'Not found' } });
  });
  const api = createApi({ base: '/api', session, fetch });
  if (boot) startSignedInLoad(api, session, '/'); // as main.tsx does before the first render
  await act(() => {
    render(
      <LocaleRoot>
        <App api={api} session={session} cognito={cognito.client} initialClinic={{ clinic, locale: 'en' }} />
      </LocaleRoot>,
      mount(),
    );
  });
  await settle();
  return { fetch };
}

describe('choosing the language', () => {
  it('follows the browser before sign-in: any Spanish is Spanish, anything else English', () => {
    expect(browserLocale(['es-MX', 'en-US'])).toBe('es');
    expect(browserLocale(['es'])).toBe('es');
    expect(browserLocale(['en-US', 'es'])).toBe('en');
    expect(browserLocale(['fr-FR', 'es-ES'])).toBe('es');
    expect(browserLocale(['de-DE'])).toBe('en');
    expect(browserLocale([])).toBe('en');
  });

  it('prefers the choice made with the switch over the browser language', () => {
    vi.spyOn(navigator, 'languages', 'get').mockReturnValue(['es-US']);
    expect(initialLocale()).toBe('es');
    localStorage.setItem(LOCALE_KEY, 'en');
    expect(initialLocale()).toBe('en');
  });

  it('switches the sign-in page to Spanish and remembers it', async () => {
    await renderApp(null, { signedIn: false });
    expect(mount().querySelector('h1')?.textContent).toBe('Sign in');
    const toSpanish = [...mount().querySelectorAll('button')].find((b) => b.textContent === 'Español');
    expect(toSpanish?.getAttribute('lang')).toBe('es');

    await act(() => toSpanish!.click());
    await settle();

    expect(document.documentElement.lang).toBe('es');
    expect(localStorage.getItem(LOCALE_KEY)).toBe('es');
    expect(mount().querySelector('h1')?.textContent).toBe('Iniciar sesión');
    expect(mount().querySelector('.help-button')?.textContent).toBe('Ayuda');
    const toEnglish = [...mount().querySelectorAll('button')].find((b) => b.textContent === 'English');
    expect(toEnglish?.getAttribute('lang')).toBe('en');
  });

  it("shows the clinic's own text in the language chosen on the sign-in page", async () => {
    const spanish = {
      ...clinic,
      hours: [{ days: 'Lunes a viernes', hours: '8:00 a. m. – 6:00 p. m.' }],
      emergency_notice: 'Si es una emergencia médica, llame al 911.',
      language: 'es' as const,
    };
    const english = { ...clinic, hours: [{ days: 'Monday–Friday', hours: '8:00 am – 6:00 pm' }] };
    const fetch = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
      const language = (init?.headers as Record<string, string> | undefined)?.['Accept-Language'];
      if (String(url).endsWith('/clinic')) return jsonResponse(200, language === 'es' ? spanish : english);
      return jsonResponse(404, { error: { code: 'not_found', message: 'Not found' } });
    });
    const cognito = fakeCognito();
    const session = new Session({ cognito: cognito.client, storage: new MemoryStorage() });
    const api = createApi({ base: '/api', session, fetch });
    await act(() => {
      render(
        <LocaleRoot>
          <App api={api} session={session} cognito={cognito.client} initialClinic={{ clinic: english, locale: 'en' }} />
        </LocaleRoot>,
        mount(),
      );
    });
    await settle();
    const notice = () => mount().querySelector('.footer-emergency span');
    expect(notice()?.textContent).toBe('If this is a medical emergency, call 911.');

    await act(() => [...mount().querySelectorAll('button')].find((b) => b.textContent === 'Español')!.click());
    await settle();
    expect(notice()?.textContent).toBe('Si es una emergencia médica, llame al 911.');
    // Marked with the language it is written in; never lang="", which tells a screen reader "unknown".
    expect(notice()?.getAttribute('lang')).toBe('es');
    expect(mount().querySelectorAll('[lang=""]')).toHaveLength(0);

    await act(() => [...mount().querySelectorAll('button')].find((b) => b.textContent === 'English')!.click());
    await settle();
    expect(notice()?.textContent).toBe('If this is a medical emergency, call 911.');
    expect(notice()?.getAttribute('lang')).toBe('en');
  });

  it("after sign-in shows the patient's saved language, whatever was chosen before", async () => {
    localStorage.setItem(LOCALE_KEY, 'en');
    await renderApp('es', { signedIn: true });

    expect(currentLocale()).toBe('es');
    expect(document.documentElement.lang).toBe('es');
    expect(mount().textContent).toContain('Cerrar sesión');
    expect(mount().textContent).not.toContain('Sign out');
    expect(localStorage.getItem(LOCALE_KEY)).toBe('en'); // the browser's own choice is left as it was
  });

  it('never shows the signed-in pages in English to a patient who saved Spanish', async () => {
    await activateLocale('en');
    const seen: string[] = [];
    // What the signed-in shell shows: the navigation and the page.
    const watch = new MutationObserver(() => seen.push(mount().querySelector('.site-nav')?.textContent ?? ''));
    watch.observe(mount(), { childList: true, subtree: true, characterData: true });
    await renderApp('es', { signedIn: true });
    watch.disconnect();

    expect(mount().textContent).toContain('Cerrar sesión');
    expect(seen.filter((nav) => nav.includes('Sign out') || nav.includes('Health record'))).toEqual([]);
    expect(seen.some((nav) => nav.includes('Cerrar sesión'))).toBe(true);
  });

  it('asks the server who is signed in once, even when the saved language differs from the page', async () => {
    await activateLocale('en');
    const { fetch } = await renderApp('es', { signedIn: true });

    expect(mount().textContent).toContain('Cerrar sesión');
    expect(fetch.mock.calls.filter(([url]) => String(url).endsWith('/me'))).toHaveLength(1);
  });

  it('uses the answer asked for at boot, so a reload reads /me once', async () => {
    await activateLocale('en');
    const { fetch } = await renderApp('es', { signedIn: true, boot: true });

    expect(mount().textContent).toContain('Cerrar sesión');
    expect(fetch.mock.calls.filter(([url]) => String(url).endsWith('/me'))).toHaveLength(1);
  });

  it('turns a Spanish sign-in page back to English for a patient who saved English', async () => {
    await activateLocale('es');
    await renderApp('en', { signedIn: true });

    expect(document.documentElement.lang).toBe('en');
    expect(mount().textContent).toContain('Sign out');
  });
});
