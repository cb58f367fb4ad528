import { describe, expect, it } from 'vitest';
import { attentionItems } from './attention';
import type { HomeSummary } from './api';
import { quietHome } from '../../shared/test/fakes';
import type { Appointment } from '../appointments/api';

function visitWithFormsDue(id: string, startsAt: string): Appointment {
  return {
    id,
    patient_id: 'p-1',
    provider: { id: 'dr-rivera', name: 'Dr. Priya Rivera', credentials: 'MD', specialty: 'Family medicine' },
    visit_type: null,
    starts_at: startsAt,
    ends_at: startsAt,
    time_zone: 'America/Chicago',
    modality: 'in_person',
    status: 'booked',
    cancel_deadline: startsAt,
    can_cancel: true,
    can_reschedule: true,
    rescheduled_from: null,
    rescheduled_to: null,
    join: null,
    checkin: { status: 'not_started', opens_at: startsAt, available_now: true },
  };
}

describe('the attention list of a caregiver whose grant covers some areas', () => {
  it('lists what the server sent and says nothing about the areas it left out', () => {
    const summary: HomeSummary = {
      ...quietHome('p-1'),
      new_results: null,
      unread_threads: null,
      balance: { currency: 'USD', balance_cents: 4500, pending_cents: 0, overdue_cents: 0, open_statements: 1 },
    };
    expect(attentionItems(summary).map((i) => i.key)).toEqual(['balance']);
  });

  it('a messages-only grant sees unread messages and no balance', () => {
    const summary: HomeSummary = { ...quietHome('p-1'), new_results: null, unread_threads: 2, balance: null };
    const items = attentionItems(summary);
    expect(items.map((i) => i.key)).toEqual(['messages']);
    expect(items[0]!.title).toBe('2 unread messages');
  });
});

describe('forms due before visits', () => {
  it('tells two visits with the same clinician apart by their day and time, in the clinic time zone', () => {
    const summary: HomeSummary = {
      ...quietHome('p-1'),
      checkin_due: [
        visitWithFormsDue('apt-1', '2026-12-10T15:20:00Z'),
        visitWithFormsDue('apt-2', '2026-12-14T16:00:00Z'),
      ],
    };
    const texts = attentionItems(summary).map((i) => i.text);
    expect(texts).toEqual([
      'eCheck-in for your visit on Thursday, December 10 at 9:20 AM with Dr. Priya Rivera.',
      'eCheck-in for your visit on Monday, December 14 at 10:00 AM with Dr. Priya Rivera.',
    ]);
  });
});
