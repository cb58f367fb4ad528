// The pure helpers behind the refill pages.

import { describe, expect, it } from 'vitest';
import type { Medication } from '../records/api';
import type { RefillRequest } from './api';
import { pharmacyLine, pharmacyOptions, prescriptionProblems, printHref, refillChoices, refillsRemaining } from './refills';

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

describe('prescriptionProblems', () => {
  const good = { drug: 'Lisinopril 10 mg tablet', dose: '10 mg', quantity: '90', refills: '3', pharmacy: 'ph-1' };
  it('accepts a complete prescription', () => {
    expect(prescriptionProblems(good)).toEqual({});
  });
  it('names each missing or out-of-range field', () => {
    expect(Object.keys(prescriptionProblems({ drug: ' ', dose: '', quantity: '0', refills: '12', pharmacy: '' }))).toEqual([
      'drug',
      'dose',
      'quantity',
      'refills',
      'pharmacy',
    ]);
    expect(prescriptionProblems({ ...good, quantity: '2.5' }).quantity).toBe('Enter a whole number from 1 to 1000.');
    expect(prescriptionProblems({ ...good, refills: '0' })).toEqual({});
  });
});

describe('refillsRemaining', () => {
  const approved = (id: string, refills: number, decided_at: string, medication_id = 'lisinopril'): RefillRequest =>
    ({ id, medication_id, status: 'approved', decided_at, prescription: { refills } }) as unknown as RefillRequest;
  it('finds the newest approval of this medication that included refills', () => {
    const found = refillsRemaining('lisinopril', [
      approved('old', 3, '2026-01-01T00:00:00Z'),
      approved('new', 2, '2026-06-01T00:00:00Z'),
      approved('none', 0, '2026-09-01T00:00:00Z'),
      approved('other', 5, '2026-10-01T00:00:00Z', 'metformin'),
    ]);
    expect(found?.id).toBe('new');
  });
  it('is null without such an approval', () => {
    expect(refillsRemaining('lisinopril', [approved('none', 0, '2026-09-01T00:00:00Z'), refill('lisinopril', 'open')])).toBeNull();
  });
});

describe('pharmacyOptions and printHref', () => {
  const request = { id: 'r 1', patient_id: 'p/1', pharmacy: { id: 'gone', name: 'Old Pharmacy', phone: '+1', address: '1 Main St' } } as unknown as RefillRequest;
  it("keeps the request's own pharmacy even when it was removed since", () => {
    expect(pharmacyOptions(request, [])).toEqual([['gone', 'Old Pharmacy, 1 Main St']]);
  });
  it('escapes ids in the print link', () => {
    expect(printHref(request)).toBe('/staff/refills/p%2F1/r%201/print');
  });
});
