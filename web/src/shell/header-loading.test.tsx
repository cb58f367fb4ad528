import { render } from 'preact';
import { act } from 'preact/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createApi } from '../shared/api/client';
import { App } from '../app';
import { Session } from '../shared/session';
import { fakeCognito, jsonResponse, MemoryStorage, mountPoint, TEST_CLINIC } from '../shared/test/fakes';
import { LocaleRoot } from './LocaleRoot';
import { ACTING_KEY, RECORD_BAR_KEY } from './storage';

const clinic = TEST_CLINIC;

const mount = mountPoint();

beforeEach(() => {
  sessionStorage.clear();
  history.replaceState(null, '', '/');
});


/** Signed in, with /me not answered yet (the moment a reload shows the loading placeholder). */
async function renderLoading() {
  const cognito = fakeCognito();
  const session = new Session({ cognito: cognito.client, storage: new MemoryStorage() });
  await session.signIn('alex', 'pw');
  const fetch = vi.fn(async (url: RequestInfo | URL) =>
    String(url).endsWith('/me') ? new Promise<Response>(() => undefined) : jsonResponse(200, clinic),
  );
  const api = createApi({ base: '/api', session, fetch });
  await act(() => {
    render(
      <LocaleRoot>
        <App api={api} session={session} cognito={cognito.client} initialClinic={{ clinic, locale: 'en' }} />
      </LocaleRoot>,
      mount(),
    );
  });
}

describe('the header while the account loads', () => {
  it('keeps its signed-in shape: the menu button, no language switch', async () => {
    await renderLoading();
    const buttons = [...mount().querySelectorAll('.header-actions button')].map((b) => b.textContent);
    expect(buttons).toEqual(['Help', 'Menu']);
    expect(mount().querySelector('.record-bar')).toBeNull();
    // The navigation's row is held, unseen and unread, so the header keeps its final height.
    const nav = mount().querySelector('.site-nav--pending');
    expect(nav?.getAttribute('aria-hidden')).toBe('true');
    expect(nav?.textContent).toBe('');
    expect(mount().querySelector('.acting-banner--pending')).toBeNull();
  });

  it('holds the "Acting for" banner\'s slot when this tab last showed it', async () => {
    sessionStorage.setItem(ACTING_KEY, '1');
    await renderLoading();
    const slot = mount().querySelector('.acting-banner');
    expect(slot?.classList.contains('acting-banner--pending')).toBe(true);
    expect(slot?.querySelector('p')?.getAttribute('aria-hidden')).toBe('true');
    expect(slot?.textContent?.trim()).toBe('');
  });

  it("holds the record switcher's slot, hidden from screen readers, when this tab last showed it", async () => {
    sessionStorage.setItem(RECORD_BAR_KEY, '1');
    await renderLoading();
    const slot = mount().querySelector('.record-bar');
    expect(slot?.classList.contains('record-bar--pending')).toBe(true);
    expect(slot?.getAttribute('aria-hidden')).toBe('true');
    expect(slot?.querySelector('select')?.disabled).toBe(true);
  });
});
