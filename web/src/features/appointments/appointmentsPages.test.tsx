// The find-a-time flow against a scripted API: complete names on every time,
// a time taken meanwhile (409) explained with refreshed times, and a booking that goes through.

import { i18n } from '@lingui/core';
import { I18nProvider } from '@lingui/react';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Api, ApiError } from '../../shared/api/client';
import type { AppointmentsApi, AppointmentSlot, BookingOptions } from './api';
import { AppContext } from '../../shared/context';
import { BookPage } from './pages/AppointmentsBook';
import { appContext, mountPoint } from '../../shared/test/fakes';

// The page builds its client from the context's api; the tests hand it these calls instead.
const fakeClient = vi.hoisted(() => ({ current: {} as Partial<AppointmentsApi> }));
vi.mock('./api', async (importOriginal) => ({
  ...(await importOriginal<typeof import('./api')>()),
  appointmentsApi: () => fakeClient.current,
}));

const rivera = { id: 'dr-rivera', name: 'Dr. Priya Rivera', credentials: 'MD', specialty: 'Family medicine' };
const options: BookingOptions = {
  language: 'en',
  time_zone: 'America/Chicago',
  clinic_phone: '+15550100100',
  providers: [rivera],
  visit_types: [
    {
      id: 'follow-up',
      name: 'Follow-up visit',
      description: 'A check-in on an ongoing concern.',
      duration_minutes: 20,
      modality: 'in_person',
      booking: 'direct',
      cancel_cutoff_hours: 24,
      can_book_online: true,
      not_bookable_reason: null,
    },
    {
      id: 'minor-procedure',
      name: 'Minor procedure',
      description: '',
      duration_minutes: 40,
      modality: 'in_person',
      booking: 'call',
      cancel_cutoff_hours: 24,
      can_book_online: false,
      not_bookable_reason: 'please call the clinic at (555) 010-0100 to book this visit',
    },
  ],
};

function slot(start: string): AppointmentSlot {
  const end = new Date(Date.parse(start) + 20 * 60_000).toISOString();
  return { id: `dr-rivera.${start}`, provider: rivera, visit_type_id: 'follow-up', starts_at: start, ends_at: end, modality: 'in_person' };
}

const first = slot('2026-12-01T09:20:00-06:00');
const second = slot('2026-12-01T09:40:00-06:00');

const mount = mountPoint();

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-11-29T16:00:00Z'));
});

afterEach(() => {
  vi.useRealTimers();
});

async function settle() {
  for (let i = 0; i < 5; i++) {
    await act(async () => {
      await new Promise((r) => setTimeout(r, 0));
    });
  }
}

function renderBook(client: Partial<AppointmentsApi>) {
  fakeClient.current = client;
  const value = appContext({} as Api, null, { patient: { id: 'p-1', display_name: 'Alex Morgan', relationship: 'self', areas: null, access: 'act', immunizations_only: false } });
  // As in the app (LocaleRoot), the pages render inside the i18n provider.
  render(
    <I18nProvider i18n={i18n}>
      <AppContext.Provider value={value}>
        <BookPage />
      </AppContext.Provider>
    </I18nProvider>,
    mount(),
  );
}

const radios = () => [...mount().querySelectorAll<HTMLInputElement>('input[type=radio][name=book-slot]')];
const button = (text: string) => [...mount().querySelectorAll('button')].find((b) => b.textContent?.trim().startsWith(text));

describe('find a time', () => {
  it('names every time in full, explains a taken time, refreshes, then books', async () => {
    let taken = false;
    const searchSlots = vi.fn(async () => ({
      time_zone: 'America/Chicago',
      visit_type_id: 'follow-up',
      items: taken ? [second] : [first, second],
      next_cursor: null,
    }));
    const bookAppointment = vi.fn(async (_pid: string, slotId: string) => {
      if (slotId === first.id) {
        taken = true;
        throw new ApiError(409, 'conflict', 'this time has just been taken; please choose another');
      }
      return {
        id: 'apt-1',
        patient_id: 'p-1',
        provider: rivera,
        visit_type: options.visit_types[0] ?? null,
        starts_at: second.starts_at,
        ends_at: second.ends_at,
        time_zone: 'America/Chicago',
        modality: 'in_person' as const,
        status: 'booked' as const,
        cancel_deadline: '2026-11-30T09:40:00-06:00',
        can_cancel: true,
        can_reschedule: true,
        rescheduled_from: null,
        rescheduled_to: null,
        join: null,
        checkin: { status: 'not_started' as const, opens_at: '2026-11-24T09:40:00-06:00', available_now: true },
      };
    });
    renderBook({ bookingOptions: async () => options, searchSlots, bookAppointment });
    await settle();

    // Call-only visits are not choices; they say to call
    expect(mount().querySelector('#book-visit-minor-procedure')).toBeNull();
    expect(mount().textContent).toContain('Please call the clinic at (555) 010-0100 to book this visit.');
    expect(mount().querySelector('.appt-not-online [lang]')?.getAttribute('lang')).toBe('en'); // worded in the language on screen
    expect(mount().querySelector('a[href="tel:+15550100100"]')).not.toBeNull();

    await act(async () => {
      mount().querySelector<HTMLInputElement>('#book-visit-follow-up')?.click();
    });
    await settle();
    const date = mount().querySelector<HTMLInputElement>('#book-date');
    expect(date?.type).toBe('date');
    expect(date?.min).toBe('2026-11-29');
    expect(searchSlots).toHaveBeenCalledWith('p-1', { visit_type: 'follow-up', provider: null, date: '2026-11-29', days: 7 }, expect.anything());
    expect(radios().map((r) => r.getAttribute('aria-label')?.replace(/\u202f/g, ' '))).toEqual([
      'Tuesday, December 1, 9:20 AM with Dr. Priya Rivera',
      'Tuesday, December 1, 9:40 AM with Dr. Priya Rivera',
    ]);

    // Someone else takes 9:20 between choosing and confirming
    await act(async () => {
      radios()[0]?.click();
    });
    await act(async () => {
      button('Continue')?.click();
    });
    expect(mount().querySelector('#book-confirm-title')).not.toBeNull();
    await act(async () => {
      button('Book appointment')?.click();
    });
    await settle();
    const alert = mount().querySelector('#book-conflict [role=alert]');
    expect(alert?.textContent).toContain('That time is no longer available');
    expect(alert?.textContent).toContain('was just taken by someone else');
    expect(searchSlots).toHaveBeenCalledTimes(2);
    expect(radios()).toHaveLength(1);
    expect(radios().some((r) => r.checked)).toBe(false);

    // Choosing the other time books it
    await act(async () => {
      radios()[0]?.click();
    });
    await act(async () => {
      button('Continue')?.click();
    });
    await act(async () => {
      button('Book appointment')?.click();
    });
    await settle();
    expect(bookAppointment).toHaveBeenLastCalledWith('p-1', second.id);
    expect(mount().querySelector('#book-done-title')?.textContent).toBe("You're booked");
    expect(mount().textContent).toContain('Start eCheck-in now');
  });

  it('marks the language of visit text the server sent in another language than the screen', async () => {
    const spanish: BookingOptions = {
      ...options,
      language: 'es',
      visit_types: options.visit_types.map((v) =>
        v.id === 'minor-procedure' ? { ...v, name: 'Procedimiento menor', not_bookable_reason: 'llame a la clínica para hacer esta cita' } : v,
      ),
    };
    renderBook({ bookingOptions: async () => spanish, searchSlots: async () => ({ time_zone: 'America/Chicago', visit_type_id: 'follow-up', items: [], next_cursor: null }) });
    await settle();

    const marked = [...mount().querySelectorAll('.appt-not-online [lang="es"]')].map((e) => e.textContent);
    expect(marked).toEqual(['Procedimiento menor', 'Llame a la clínica para hacer esta cita.']);
  });

  it('says what is missing when continuing without a time', async () => {
    renderBook({
      bookingOptions: async () => options,
      searchSlots: async () => ({ time_zone: 'America/Chicago', visit_type_id: 'follow-up', items: [first], next_cursor: null }),
    });
    await settle();
    await act(async () => {
      mount().querySelector<HTMLInputElement>('#book-visit-follow-up')?.click();
    });
    await settle();
    await act(async () => {
      button('Continue')?.click();
    });
    expect(mount().querySelector('#book-times-error')?.textContent).toBe('Choose a time to continue.');
    expect(mount().querySelector('#book-times')?.getAttribute('aria-describedby')).toBe('book-times-error');
  });

  it('reads in Spanish: headings, times named in Spanish, counts and the booked confirmation', async () => {
    await act(async () => {
      i18n.activate('es');
    });
    renderBook({
      bookingOptions: async () => options,
      searchSlots: async () => ({ time_zone: 'America/Chicago', visit_type_id: 'follow-up', items: [first, second], next_cursor: null }),
      bookAppointment: async () => ({
        id: 'apt-2',
        patient_id: 'p-1',
        provider: rivera,
        visit_type: options.visit_types[0] ?? null,
        starts_at: first.starts_at,
        ends_at: first.ends_at,
        time_zone: 'America/Chicago',
        modality: 'in_person' as const,
        status: 'booked' as const,
        cancel_deadline: '2026-11-30T09:20:00-06:00',
        can_cancel: true,
        can_reschedule: true,
        rescheduled_from: null,
        rescheduled_to: null,
        join: null,
        checkin: null,
      }),
    });
    await settle();
    expect(mount().querySelector('h1')?.textContent).toBe('Reservar una cita');
    expect(mount().textContent).toContain('¿Qué tipo de visita?');
    expect(mount().textContent).toContain('20 minutos · En persona');
    await act(async () => {
      mount().querySelector<HTMLInputElement>('#book-visit-follow-up')?.click();
    });
    await settle();
    expect(mount().textContent).toContain('Horarios disponibles');
    expect(mount().querySelector('.appt-day-count')?.textContent).toContain('2 horarios');
    // The whole name of a time is Spanish: weekday, month and "con", never an English word.
    expect(radios()[0]?.getAttribute('aria-label')?.replace(/\u202f|\u00a0/g, ' ')).toBe('martes, 1 de diciembre, 9:20 a.m. con Dr. Priya Rivera');
    await act(async () => {
      radios()[0]?.click();
    });
    await act(async () => {
      button('Continuar')?.click();
    });
    expect(mount().querySelector('#book-confirm-title')?.textContent).toBe('Revise y confirme');
    expect(mount().textContent).toContain('Puede cancelar o cambiar en línea hasta 1 día antes de la visita.');
    await act(async () => {
      button('Reservar la cita')?.click();
    });
    await settle();
    expect(mount().querySelector('#book-done-title')?.textContent).toBe('Su cita está reservada');
    expect(mount().textContent).not.toMatch(/\b(with|Tuesday|December|minutes|Choose)\b/);
  });
});
