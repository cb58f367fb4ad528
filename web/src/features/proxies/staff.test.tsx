// The front desk's grant form asks what the caregiver may use, with the same scope fields as the patient's.

import { i18n } from '@lingui/core';
import { I18nProvider } from '@lingui/react';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it, vi } from 'vitest';
import type { Api, Me } from '../../shared/api/client';
import { AppContext } from '../../shared/context';
import { appContext, mountPoint } from '../../shared/test/fakes';
import { ProxyAccessPanel } from './pages/ProxyStaff';

const me = { user: { sub: 'sub-desk', username: 'desk', display_name: 'Sam Desk', role: 'front_desk' }, patients: [] } as unknown as Me;

describe('the front desk grant form', () => {
  const mount = mountPoint();

  async function settle() {
    for (let i = 0; i < 5; i++) {
      await act(async () => {
        await new Promise((r) => setTimeout(r, 0));
      });
    }
  }

  const type = (id: string, value: string) => {
    const el = mount().querySelector<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>(`#${id}`)!;
    el.value = value;
    el.dispatchEvent(new Event(el instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }));
  };

  it('sends the chosen areas and view-only access, and refuses no area at all', async () => {
    const call = vi.fn(async (_path: string, options?: { method?: string; body?: unknown }) =>
      options?.method === 'POST'
        ? { sub: 's', display_name: 'Maria Carer', relationship: 'parent', granted_at: '2026-12-01T00:00:00Z', granted_by_role: 'front_desk', expires_at: null, status: 'active', scope: (options.body as { scope: unknown }).scope }
        : { items: [] },
    );
    const value = appContext({ request: call } as unknown as Api, me);
    render(
      <I18nProvider i18n={i18n}>
        <AppContext.Provider value={value}>
          <ProxyAccessPanel patientId="p-teen" patientName="Tia Teen" />
        </AppContext.Provider>
      </I18nProvider>,
      mount(),
    );
    await settle();
    expect(mount().querySelector('#proxy-grant-scope legend')?.textContent).toBe('What they can use');
    expect(mount().textContent).toContain("Everything in the patient's record");

    await act(async () => {
      type('proxy-grant-username', 'maria');
      type('proxy-grant-relationship', 'parent');
      type('proxy-grant-verification-note', 'Birth certificate seen');
    });
    await act(async () => mount().querySelector<HTMLInputElement>('#proxy-grant-scope-some')!.click());
    const submit = () => [...mount().querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Give access')!;
    await act(async () => submit().click());
    expect(mount().querySelector('#proxy-grant-scope-error')?.textContent).toBe('Choose at least one area, or the whole record.');
    expect(call).not.toHaveBeenCalledWith(expect.anything(), expect.objectContaining({ method: 'POST' }));

    await act(async () => mount().querySelector<HTMLInputElement>('#proxy-grant-scope-area-appointments')!.click());
    await act(async () => mount().querySelector<HTMLInputElement>('#proxy-grant-scope-area-billing')!.click());
    await act(async () => mount().querySelector<HTMLInputElement>('#proxy-grant-scope-read')!.click());
    await act(async () => submit().click());
    await settle();

    const [path, options] = call.mock.calls.find(([, o]) => o?.method === 'POST')!;
    expect(path).toBe('/patients/p-teen/proxies');
    expect(options!.body).toEqual({
      username: 'maria',
      relationship: 'parent',
      verification_note: 'Birth certificate seen',
      scope: { areas: ['appointments', 'billing'], access: 'read' },
    });
  });
});
