// The grant form's checks and the API's field errors, the grant line, and the patient's
// "Who can see your record" / "People in your care" sections against a scripted API.

import { render } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it, vi } from 'vitest';
import type { Api, Me } from '../../shared/api/client';
import { AppContext } from '../../shared/context';
import { appContext, mountPoint } from '../../shared/test/fakes';
import { ProxyProfileSections } from './pages/ProxyProfile';
import { EMPTY_GRANT, grantBody, grantLine, lastDayInput, mapGrantErrors, scopeLabel, validateGrant } from './proxies';
import type { PendingInvitation, ProxyGrant } from './api';
import { accessLine, ProxyPendingInvitations, sentLine } from './pages/ProxyPending';

const NOW = new Date(2026, 10, 29, 12, 0);

describe('the grant form', () => {
  it('asks for username, relationship and a verification note, and refuses a past end date', () => {
    expect(Object.keys(validateGrant(EMPTY_GRANT, NOW)).sort()).toEqual(['relationship', 'username', 'verification_note']);
    const filled = { username: ' maria ', relationship: 'spouse' as const, expires_on: '2026-11-28', verification_note: ' ID seen ' };
    expect(validateGrant(filled, NOW)).toEqual({ expires_on: 'Choose today or a later date.' });
    expect(validateGrant({ ...filled, expires_on: '2026-11-29' }, NOW)).toEqual({});
    expect(grantBody({ ...filled, expires_on: '' })).toEqual({ username: 'maria', relationship: 'spouse', verification_note: 'ID seen' });
  });

  it('places API field errors on fields and keeps the rest for the summary', () => {
    expect(mapGrantErrors({ username: 'this is a staff account', 'body.extra': 'Extra inputs are not permitted' })).toEqual({
      errors: { username: 'This is a staff account.' },
      unplaced: ['Extra inputs are not permitted.'],
    });
  });
});

const grant = (overrides: Partial<ProxyGrant> = {}): ProxyGrant => ({
  sub: 'sub-maria',
  display_name: 'María González',
  relationship: 'spouse',
  granted_at: '2026-11-02T15:00:00Z',
  granted_by_role: 'front_desk',
  expires_at: null,
  status: 'active',
  scope: { areas: 'full', access: 'act' },
  ...overrides,
});

describe('scopeLabel', () => {
  it('names the areas and whether the caregiver may act', () => {
    expect(scopeLabel({ areas: 'full', access: 'act' })).toBe('Whole record · Can act on their behalf');
    expect(scopeLabel({ areas: ['appointments', 'billing'], access: 'read' })).toBe('Appointments, Billing · View only');
  });
});

describe('lastDayInput', () => {
  it('is the last day with access in the given time zone, as a date input holds it', () => {
    expect(lastDayInput('2027-01-01T06:00:00Z', 'America/Chicago')).toBe('2026-12-31');
    expect(lastDayInput('2027-03-15T04:00:00Z', 'America/New_York')).toBe('2027-03-14');
  });
});

describe('grantLine', () => {
  it('says who granted it and until when', () => {
    expect(grantLine(grant(), 'UTC')).toBe('Granted November 2, 2026 by the front desk · No end date');
    expect(grantLine(grant({ expires_at: '2027-01-01T06:00:00Z' }), 'America/Chicago')).toContain('Until December 31, 2026');
    expect(grantLine(grant({ expires_at: '2026-11-20T06:00:00Z', status: 'expired' }), 'America/Chicago')).toContain(
      'Access ended November 19, 2026',
    );
  });
});

describe('profile sections', () => {
  const mount = mountPoint();

  const me: Me = {
    user: { sub: 'sub-alex', username: 'alex', display_name: 'Alex Morgan', role: 'patient' },
    patients: [
      { id: 'p-alex', display_name: 'Alex Morgan', relationship: 'self' },
      { id: 'p-sam', display_name: 'Sam Morgan', relationship: 'caregiver' },
    ],
  } as Me;

  async function settle() {
    for (let i = 0; i < 5; i++) {
      await act(async () => {
        await new Promise((r) => setTimeout(r, 0));
      });
    }
  }

  // The pending invitations (own list) answer from `invitations`; every other call goes to `call`.
  // any: each test types the options it looks at
  type Call = (path: string, options?: any) => Promise<unknown>;
  function show(call: Call, invitations: Call = async () => ({ items: [] })) {
    const request = (path: string, options?: unknown) =>
      path.includes('/caregiver-invitations') ? invitations(path, options) : call(path, options);
    const value = appContext({ request } as unknown as Api, me, { patient: me.patients[0]! });
    render(
      <AppContext.Provider value={value}>
        <ProxyProfileSections patientId="p-alex" />
      </AppContext.Provider>,
      mount(),
    );
  }

  const button = (text: string) => [...mount().querySelectorAll('button')].find((b) => b.textContent?.trim().startsWith(text));

  it('lists who can see the record and removes access after confirming', async () => {
    const call = vi.fn(async (_path: string, options?: { method?: string }) =>
      options?.method === 'DELETE' ? undefined : { items: [grant()] },
    );
    show(call);
    await settle();

    expect(mount().textContent).toContain('María González');
    expect(mount().textContent).toContain('Spouse or partner');
    expect(button('Stop acting for Sam Morgan')).toBeDefined();

    await act(async () => button('Remove access')?.click());
    expect(mount().querySelector('#proxy-confirm-title')?.textContent).toBe("Remove María González's access?");
    await act(async () => button('Yes, remove access')?.click());
    await settle();

    expect(call).toHaveBeenCalledWith('/patients/p-alex/proxies/sub-maria', { method: 'DELETE' });
    expect(mount().querySelector('[role=status]')?.textContent).toContain('María González can no longer see your record.');
    expect(mount().textContent).toContain('Only you can see your record.');
  });

  it('changes what a caregiver can use, keeping their end date', async () => {
    const current = grant({ expires_at: '2027-01-01T06:00:00Z' });
    const call = vi.fn(async (_path: string, options?: { method?: string; body?: unknown }) =>
      options?.method === 'PATCH' ? { ...current, scope: (options.body as { scope: ProxyGrant['scope'] }).scope } : { items: [current] },
    );
    show(call);
    await settle();

    await act(async () => button('Change')?.click());
    const box = (id: string) => mount().querySelector<HTMLInputElement>(`#${id}`)!;
    await act(async () => box('proxy-edit-scope-some').click());
    await act(async () => button('Save changes')?.click());
    expect(mount().querySelector('#proxy-edit-scope-error')?.textContent).toBe('Choose at least one area, or everything.');
    expect(call).not.toHaveBeenCalledWith(expect.anything(), expect.objectContaining({ method: 'PATCH' }));

    await act(async () => box('proxy-edit-scope-area-billing').click());
    await act(async () => box('proxy-edit-scope-read').click());
    await act(async () => button('Save changes')?.click());
    await settle();

    const [path, options] = call.mock.calls.find(([, o]) => o?.method === 'PATCH')!;
    expect(path).toBe('/patients/p-alex/proxies/sub-maria');
    expect(options!.body).toEqual({ scope: { areas: ['billing'], access: 'read' }, expires_on: lastDayInput('2027-01-01T06:00:00Z') });
    expect(mount().querySelector('[role=status]')?.textContent).toContain('María González can now use: Billing · View only.');
    expect(mount().textContent).toContain('Billing · View only');
    expect(mount().querySelector('.proxy-edit')).toBeNull();
  });

  it('lets a caregiver give up access to someone in their care', async () => {
    const call = vi.fn(async (_path: string, options?: { method?: string }) =>
      options?.method === 'DELETE' ? undefined : { items: [] },
    );
    const changed = vi.fn();
    window.addEventListener('portal:access-changed', changed);
    show(call);
    await settle();

    await act(async () => button('Stop acting for Sam Morgan')?.click());
    await act(async () => button('Yes, stop acting')?.click());
    await settle();

    expect(call).toHaveBeenCalledWith('/patients/p-sam/proxies/sub-alex', { method: 'DELETE' });
    expect(changed).toHaveBeenCalled();
    expect(button('Stop acting for Sam Morgan')).toBeUndefined();
    expect(mount().querySelector('[role=status]')?.textContent).toContain("You no longer have access to Sam Morgan's record.");
    window.removeEventListener('portal:access-changed', changed);
  });
});

describe('invitations not yet accepted', () => {
  const mount = mountPoint();

  const invitation = (overrides: Partial<PendingInvitation> = {}): PendingInvitation => ({
    id: 'inv-1',
    caregiver_name: 'Sam Lee',
    email: 's•••@example.org',
    relationship: 'adult_child',
    scope: { areas: ['appointments', 'billing'], access: 'act' },
    access_ends_at: '2027-01-01T06:00:00Z',
    created_at: '2026-12-07T15:00:00Z',
    expires_at: '2026-12-21T15:00:00Z',
    status: 'pending',
    ...overrides,
  });

  it('words when it was sent, until when access would last, and an expired code', () => {
    expect(sentLine(invitation(), 'UTC')).toBe('Sent December 7, 2026 · The code works until December 21, 2026');
    expect(sentLine(invitation({ status: 'expired' }), 'UTC')).toContain('The code no longer works.');
    expect(accessLine(invitation(), 'America/Chicago')).toBe('Access until December 31, 2026');
    expect(accessLine(invitation({ access_ends_at: null }))).toBe('No end date');
  });

  it('lists them and cancels one, which leaves the list', async () => {
    const pending = vi.fn(async (_path: string, options?: { method?: string }) =>
      options?.method === 'DELETE' ? undefined : { items: [invitation(), invitation({ id: 'inv-2', caregiver_name: 'Alex Kim', email: 'a•••@example.org' })] },
    );
    const me = { user: { sub: 's', username: 'u', display_name: 'Pat', role: 'patient' }, patients: [] } as unknown as Me;
    const value = appContext({ request: pending } as unknown as Api, me);
    render(
      <AppContext.Provider value={value}>
        <ProxyPendingInvitations patientId="p-alex" refresh={0} />
      </AppContext.Provider>,
      mount(),
    );
    for (let i = 0; i < 5; i++) await act(async () => new Promise((r) => setTimeout(r, 0)));
    expect(mount().textContent).toContain('s•••@example.org');
    expect(mount().textContent).toContain('Appointments, Billing · Can act on their behalf');
    const cancel = mount().querySelector<HTMLButtonElement>('button[aria-label="Cancel invitation for Sam Lee"]')!;
    await act(async () => cancel.click());
    for (let i = 0; i < 5; i++) await act(async () => new Promise((r) => setTimeout(r, 0)));
    expect(pending).toHaveBeenCalledWith('/patients/p-alex/caregiver-invitations/inv-1', { method: 'DELETE' });
    expect(mount().querySelector('[role=status]')?.textContent).toContain('The invitation to Sam Lee is cancelled.');
    expect(mount().textContent).not.toContain('s•••@example.org');
    expect(mount().textContent).toContain('Alex Kim');
    expect(document.activeElement?.id).toBe('proxy-pending');
  });
});

describe('in Spanish', () => {
  it('words the grant line, the scope and the relationships in Spanish', async () => {
    const { i18n } = await import('@lingui/core');
    const { RELATIONSHIPS, relationshipLabel } = await import('./proxies');
    i18n.activate('es');
    expect(scopeLabel({ areas: 'full', access: 'act' })).toBe('Todo el expediente · Puede actuar por el paciente');
    expect(scopeLabel({ areas: ['appointments', 'billing'], access: 'read' })).toBe('Citas, Facturación · Solo ver');
    expect(grantLine(grant(), 'UTC')).toBe('Dado el 2 de noviembre de 2026 por la recepción · Sin fecha de fin');
    expect(relationshipLabel('spouse')).toBe('Esposo, esposa o pareja');
    expect(RELATIONSHIPS.map(([, label]) => label)).toContain('Tutor legal');
  });
});
