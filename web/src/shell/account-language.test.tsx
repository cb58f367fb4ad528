import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApi } from '../shared/api/client';
import { App } from '../app';
import { activateLocale } from '../shared/i18n';
import { Session } from '../shared/session';
import { fakeCognito, jsonResponse, MemoryStorage, TEST_CLINIC } from '../shared/test/fakes';
import { LocaleRoot } from './LocaleRoot';

const clinic = TEST_CLINIC;

let root: HTMLElement;

beforeEach(async () => {
  sessionStorage.clear();
  localStorage.clear();
  history.replaceState(null, '', '/');
  await activateLocale('en');
  root = document.createElement('div');
  document.body.append(root);
});

afterEach(async () => {
  render(null, root);
  root.remove();
  await activateLocale('en');
});

/** Signed in as `user`, the API answering /me from `saved` (what PUT /me/language last stored). */
async function signedIn(user: { role: string; display_name: string }, patients: unknown[], putStatus = 204) {
  const cognito = fakeCognito();
  const session = new Session({ cognito: cognito.client, storage: new MemoryStorage() });
  await session.signIn('someone', 'pw');
  let saved: string | null = null;
  const fetch = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
    const path = String(url);
    if (path.endsWith('/me/language')) {
      if (putStatus === 204) saved = JSON.parse(String(init?.body)).language;
      return putStatus === 204 ? new Response(null, { status: 204 }) : jsonResponse(putStatus, { error: { code: 'internal', message: 'down' } });
    }
    if (path.endsWith('/me')) {
      return jsonResponse(200, { user: { sub: 's', username: 'someone', mfa_enabled: true, language: saved, ...user }, patients });
    }
    if (path.endsWith('/clinic')) return jsonResponse(200, clinic);
    return new Promise<Response>(() => undefined); // the pages' own data: still loading, not asked about here
  });
  const api = createApi({ base: '/api', session, fetch });
  await act(() => {
    render(
      <LocaleRoot>
        <App api={api} session={session} cognito={cognito.client} initialClinic={{ clinic, locale: 'en' }} />
      </LocaleRoot>,
      root,
    );
  });
  return fetch;
}

const switchButton = () => root.querySelector<HTMLButtonElement>('.account--bar .language-switch');

describe('the language of an account without a record of its own', () => {
  it('is saved on the account, then the portal speaks it', async () => {
    const fetch = await signedIn({ role: 'front_desk', display_name: 'Sam Lee' }, []);
    await vi.waitFor(() => expect(switchButton()).not.toBeNull());
    expect(switchButton()?.textContent).toBe('Español');
    expect(switchButton()?.getAttribute('lang')).toBe('es');

    await act(() => switchButton()?.click());

    await vi.waitFor(() => expect(document.documentElement.lang).toBe('es'));
    const put = fetch.mock.calls.find(([url]) => String(url).endsWith('/me/language'));
    expect(put?.[1]?.method).toBe('PUT');
    expect(JSON.parse(String(put?.[1]?.body))).toEqual({ language: 'es' });
    await vi.waitFor(() => expect(switchButton()?.textContent).toBe('English'));
  });

  it('stays as it is when the choice could not be saved', async () => {
    await signedIn({ role: 'patient', display_name: 'Cara Giver' }, [
      { id: 'p-1', display_name: 'Quinn', relationship: 'caregiver' },
    ], 503);
    await vi.waitFor(() => expect(switchButton()).not.toBeNull());

    await act(() => switchButton()?.click());
    await new Promise((resolve) => setTimeout(resolve, 50));

    expect(document.documentElement.lang).toBe('en');
    expect(switchButton()?.textContent).toBe('Español');
  });

  it('is not offered to a patient, whose language is on their profile', async () => {
    await signedIn({ role: 'patient', display_name: 'Alex Morgan' }, [
      { id: 'p-2', display_name: 'Alex Morgan', relationship: 'self' },
    ]);
    await vi.waitFor(() => expect(root.querySelector('.account--bar')).not.toBeNull());
    expect(switchButton()).toBeNull();
  });
});
