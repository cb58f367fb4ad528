import { describe, expect, it } from 'vitest';
import {
  bookHref,
  canBook,
  chartHref,
  fieldMessage,
  formatBirthDate,
  resultsSummary,
  searchProblem,
  staffPatientsRoute,
  checkinReviewHref,
} from './staffPatients';

describe('searchProblem', () => {
  it('asks for something when empty or too short', () => {
    expect(searchProblem('   ')).toMatch(/family name/);
    expect(searchProblem(' a ')).toBe('Enter at least 2 characters.');
    expect(searchProblem('x'.repeat(81))).toBe('Enter at most 80 characters.');
  });
  it('lets names, ids and real dates through', () => {
    for (const q of ['Morgan', 'morgan, al', 'p-4f1c2a9e', '03/09/1984', '3/9/1984', '1984-03-09', '02/29/2024']) {
      expect(searchProblem(q)).toBeNull();
    }
  });
  it('refuses impossible dates in either format', () => {
    expect(searchProblem('02/30/1990')).toMatch(/not a real date/);
    expect(searchProblem('13/01/1990')).toMatch(/not a real date/);
    expect(searchProblem('1990-02-30')).toMatch(/not a real date/);
    expect(searchProblem('02/29/2023')).toMatch(/not a real date/);
  });
});

describe('fieldMessage', () => {
  it('turns pydantic wording into a sentence', () => {
    expect(fieldMessage('String should have at least 2 characters')).toBe('Enter at least 2 characters.');
    expect(fieldMessage('not a real date')).toBe('Not a real date.');
    expect(fieldMessage(undefined)).toBeNull();
  });
});

describe('formatting', () => {
  it('summarises results', () => {
    expect(resultsSummary(1, 'name', false)).toBe('1 patient found by family name');
    expect(resultsSummary(20, 'birth_date', true)).toBe('20+ patients found by date of birth');
    expect(resultsSummary(0, 'id', false)).toBe('0 patients found by patient ID');
  });
  it('shows birth dates the US way', () => {
    expect(formatBirthDate('1984-03-09')).toBe('03/09/1984');
    expect(formatBirthDate('odd')).toBe('odd');
  });
  it('escapes ids in links', () => {
    expect(chartHref('p/1')).toBe('/staff/patients/p%2F1');
    expect(bookHref('p-1')).toBe('/staff/patients/p-1/book');
  });
});

describe('staffPatientsRoute', () => {
  it('gives every staff role the search and nobody else', () => {
    for (const role of ['clinician', 'front_desk', 'billing', 'admin'] as const) {
      expect(staffPatientsRoute('/staff/patients', role)).toEqual({ page: 'search' });
    }
    expect(staffPatientsRoute('/staff/patients', 'patient')).toBeNull();
    expect(staffPatientsRoute('/staff/patients', undefined)).toBeNull();
  });
  it('leaves the clinician chart to the records area and gives other staff the overview', () => {
    expect(staffPatientsRoute('/staff/patients/p-1', 'clinician')).toBeNull();
    expect(staffPatientsRoute('/staff/patients/p-1', 'front_desk')).toEqual({ page: 'overview', patientId: 'p-1' });
    expect(staffPatientsRoute('/staff/patients/p-1', 'billing')).toEqual({ page: 'overview', patientId: 'p-1' });
  });
  it('opens a visit eCheck-in review for front desk and clinicians only', () => {
    const path = checkinReviewHref('p-1', 'apt 2');
    expect(path).toBe('/staff/patients/p-1/checkins/apt%202');
    for (const role of ['front_desk', 'clinician'] as const) {
      expect(staffPatientsRoute(path, role)).toEqual({ page: 'checkin-review', patientId: 'p-1', appointmentId: 'apt 2' });
    }
    expect(staffPatientsRoute(path, 'billing')).toBeNull();
    expect(staffPatientsRoute(path, 'admin')).toBeNull();
    expect(staffPatientsRoute('/staff/patients/p-1/checkins/%E0', 'front_desk')).toBeNull();
  });
  it('books only for front desk and clinicians', () => {
    expect(canBook('front_desk')).toBe(true);
    expect(canBook('clinician')).toBe(true);
    expect(canBook('billing')).toBe(false);
    expect(staffPatientsRoute('/staff/patients/p-1/book', 'clinician')).toEqual({ page: 'book', patientId: 'p-1' });
    expect(staffPatientsRoute('/staff/patients/p-1/book', 'admin')).toBeNull();
    expect(staffPatientsRoute('/staff/patients/%E0%A4%A/book', 'front_desk')).toBeNull();
  });
});
