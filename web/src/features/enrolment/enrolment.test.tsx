// Registration and activation forms: their checks, and the pages against a scripted API (the duplicate
// offer, the activation steps, one message for every refusal).

import { render } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { type Api, ApiError, type Clinic, type Me } from '../../shared/api/client';
import { AppContext, type AppContextValue } from '../../shared/context';
import { ActivatePage } from './pages/Activate';
import { RegisterPatientPage } from './pages/RegisterPatient';
import { RequestRegistrationPage } from './pages/RegistrationRequests';
import { EMPTY_REGISTRATION, isoDate, mapRegistrationErrors, normalizeCode, registrationBody, validateActivation, validateRegistration } from './enrolment';
import { appContext, mountPoint } from '../../shared/test/fakes';

describe('the registration form', () => {
  it('asks for name, birth date and sex, and a whole address once any of it is given', () => {
    expect(Object.keys(validateRegistration(EMPTY_REGISTRATION)).sort()).toEqual(['birth_date', 'family', 'given', 'sex']);
    const filled = { ...EMPTY_REGISTRATION, given: 'Maria', family: 'Lopez', birth_date: '06/09/1984', sex: 'female' as const };
    expect(validateRegistration(filled)).toEqual({});
    expect(Object.keys(validateRegistration({ ...filled, city: 'Portland' })).sort()).toEqual(['line1', 'postal_code', 'state']);
    expect(validateRegistration({ ...filled, birth_date: '02/30/1984' }).birth_date).toContain('real date');
    expect(validateRegistration({ ...filled, birth_date: '01/01/2999' }).birth_date).toContain('future');
  });

  it('sends dates as ISO and leaves out what was not given', () => {
    const filled = { ...EMPTY_REGISTRATION, given: ' Maria ', family: 'Lopez', birth_date: '6/9/1984', sex: 'female' as const };
    expect(registrationBody(filled)).toEqual({
      legal_name: { given: 'Maria', family: 'Lopez' },
      birth_date: '1984-06-09',
      sex: 'female',
      phone: null,
      email: null,
      address: null,
      mrn: null,
      not_a_duplicate: false,
    });
  });

  it('places API field errors on fields', () => {
    expect(mapRegistrationErrors({ 'legal_name.given': 'too long', 'address.postal_code': 'enter a 5-digit ZIP code', x: 'odd' })).toEqual({
      errors: { given: 'Too long.', postal_code: 'Enter a 5-digit ZIP code.' },
      unplaced: ['Odd.'],
    });
  });
});

describe('the activation form', () => {
  it('reads codes as typed from paper and checks every fact', () => {
    expect(normalizeCode(' k7rx-m3qd wp ')).toBe('K7RXM3QDWP');
    expect(isoDate('06/09/1984')).toBe('1984-06-09');
    expect(Object.keys(validateActivation({ code: '', birth_date: '', second_fact: '' })).sort()).toEqual(['birth_date', 'code', 'second_fact']);
    expect(validateActivation({ code: 'K7RX-M3QD', birth_date: '06/09/1984', second_fact: '97201' }).code).toContain('10 letters');
  });
});

const clinic = { name: 'Demo Clinic', phone_display: '(555) 010-0000' } as Clinic;

describe('pages', () => {
  const mount = mountPoint();

  async function settle() {
    for (let i = 0; i < 5; i++) {
      await act(async () => {
        await new Promise((r) => setTimeout(r, 0));
      });
    }
  }

  function show(node: preact.ComponentChildren, call: ReturnType<typeof vi.fn>, signIn = vi.fn(async () => ({ kind: 'signedIn' }))) {
    const value = appContext({ request: call } as unknown as Api, { user: { sub: 's', username: 'desk', display_name: 'Desk', role: 'front_desk' }, patients: [] } as unknown as Me, { session: { signIn } as unknown as AppContextValue['session'], clinic });
    render(<AppContext.Provider value={value}>{node}</AppContext.Provider>, mount());
  }

  function type(id: string, value: string) {
    const input = mount().querySelector<HTMLInputElement | HTMLSelectElement>(`#${id}`)!;
    input.value = value;
    input.dispatchEvent(new Event(input.tagName === 'SELECT' ? 'change' : 'input', { bubbles: true }));
  }

  const submit = async () => {
    await act(async () => {
      mount().querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    });
    await settle();
  };

  it('offers the existing record instead of a duplicate, and registers a different person on request', async () => {
    const duplicate = new ApiError(409, 'conflict', 'this patient may already be registered');
    duplicate.details = { existing: { id: 'p-1', display_name: 'Lopez, Maria', matched_by: 'name_and_birth_date' } };
    const call = vi.fn(async (_path: string, options?: { body?: { not_a_duplicate?: boolean } }) => {
      if (!options?.body?.not_a_duplicate) throw duplicate;
      return { id: 'p-2', display_name: 'Lopez, Maria', created: true };
    });
    show(<RegisterPatientPage />, call);
    await act(async () => {
      type('reg-given', 'Maria');
      type('reg-family', 'Lopez');
      type('reg-birth-date', '06/09/1984');
      type('reg-sex', 'female');
    });
    await submit();

    expect(mount().querySelector('[role=alert]')?.textContent).toContain('Lopez, Maria has the same name and date of birth.');
    const open = [...mount().querySelectorAll('a')].find((a) => a.textContent === 'Open the existing record');
    expect(open?.getAttribute('href')).toBe('/staff/patients/p-1');
    const anyway = [...mount().querySelectorAll('button')].find((b) => b.textContent?.startsWith("It's a different person"));
    await act(async () => anyway!.click());
    await settle();
    expect(call).toHaveBeenLastCalledWith('/staff/registrations', expect.objectContaining({ method: 'POST' }));
    expect(location.pathname).toBe('/staff/patients/p-2');
  });

  it('activates in two steps and signs the new account in', async () => {
    const call = vi.fn(async (path: string, options?: { body?: Record<string, string> }) => {
      if (path === '/activation/settings') return { second_fact: 'postal_code', self_registration: false };
      if (path === '/activation/check') {
        if (options?.body?.second_fact !== '97201') throw new ApiError(400, 'activation_refused', 'we could not confirm these details');
        return { ok: true, kind: 'self', first_name: 'Maria' };
      }
      return { username: 'maria', patient_id: 'p-1' };
    });
    const signIn = vi.fn(async () => ({ kind: 'signedIn' }));
    show(<ActivatePage />, call, signIn);
    await settle();
    expect(mount().textContent).toContain('ZIP code');

    await act(async () => {
      type('activate-code', 'k7rx-m3qd-wp');
      type('activate-birth-date', '06/09/1984');
      type('activate-second-fact', '11111');
    });
    await submit();
    expect(mount().textContent).toContain("We couldn't confirm these details");
    expect(mount().textContent).toContain('(555) 010-0000');

    await act(async () => type('activate-second-fact', '97201'));
    await submit();
    expect(call).toHaveBeenLastCalledWith('/activation/check', {
      method: 'POST',
      body: { code: 'K7RXM3QDWP', birth_date: '1984-06-09', second_fact: '97201' },
      auth: false,
    });
    expect(mount().querySelector('h1')?.textContent).toBe('Choose your sign-in');

    await act(async () => {
      type('activate-username', 'maria');
      type('activate-password', 'short');
    });
    await submit();
    expect(mount().textContent).toContain('Your password needs');

    await act(async () => {
      type('activate-password', 'Sunny-Garden-42!');
      type('activate-confirm', 'Sunny-Garden-42!');
    });
    await submit();
    expect(signIn).toHaveBeenCalledWith('maria', 'Sunny-Garden-42!');
    expect(location.pathname).toBe('/record');
  });

  it('says how long to wait after too many attempts from one place', async () => {
    const call = vi.fn(async (path: string) => {
      if (path === '/activation/settings') return { second_fact: 'postal_code', self_registration: false };
      throw new ApiError(429, 'too_many_attempts', 'too many attempts: please try again in 12 minutes, or call the clinic');
    });
    show(<ActivatePage />, call, vi.fn());
    await settle();
    await act(async () => {
      type('activate-code', 'k7rx-m3qd-wp');
      type('activate-birth-date', '06/09/1984');
      type('activate-second-fact', '97201');
    });
    await submit();
    expect(mount().textContent).toContain('Too many attempts: please try again in 12 minutes, or call the clinic.');
    expect(mount().textContent).not.toContain('Something went wrong');
  });

  it('takes a registration request only when the clinic allows it', async () => {
    const closed = vi.fn(async () => ({ second_fact: 'postal_code', self_registration: false }));
    show(<RequestRegistrationPage />, closed);
    await settle();
    expect(mount().textContent).toContain('does not take portal requests online');

    const call = vi.fn(async (path: string) =>
      path === '/activation/settings' ? { second_fact: 'postal_code', self_registration: true } : { received: true },
    );
    render(null, mount());
    show(<RequestRegistrationPage />, call);
    await settle();
    await act(async () => {
      type('rr-given', 'Lee');
      type('rr-family', 'Park');
      type('rr-birth', '02/03/1990');
      type('rr-sex', 'male');
      type('rr-email', 'lee@example.org');
    });
    await submit();
    expect(call).toHaveBeenLastCalledWith('/registration-requests', {
      method: 'POST',
      body: { legal_name: { given: 'Lee', family: 'Park' }, birth_date: '1990-02-03', sex: 'male', email: 'lee@example.org', phone: null, preferred_language: 'en' },
      auth: false,
    });
    expect(mount().querySelector('h1')?.textContent).toBe('Request sent');
  });
});
