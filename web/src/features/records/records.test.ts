// The health-record helpers.

import { describe, expect, it, vi } from 'vitest';
import { i18n } from '@lingui/core';
import type { HealthSummary, TrendPoint } from './api';
import { withConfidential } from './pages/RecordsChart';
import { uploadDocument } from './upload';
import {
  checkUpload,
  exportFilename,
  FLAG_LABELS,
  flagTone,
  formatBytes,
  formatValue,
  isOutOfRange,
  rangeText,
  trendExtent,
  trendSummary,
  untilText,
} from './records';
import { endOfLocalDay, humanField, localDateInput, parseNumber, releaseStateText } from './recordsStaff';

const point = (collected_at: string, value: number, flag: TrendPoint['flag'], ref_high: number | null = 5.6): TrendPoint => ({
  result_id: `r-${collected_at}`,
  collected_at,
  value,
  unit: '%',
  ref_low: null,
  ref_high,
  flag,
});

describe('flags', () => {
  it('has a word for every flag and never relies on colour alone', () => {
    expect(FLAG_LABELS.high).toBe('High');
    expect(FLAG_LABELS.critical_low).toBe('Critical low');
    expect(flagTone('critical_high')).toBe('critical');
    expect(flagTone('low')).toBe('out');
    expect(flagTone('normal')).toBe('normal');
    expect(flagTone(null)).toBe('none');
    expect(isOutOfRange('abnormal')).toBe(true);
    expect(isOutOfRange('normal')).toBe(false);
    expect(isOutOfRange(null)).toBe(false);
  });
});

describe('values and ranges', () => {
  it('formats numbers without float noise and keeps text values', () => {
    expect(formatValue(121, null, 'mg/dL')).toBe('121 mg/dL');
    expect(formatValue(1.04, null, null)).toBe('1.04');
    expect(formatValue(null, 'Negative for intraepithelial lesion', null)).toBe('Negative for intraepithelial lesion');
  });

  it('says a range in words whichever ends are known', () => {
    const base = { ref_text: null, unit: 'mg/dL' };
    expect(rangeText({ ...base, ref_low: 70, ref_high: 99 })).toBe('70 to 99 mg/dL');
    expect(rangeText({ ...base, ref_low: null, ref_high: 199 })).toBe('199 mg/dL or lower');
    expect(rangeText({ ...base, ref_low: 40, ref_high: null })).toBe('40 mg/dL or higher');
    expect(rangeText({ ...base, ref_low: null, ref_high: null })).toBeNull();
    expect(rangeText({ ...base, ref_low: 1, ref_high: 2, ref_text: 'Negative' })).toBe('Negative');
  });
});

describe('trend summary', () => {
  it('describes count, period, latest, direction, extremes and how many were out of range', () => {
    const text = trendSummary('Hemoglobin A1c', '%', [
      point('2024-11-29T08:15:00Z', 8.4, 'high'),
      point('2025-05-28T08:15:00Z', 7.1, 'high'),
      point('2026-11-08T08:15:00Z', 5.4, 'normal'),
    ]);
    expect(text).toContain('Hemoglobin A1c: 3 results from');
    expect(text).toContain('Latest 5.4 % (normal), down from 8.4 % at the first.');
    expect(text).toContain('Highest 8.4 %');
    expect(text).toContain('lowest 5.4 %');
    expect(text).toContain('Normal range: 5.6 % or lower.');
    expect(text).toContain('2 of 3 were outside the normal range.');
  });

  it('handles one result and none', () => {
    expect(trendSummary('TSH', 'm[IU]/L', [])).toBe('There are no results for TSH to show yet.');
    expect(trendSummary('TSH', null, [point('2026-01-02T10:00:00Z', 2.1, 'normal', 4.5)])).toMatch(/^TSH: one result, 2\.1 \(normal\) on /);
  });

  it('says "about the same" for small changes and all-normal runs', () => {
    const text = trendSummary('Potassium', 'mmol/L', [point('2025-01-01T00:00:00Z', 4.3, 'normal'), point('2026-01-01T00:00:00Z', 4.35, 'normal')]);
    expect(text).toContain('about the same as the first');
    expect(text).toContain('All were within the normal range.');
  });

  it('fits values and the range band in the y extent', () => {
    const [lo, hi] = trendExtent([point('2025-01-01T00:00:00Z', 8.4, 'high'), point('2026-01-01T00:00:00Z', 6.0, 'high', 5.6)]);
    expect(lo).toBeLessThan(5.6);
    expect(hi).toBeGreaterThan(8.4);
    const [a, b] = trendExtent([point('2025-01-01T00:00:00Z', 5, 'normal', null)]);
    expect(a).toBeLessThan(5);
    expect(b).toBeGreaterThan(5);
  });
});

describe('uploads', () => {
  it('accepts PDF, JPEG and PNG up to 10 MB, by type or by extension', () => {
    expect(checkUpload({ name: 'card.jpg', size: 2000, type: 'image/jpeg' })).toEqual({ ok: true, contentType: 'image/jpeg' });
    expect(checkUpload({ name: 'scan.PDF', size: 2000, type: '' })).toEqual({ ok: true, contentType: 'application/pdf' });
    expect(checkUpload({ name: 'x.png', size: 10 * 1024 * 1024, type: 'image/png' }).ok).toBe(true);
  });

  it('explains wrong types, empty files and files that are too big', () => {
    const wrong = checkUpload({ name: 'notes.docx', size: 100, type: 'application/vnd.openxmlformats' });
    expect(wrong).toEqual({ ok: false, message: expect.stringContaining('only PDF, JPEG and PNG files are accepted') });
    expect(checkUpload({ name: 'a.pdf', size: 0, type: 'application/pdf' })).toEqual({ ok: false, message: expect.stringContaining('is empty') });
    const big = checkUpload({ name: 'big.pdf', size: 12 * 1024 * 1024, type: 'application/pdf' });
    expect(big).toEqual({ ok: false, message: expect.stringContaining('is 12 MB; files can be at most 10 MB') });
  });

  it('formats sizes', () => {
    expect(formatBytes(193)).toBe('193 bytes');
    expect(formatBytes(2048)).toBe('2 KB');
    expect(formatBytes(1.5 * 1024 * 1024)).toBe('1.5 MB');
  });

  it('posts the ticket fields then the file to storage, then finalizes', async () => {
    const calls: string[] = [];
    const api = {
      startUpload: vi.fn(async () => {
        calls.push('start');
        return {
          document: { id: 'doc-1' },
          upload: { url: 'https://storage.example/bucket', fields: { key: 'k', policy: 'p' }, expires_in: 300, max_bytes: 10 },
        };
      }),
      finalizeUpload: vi.fn(async () => {
        calls.push('finalize');
        return { id: 'doc-1', filename: 'card.png' };
      }),
    };
    const fetchMock = vi.fn(async (_url: string, init: RequestInit) => {
      calls.push('post');
      const form = init.body as FormData;
      expect([...form.keys()]).toEqual(['key', 'policy', 'file']);
      expect(init.credentials).toBe('omit');
      return new Response(null, { status: 204 });
    });
    vi.stubGlobal('fetch', fetchMock);
    const file = new File([new Uint8Array([137, 80, 78, 71])], 'card.png', { type: 'image/png' });
    const doc = await uploadDocument(api as never, 'p-1', file, 'insurance_card_front', 'image/png');
    expect(doc.id).toBe('doc-1');
    expect(calls).toEqual(['start', 'post', 'finalize']);
    expect(api.startUpload).toHaveBeenCalledWith('p-1', { filename: 'card.png', content_type: 'image/png', size: 4, category: 'insurance_card_front' });
    expect(fetchMock.mock.calls[0]![0]).toBe('https://storage.example/bucket');
    vi.unstubAllGlobals();
  });

  it('does not finalize when storage refuses the file', async () => {
    const api = {
      startUpload: vi.fn(async () => ({ document: { id: 'd' }, upload: { url: 'u', fields: {}, expires_in: 1, max_bytes: 1 } })),
      finalizeUpload: vi.fn(),
    };
    vi.stubGlobal('fetch', vi.fn(async () => new Response('<Error/>', { status: 400 })));
    await expect(uploadDocument(api as never, 'p', new File(['x'], 'a.pdf'), 'form', 'application/pdf')).rejects.toMatchObject({
      code: 'upload_failed',
    });
    expect(api.finalizeUpload).not.toHaveBeenCalled();
    vi.unstubAllGlobals();
  });
});

describe('export file name and small words', () => {
  it('names the export after the bundle date', () => {
    expect(exportFilename('2026-11-29T10:39:29Z')).toBe('health-record-2026-11-29.json');
    expect(exportFilename(undefined, new Date('2026-01-02T03:00:00Z'))).toBe('health-record-2026-01-02.json');
  });

  it('says how long until a release', () => {
    const now = new Date('2026-11-29T10:00:00Z');
    expect(untilText('2026-11-29T09:00:00Z', now)).toBe('today');
    expect(untilText('2026-11-30T09:00:00Z', now)).toBe('within a day');
    expect(untilText('2026-12-03T09:00:00Z', now)).toBe('within 4 days');
  });
});

describe('clinician helpers', () => {
  it('parses typed numbers, with a decimal comma too', () => {
    expect(parseNumber(' 120 ')).toBe(120);
    expect(parseNumber('1,04')).toBe(1.04);
    expect(parseNumber('-3.5')).toBe(-3.5);
    expect(parseNumber('Negative')).toBeNull();
    expect(parseNumber('')).toBeNull();
  });

  it('names API field paths in words', () => {
    expect(humanField('components.0.value')).toBe('value 1 value:');
    expect(humanField('hold.until')).toBe('hold until:');
    expect(humanField('collected_at')).toBe('collected at:');
  });

  it('builds date inputs in local time and the end of that day', () => {
    const now = new Date(2026, 10, 29, 23, 30);
    expect(localDateInput(0, now)).toBe('2026-11-29');
    expect(localDateInput(3, now)).toBe('2026-12-02');
    const end = new Date(endOfLocalDay('2026-12-02'));
    expect([end.getFullYear(), end.getMonth(), end.getDate(), end.getHours(), end.getMinutes()]).toEqual([2026, 11, 2, 23, 59]);
  });

  it('describes the release state', () => {
    expect(releaseStateText({ state: 'released', visible_from: '' })).toBe('The patient can see it.');
    expect(releaseStateText({ state: 'held', visible_from: '2026-12-03T17:15:00Z' })).toMatch(/^Released automatically on .* unless you release it sooner\.$/);
    expect(releaseStateText({ state: 'awaiting_review', visible_from: '2026-12-05T14:15:00Z' })).toMatch(/^Released when a clinician releases it/);
    i18n.activate('es');
    expect(releaseStateText({ state: 'held', visible_from: '2026-12-03T17:15:00Z' })).toMatch(/^Se publica de forma automática el .*, a menos que usted lo publique antes\.$/);
    expect(releaseStateText({ state: 'awaiting_review', visible_from: '' })).toBe('Se publica cuando un clínico lo publique, o de forma automática más tarde.');
  });

  it('marks one chart entry confidential and leaves every other entry as it was', () => {
    const entry = (id: string) => ({ id, confidential: false });
    const summary = { problems: [entry('x-1'), entry('x-2')], medications: [entry('x-1')], allergies: [], immunizations: [] } as unknown as HealthSummary;
    const next = withConfidential(summary, 'problems', 'x-1', true);
    expect(next.problems.map((p) => p.confidential)).toEqual([true, false]);
    expect(next.medications[0]?.confidential).toBe(false); // the same id in another list is another entry
    expect(summary.problems[0]?.confidential).toBe(false); // a new summary; the one on screen is not changed in place
    expect(withConfidential(next, 'problems', 'x-1', false).problems[0]?.confidential).toBe(false);
  });
});

describe('results paging', () => {
  it('tops up a page the API returned short because unreleased results were hidden', async () => {
    const { fetchResultsPage } = await import('./pages/RecordsResults');
    const item = (id: string) => ({ id }) as never;
    const calls: [string | null, number][] = [];
    const pages: Record<string, { items: never[]; next_cursor: string | null }> = {
      start: { items: Array.from({ length: 9 }, (_, i) => item(`a${i}`)), next_cursor: 'c1' },
      c1: { items: [], next_cursor: 'c2' },
      c2: { items: [item('b0'), item('b1')], next_cursor: 'c3' },
    };
    const api = {
      results: async (_pid: string, cursor: string | null, _signal: unknown, limit: number) => {
        calls.push([cursor, limit]);
        return pages[cursor ?? 'start']!;
      },
    };
    const page = await fetchResultsPage(api as never, 'p', null);
    expect(calls).toEqual([
      [null, 10],
      ['c1', 1],
      ['c2', 1],
    ]);
    expect(page.items.map((i: { id: string }) => i.id)).toEqual([...Array.from({ length: 9 }, (_, i) => `a${i}`), 'b0', 'b1']);
    expect(page.next_cursor).toBe('c3');
  });
});

describe('record dates follow the chosen language', () => {
  it('dates a one-result trend in Spanish when Spanish is chosen, whatever the browser says', async () => {
    const { i18n } = await import('@lingui/core');
    i18n.activate('es');
    expect(trendSummary('TSH', null, [point('2026-03-09T12:00:00Z', 2.1, 'normal', 4.5)])).toContain('9 mar 2026');
    i18n.activate('en');
    expect(trendSummary('TSH', null, [point('2026-03-09T12:00:00Z', 2.1, 'normal', 4.5)])).toContain('Mar 9, 2026');
  });
});

describe('trend words in Spanish', () => {
  it('says the whole trend and the range in Spanish, with no English words', async () => {
    const { i18n } = await import('@lingui/core');
    const { messages } = await import('../../locales/es/messages.po');
    i18n.load('es', messages);
    i18n.activate('es');
    try {
      const text = trendSummary('Hemoglobina A1c', '%', [
        point('2024-11-29T08:15:00Z', 8.4, 'high'),
        point('2026-11-08T08:15:00Z', 5.4, 'normal'),
      ]);
      expect(text).toContain('Hemoglobina A1c: 2 resultados del');
      expect(text).toContain('más bajo que el primero (8.4 %)');
      expect(text).toContain('Rango normal: 5.6 % o menos.');
      expect(text).toContain('1 de 2 estaba fuera del rango normal.');
      expect(text).not.toMatch(/\b(results|from|Latest|Highest|lowest|were|outside|or lower)\b/);
      expect(rangeText({ ref_low: 70, ref_high: 99, ref_text: null, unit: 'mg/dL' })).toBe('70 a 99 mg/dL');
    } finally {
      i18n.activate('en');
    }
  });
});
