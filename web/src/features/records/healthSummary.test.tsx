// The printable health summary: every section, every entry, flags in words, in English and in Spanish.

import { render } from 'preact';
import { afterEach, describe, expect, it } from 'vitest';
import { activateLocale } from '../../shared/i18n';
import { flagWords, type PrintableHealthSummary, rangeText } from './healthSummary';
import { HealthSummarySheet } from './pages/RecordsHealthSummary';
import { mountPoint } from '../../shared/test/fakes';

const stored = { patient_id: 'p-1', version: 1, created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z', updated_by: 'Dr. Rivera', source: null, code: null, confidential: false };

const data: PrintableHealthSummary = {
  clinic_name: 'Lakeside Family Clinic',
  clinic_phone: '(555) 010-0100',
  generated_at: '2026-12-01T15:00:00Z',
  patient_name: 'María García',
  birth_date: '1980-04-12',
  problems: [
    { ...stored, kind: 'problem', id: 'pr-1', name: 'Hypertension', status: 'active', onset_date: '2020-03-01', note: null },
    { ...stored, kind: 'problem', id: 'pr-2', name: 'Sprained ankle', status: 'resolved', onset_date: null, note: 'Healed' },
  ],
  medications: [
    { ...stored, kind: 'medication', id: 'm-1', name: 'Lisinopril 10 mg tablet', dose: '10 mg', instructions: 'Once a day', prescriber: 'Dr. Rivera', start_date: '2020-03-01', end_date: null, status: 'active' },
    { ...stored, kind: 'medication', id: 'm-2', name: 'Ibuprofen 200 mg', dose: '200 mg', instructions: 'As needed', prescriber: 'Dr. Rivera', start_date: '2021-01-01', end_date: '2021-02-01', status: 'stopped' },
  ],
  allergies: [{ ...stored, kind: 'allergy', id: 'a-1', substance: 'Penicillin', reaction: 'Hives', severity: 'moderate', status: 'active', noted_date: null }],
  immunizations: [{ ...stored, kind: 'immunization', id: 'i-1', vaccine: 'Influenza, seasonal', date: '2026-10-01', dose_number: null }],
  results: [
    {
      id: 'r-1',
      name: 'Basic metabolic panel',
      category_label: 'Lab',
      collected_at: '2026-11-20T14:00:00Z',
      status: 'final',
      comment: 'Slightly high sugar; we will recheck.',
      components: [
        { code: '2345-7', name: 'Glucose', value: 131, value_text: null, unit: 'mg/dL', ref_low: 70, ref_high: 99, ref_text: null, flag: 'high', flag_text: 'Above the normal range' },
        { code: '2951-2', name: 'Sodium', value: 140, value_text: null, unit: 'mmol/L', ref_low: 135, ref_high: 145, ref_text: null, flag: 'normal', flag_text: 'Within the normal range' },
      ],
    },
  ],
  results_total: 3,
  visits: [
    {
      ...stored,
      kind: 'visit',
      id: 'v-1',
      start: '2026-11-20T14:00:00Z',
      visit_type: 'office',
      reason: 'Blood pressure check',
      provider: 'Dr. Priya Rivera',
      location: null,
      diagnoses: [{ name: 'Hypertension', code: null }],
      instructions: '',
      follow_up: 'In 3 months',
    },
  ],
  visits_total: 1,
  upcoming: [
    { id: 'apt-1', starts_at: '2027-01-05T15:00:00Z', time_zone: 'America/Chicago', provider: 'Dr. Priya Rivera, MD', visit_type: 'Follow-up visit', modality: 'video' },
  ],
};

const mount = mountPoint();

afterEach(async () => {
  await activateLocale('en');
});

const headings = (level: string) => [...mount().querySelectorAll(level)].map((h) => h.textContent?.trim());

describe('the printable health summary', () => {
  it('shows the patient, the clinic and every section and entry, in English', async () => {
    await activateLocale('en');
    render(<HealthSummarySheet data={data} />, mount());
    const text = mount().textContent ?? '';
    expect(text).toContain('Lakeside Family Clinic');
    expect(text).toContain('Health summary for María García');
    expect(text).toContain('Date of birth');
    expect(headings('h2')).toEqual(['Allergies', 'Health problems', 'Medicines', 'Vaccines', 'Recent test results', 'Visits']);
    expect(headings('h3')).toEqual(['Basic metabolic panel', 'Upcoming visits', 'Recent visits']);
    // Nothing left out: every entry the API sent is a row headed by its name.
    const rowHeads = [...mount().querySelectorAll('tbody th[scope="row"]')].map((th) => th.textContent);
    for (const name of ['Penicillin', 'Hypertension', 'Sprained ankle', 'Lisinopril 10 mg tablet', 'Ibuprofen 200 mg', 'Influenza, seasonal', 'Glucose', 'Sodium']) {
      expect(rowHeads).toContain(name);
    }
    expect(mount().querySelectorAll('tbody tr')).toHaveLength(2 + 2 + 1 + 1 + 2 + 1 + 1);
    // The flag in words beside the range; a normal value says so.
    const glucose = [...mount().querySelectorAll('tbody tr')].find((tr) => tr.querySelector('th')?.textContent === 'Glucose')!;
    expect(glucose.textContent).toContain('131 mg/dL');
    expect(glucose.textContent).toContain('70–99 mg/dL');
    expect(glucose.querySelector('strong')?.textContent).toBe('High: above the normal range');
    expect(text).toContain('Normal');
    expect(text).toContain('The 1 newest of 3 results');
    expect(text).toContain('Slightly high sugar; we will recheck.');
    // Real tables: a caption and column headers on each.
    for (const table of mount().querySelectorAll('table')) {
      expect(table.querySelector('caption')?.textContent).toBeTruthy();
      expect(table.querySelectorAll('thead th[scope="col"]').length).toBeGreaterThan(1);
    }
  });

  it('says it all in Spanish for a Spanish reader', async () => {
    await activateLocale('es');
    render(<HealthSummarySheet data={data} />, mount());
    const text = mount().textContent ?? '';
    expect(headings('h2')).toEqual(['Alergias', 'Problemas de salud', 'Medicinas', 'Vacunas', 'Resultados de pruebas recientes', 'Citas']);
    expect(text).toContain('Resumen de salud de María García');
    expect(text).toContain('Fecha de nacimiento');
    expect(text).toContain(flagWords('high'));
    expect(flagWords('high')).toBe('Alto: arriba del rango normal');
    expect(text).toContain('Activo');
    expect(text).toContain('Suspendido');
    expect(text).toContain('Visita por video');
  });

  it('leaves out upcoming visits when the caregiver grant does not cover appointments', async () => {
    render(<HealthSummarySheet data={{ ...data, upcoming: null }} />, mount());
    expect(headings('h3')).toEqual(['Basic metabolic panel', 'Recent visits']);
    expect(mount().textContent).not.toContain('Follow-up visit');
  });

  it('writes ranges with one bound or only words', () => {
    const base = data.results[0]!.components[0]!;
    expect(rangeText({ ...base, ref_low: null, ref_high: 200 })).toBe('200 mg/dL or less');
    expect(rangeText({ ...base, ref_low: 40, ref_high: null })).toBe('40 mg/dL or more');
    expect(rangeText({ ...base, ref_low: null, ref_high: null, ref_text: 'Negative' })).toBe('Negative');
  });
});
