// The pure helpers behind the refill pages.

import { describe, expect, it } from 'vitest';
import type { Medication } from '../records/api';
import type { RefillRequest } from './api';
import { pharmacyLine, refillChoices } from './refills';

const med = (id: string, status: 'active' | 'stopped'): Medication =>
  ({ id, kind: 'medication', name: id, status }) as unknown as Medication;
const refill = (medication_id: string, status: RefillRequest['status']): RefillRequest =>
  ({ id: `r-${medication_id}-${status}`, medication_id, status }) as unknown as RefillRequest;

describe('refillChoices', () => {
  it('offers active medications only, and marks those with an open request', () => {
    const choices = refillChoices(
      [med('metformin', 'active'), med('glipizide', 'stopped'), med('lisinopril', 'active')],
      [refill('metformin', 'open'), refill('lisinopril', 'approved')],
    );
    expect(choices.map((c) => [c.medication.id, c.blocked])).toEqual([
      ['metformin', 'a request is already open'],
      ['lisinopril', null],
    ]);
  });
});

describe('pharmacyLine', () => {
  it('writes an address on one line', () => {
    expect(
      pharmacyLine({
        id: 'x',
        name: 'Corner',
        phone: '+12175550170',
        ncpdp_id: null,
        created_at: '2026-11-02T15:00:00Z',
        created_by: 'Alex Morgan',
        address: { line1: '310 Elm Street', line2: null, city: 'Springfield', state: 'IL', postal_code: '62704', country: 'US' },
      }),
    ).toBe('310 Elm Street, Springfield, IL 62704');
  });
});
