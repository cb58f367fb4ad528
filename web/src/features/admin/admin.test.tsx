// The staff form's checks and the API's field errors, the admin routes, and the new-staff and account pages
// against a scripted API.

import { I18nProvider } from '@lingui/react';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { type Api, ApiError, type Me } from '../../shared/api/client';
import { AppContext } from '../../shared/context';
import { i18n } from '../../shared/i18n';
import { AdminPage } from './pages/AdminPages';
import { adminRoute } from './adminRoute';
import { EMPTY_STAFF, mapStaffErrors, staffBody, validateStaff } from './staffAdmin';
import type { StaffDetail } from './api';
import { appContext, mountPoint } from '../../shared/test/fakes';

describe('the staff form', () => {
  it('asks for username, name, email and role, and checks their shape', () => {
    expect(Object.keys(validateStaff(EMPTY_STAFF)).sort()).toEqual(['display_name', 'email', 'role', 'username']);
    const filled = { username: ' Sam.Lee ', display_name: ' Sam Lee ', email: 'sam@clinic.example', role: 'front_desk' as const, pools: ['front-desk'] };
    expect(validateStaff(filled)).toEqual({});
    expect(Object.keys(validateStaff({ ...filled, username: 'a b', email: 'nope' })).sort()).toEqual(['email', 'username']);
    expect(validateStaff({ ...filled, username: '', email: '' }, { editing: true })).toEqual({});
    expect(staffBody(filled)).toEqual({ username: 'sam.lee', display_name: 'Sam Lee', email: 'sam@clinic.example', role: 'front_desk', pools: ['front-desk'] });
  });

  it('places API field errors on fields and keeps the rest for the summary', () => {
    expect(mapStaffErrors({ username: 'already taken', 'pools.0': 'not a pool', extra: 'Extra inputs are not permitted' })).toEqual({
      errors: { username: 'Already taken.', pools: 'Not a pool.' },
      unplaced: ['Extra inputs are not permitted.'],
    });
  });

  it('knows the admin addresses', () => {
    expect(adminRoute('/admin/staff')).toEqual({ page: 'list' });
    expect(adminRoute('/admin/staff/new')).toEqual({ page: 'new' });
    expect(adminRoute('/admin/staff/abc-123')).toEqual({ page: 'edit', sub: 'abc-123' });
    expect(adminRoute('/admin/audit')).toEqual({ page: 'audit' });
    expect(adminRoute('/admin/access')).toEqual({ page: 'access' });
    expect(adminRoute('/admin/privacy-report')).toEqual({ page: 'privacy' });
    expect(adminRoute('/admin/other')).toBeNull();
  });
});

describe('admin pages', () => {
  const mount = mountPoint();

  const me = { user: { sub: 'sub-admin', username: 'admin', display_name: 'Taylor Brooks', role: 'admin' }, patients: [] } as unknown as Me;
  const teams = { pools: [{ id: 'front-desk', name: 'Front desk' }, { id: 'billing', name: 'Billing' }] };

  async function settle() {
    for (let i = 0; i < 5; i++) {
      await act(async () => {
        await new Promise((r) => setTimeout(r, 0));
      });
    }
  }

  function show(call: ReturnType<typeof vi.fn>, route: Parameters<typeof AdminPage>[0]['route']) {
    const value = appContext({ request: call } as unknown as Api, me);
    render(
      <I18nProvider i18n={i18n}>
        <AppContext.Provider value={value}>
          <AdminPage route={route} />
        </AppContext.Provider>
      </I18nProvider>,
      mount(),
    );
  }

  const button = (text: string) => [...document.querySelectorAll('button')].find((b) => b.textContent?.trim().startsWith(text));
  const type = (id: string, value: string) => {
    const el = mount().querySelector<HTMLInputElement | HTMLSelectElement>(`#${id}`)!;
    el.value = value;
    el.dispatchEvent(new Event(el instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }));
  };

  it('creates a staff member and says the invitation went out; a taken username shows on its field', async () => {
    let creates = 0;
    const call = vi.fn(async (path: string, options?: { method?: string; body?: unknown }) => {
      if (path === '/care-teams') return teams;
      if (options?.method === 'POST') {
        creates += 1;
        if (creates === 2) throw new ApiError(409, 'conflict', 'this username belongs to someone else', { username: 'already taken' });
        return { staff: { sub: 'sub-new', username: 'sam.lee', display_name: 'Sam Lee', role: 'front_desk', pools: ['front-desk'], email: 'sam@clinic.example', disabled: false, mfa_enabled: false }, invitation_sent: true };
      }
      throw new Error(`unexpected ${path}`);
    });
    show(call, { page: 'new' });
    await settle();

    await act(async () => button('Create account')?.click());
    expect(mount().querySelector('.error-summary')?.textContent).toContain('Username: Enter a username.');
    expect(call).not.toHaveBeenCalledWith('/admin/staff', expect.anything());

    const fill = async () => {
      await act(async () => {
        type('staff-username', 'Sam.Lee');
        type('staff-email', 'sam@clinic.example');
        type('staff-display-name', 'Sam Lee');
        type('staff-role', 'front_desk');
      });
      await act(async () => mount().querySelector<HTMLInputElement>('#staff-pool-front-desk')!.click());
    };
    await fill();
    await act(async () => button('Create account')?.click());
    await settle();

    expect(call).toHaveBeenCalledWith('/admin/staff', {
      method: 'POST',
      body: { username: 'sam.lee', display_name: 'Sam Lee', email: 'sam@clinic.example', role: 'front_desk', pools: ['front-desk'] },
    });
    expect(mount().querySelector('[role=status]')?.textContent).toContain('The invitation was sent to sam@clinic.example.');

    await fill();
    await act(async () => button('Create account')?.click());
    await settle();
    expect(mount().querySelector('#staff-username-error')?.textContent).toContain('Already taken.');
  });

  it('resets an authenticator only with a reason, after confirming', async () => {
    const detail: StaffDetail = {
      sub: 'sub-sam', username: 'sam.lee', display_name: 'Sam Lee', role: 'front_desk', pools: [], email: 'sam@clinic.example',
      disabled: false, mfa_enabled: true, sign_in_status: 'active',
    };
    const call = vi.fn(async (path: string, options?: { method?: string }) => {
      if (path === '/care-teams') return teams;
      if (path === '/admin/staff/sub-sam') return detail;
      if (path === '/admin/staff/sub-sam/reset-mfa' && options?.method === 'POST') return { ...detail, mfa_enabled: false };
      throw new Error(`unexpected ${path}`);
    });
    show(call, { page: 'edit', sub: 'sub-sam' });
    await settle();
    expect(mount().textContent).toContain('Set up');
    expect(button('Resend invitation')).toBeUndefined(); // already signed in

    await act(async () => button('Reset authenticator')?.click());
    await act(async () => button('Yes, reset')?.click());
    expect(document.querySelector('#staff-reset-reason-error')?.textContent).toContain('Say why');
    expect(call).not.toHaveBeenCalledWith('/admin/staff/sub-sam/reset-mfa', expect.anything());

    await act(async () => {
      const reason = document.querySelector<HTMLTextAreaElement>('#staff-reset-reason')!;
      reason.value = 'Lost phone, ID checked';
      reason.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await act(async () => button('Yes, reset')?.click());
    await settle();

    expect(call).toHaveBeenCalledWith('/admin/staff/sub-sam/reset-mfa', { method: 'POST', body: { reason: 'Lost phone, ID checked' } });
    expect(mount().querySelector('[role=status]')?.textContent).toContain("Sam Lee's authenticator was reset.");
    expect(button('Reset authenticator')).toBeUndefined();
  });

  it('reads in Spanish: the staff list, its roles and statuses, and the admin audit with a Spanish date', async () => {
    await act(async () => {
      i18n.activate('es');
    });
    const staff = {
      items: [
        { sub: 'sub-sam', username: 'sam.lee', display_name: 'Sam Lee', role: 'front_desk', pools: [], email: null, disabled: true, mfa_enabled: false },
      ],
      next_cursor: null,
    };
    const audit = {
      items: [
        {
          id: 'a1', action: 'staff.disable', actor_name: 'Taylor Brooks', actor_sub: 'sub-admin', at: '2026-12-03T15:00:00Z',
          detail: '', request_id: 'r1', target_sub: 'sub-sam', target_username: 'sam.lee',
        },
      ],
      next_cursor: null,
    };
    const call = vi.fn(async (path: string) => {
      if (path === '/care-teams') return teams;
      if (path === '/admin/staff') return staff;
      if (path === '/admin/audit') return audit;
      throw new Error(`unexpected ${path}`);
    });
    show(call, { page: 'list' });
    await settle();
    expect(mount().querySelector('h1')?.textContent).toBe('Cuentas del personal');
    expect(mount().querySelector('.admin-chips')?.textContent).toBe('RecepciónDesactivadaTodavía sin autenticador');
    expect(mount().querySelector('.admin-chips')?.getAttribute('aria-label')).toBe('Sam Lee: función y estado');
    expect(mount().textContent).toContain('Sin grupos de atención');
    expect(mount().textContent).not.toContain('Add a staff member');

    show(call, { page: 'audit' });
    await settle();
    const entry = mount().querySelector('.admin-list li')?.textContent ?? '';
    expect(entry).toContain('Desactivó la cuenta: sam.lee');
    expect(entry).toContain('Por Taylor Brooks');
    expect(entry).toContain('dic'); // the date in Spanish ("3 dic 2026"), not "Dec 3, 2026"
  });
});
