import { render } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it } from 'vitest';
import type { Api, PatientRef } from '../../shared/api/client';
import { AppContext } from '../../shared/context';
import { ActingBanner } from './ActingBanner';
import { offers, offersPath, scopeWords } from './scope';
import { appContext, mountPoint } from '../../shared/test/fakes';

const own: PatientRef = { id: 'p-alex', display_name: 'Alex Morgan', relationship: 'self', areas: null, access: 'act', immunizations_only: false };
const mum: PatientRef = { id: 'p-mum', display_name: 'Maria Morgan', relationship: 'caregiver', areas: ['appointments', 'billing'], access: 'act', immunizations_only: false };
const whole: PatientRef = { ...mum, areas: null, access: 'read' };
// A teenager's parent where the clinic opens only the vaccines of the health record.
const teensParent: PatientRef = {
  id: 'p-quinn',
  display_name: 'Quinn Morgan',
  relationship: 'caregiver',
  areas: ['appointments', 'billing', 'health_record'],
  access: 'act',
  immunizations_only: true,
};

describe('what a scoped grant offers', () => {
  it('offers only the pages of the chosen areas', () => {
    expect(['/', '/record', '/appointments', '/messages', '/billing', '/profile', '/access-log'].filter((h) => offers(mum, h))).toEqual([
      '/',
      '/appointments',
      '/billing',
      '/profile',
    ]);
    expect(['/record', '/access-log'].every((h) => offers(own, h) && offers(whole, h))).toBe(true);
  });

  it('keeps a caregiver out of the address of a page outside the grant', () => {
    const paths = ['/', '/profile', '/appointments/book', '/billing/pay', '/record', '/results/r-1', '/documents', '/messages/t-1', '/refills', '/access-log'];
    expect(paths.filter((p) => offersPath(mum, p))).toEqual(['/', '/profile', '/appointments/book', '/billing/pay']);
    expect(paths.every((p) => offersPath(own, p) && offersPath(whole, p))).toBe(true);
  });

  it('says what the caregiver may use', () => {
    expect(scopeWords(mum)).toBe('Appointments and Billing');
    expect(scopeWords(whole)).toBe('Whole record, view only');
    expect(scopeWords(teensParent)).toBe('Appointments, Billing and Vaccines');
  });

  it("opens a teenager's record page to their parent for the vaccines, and nothing under it", () => {
    const paths = ['/record', '/record/summary', '/results', '/results/r-1', '/documents', '/appointments', '/billing', '/messages'];
    expect(paths.filter((p) => offersPath(teensParent, p))).toEqual(['/record', '/appointments', '/billing']);
  });
});

describe('the acting-for banner', () => {
  const mount = mountPoint();

  const show = (patient: PatientRef) =>
    act(() => {
      const value = appContext({} as Api, null, { patient });
      render(
        <AppContext.Provider value={value}>
          <ActingBanner />
        </AppContext.Provider>,
        mount(),
      );
    });

  it('names the person and the scope in a live region that stays mounted', () => {
    show(own);
    const region = mount().querySelector('[aria-live="polite"]');
    expect(region?.textContent).toBe('');
    show(mum);
    expect(mount().querySelector('[aria-live="polite"]')).toBe(region);
    expect(region?.textContent).toBe('Acting for Maria Morgan · You can use: Appointments and Billing');
  });
});
