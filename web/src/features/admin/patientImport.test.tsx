// Importing patients from the admin page: the file cut into chunks that keep its line numbers, and the page
// against a scripted API (check, report, import with a progress bar, invitations).

import { I18nProvider } from '@lingui/react';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { type Api, ApiError, type Me } from '../../shared/api/client';
import { AppContext } from '../../shared/context';
import { i18n } from '../../shared/i18n';
import { AdminPage } from './pages/AdminPages';
import { adminRoute } from './adminRoute';
import { csvChunks, csvRecords, fhirChunks, FileProblem } from './patientImport';
import type { PatientImportOut } from './api';
import { appContext, mountPoint } from '../../shared/test/fakes';

const HEADER = 'mrn,given_name,family_name,birth_date,sex';

describe('cutting a file into chunks', () => {
  it('finds where each CSV row starts, quoted line breaks and blank lines included', () => {
    const text = `${HEADER}\r\nA1,Ann,Lee,1980-01-01,f\r\n\r\nA2,"Bo\nB",Ray,1970-02-02,m\nA3,Cy,Sun,1960-03-03,f`;
    expect(csvRecords(text).records.map((r) => r.line)).toEqual([2, 4, 6]);
  });

  it('sends the header with every chunk and keeps the file numbering of the rows', () => {
    const rows = Array.from({ length: 5 }, (_, i) => `A${i},G${i},F${i},1980-01-01,f`);
    const text = [HEADER, rows[0], '', rows[1], `A9,"two\nlines",X,1980-01-01,f`, ...rows.slice(2)].join('\n');
    const chunks = csvChunks(text, 2);
    expect(chunks.map((c) => [c.firstRow, c.rows])).toEqual([[2, 2], [5, 2], [8, 2]]);
    // The blank line stays inside the first chunk, so the server numbers its second row line 4.
    expect(chunks[0]!.content).toBe(`${HEADER}\n${rows[0]}\n\n${rows[1]}\n`);
    expect(chunks[1]!.content).toBe(`${HEADER}\nA9,"two\nlines",X,1980-01-01,f\n${rows[2]}\n`);
  });

  it('keeps a chunk under the size limit', () => {
    const rows = Array.from({ length: 10 }, (_, i) => `A${i},${'x'.repeat(50)},F,1980-01-01,f`);
    const chunks = csvChunks([HEADER, ...rows].join('\n'), 200, 200);
    expect(chunks.every((c) => c.content.length <= 200 + HEADER.length + 80)).toBe(true);
    expect(chunks.reduce((n, c) => n + c.rows, 0)).toBe(10);
  });

  it('cuts a FHIR Bundle into Bundles numbered by entry, and refuses what is no Bundle', () => {
    const entries = Array.from({ length: 5 }, (_, i) => ({ resource: { resourceType: 'Patient', id: `p${i}` } }));
    const chunks = fhirChunks(JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry: entries }), 2);
    expect(chunks.map((c) => [c.firstRow, c.rows])).toEqual([[1, 2], [3, 2], [5, 1]]);
    expect(JSON.parse(chunks[1]!.content)).toEqual({ resourceType: 'Bundle', type: 'collection', entry: entries.slice(2, 4) });
    expect(() => fhirChunks('{"resourceType": "Patient"}')).toThrow(FileProblem);
    expect(() => fhirChunks('not json')).toThrow(FileProblem);
  });

  it('has an address', () => {
    expect(adminRoute('/admin/import')).toEqual({ page: 'import' });
  });
});

describe('the import page', () => {
  const mount = mountPoint();

  const me = { user: { sub: 'sub-admin', username: 'admin', display_name: 'Taylor Brooks', role: 'admin' }, patients: [] } as unknown as Me;

  async function settle() {
    for (let i = 0; i < 8; i++) {
      await act(async () => {
        await new Promise((r) => setTimeout(r, 0));
      });
    }
  }

  function show(call: ReturnType<typeof vi.fn>) {
    const value = appContext({ request: call } as unknown as Api, me);
    render(
      <I18nProvider i18n={i18n}>
        <AppContext.Provider value={value}>
          <AdminPage route={{ page: 'import' }} />
        </AppContext.Provider>
      </I18nProvider>,
      mount(),
    );
  }

  const button = (text: string) => [...mount().querySelectorAll('button')].find((b) => b.textContent?.trim().startsWith(text));

  function report(dryRun: boolean, firstRow: number, rows: number): PatientImportOut {
    const bad = firstRow === 2 ? [{ row: 3, reason: 'birth date 1890-13-01 is not a date (YYYY-MM-DD)' }] : [];
    const good = Array.from({ length: rows - bad.length }, (_, i) => firstRow + (firstRow === 2 && i > 0 ? i + 1 : i));
    return {
      dry_run: dryRun,
      numbered_by: 'line',
      read: rows,
      accepted: good.length,
      new: good.length,
      new_with_email: 1,
      created: dryRun ? [] : good.map((row, i) => ({ row, patient_id: `p-${row}`, has_email: i === 0 })),
      already_registered: [],
      rejected: bad,
    };
  }

  it('checks the file in chunks with a progress bar, reports the bad lines, then imports and invites', async () => {
    const rows = Array.from({ length: 250 }, (_, i) => `A${i},G${i},F${i},${i === 1 ? '1890-13-01' : '1980-01-01'},f`);
    const file = new File([[HEADER, ...rows].join('\n')], 'patients.csv', { type: 'text/csv' });
    let release: () => void = () => undefined;
    const call = vi.fn(async (path: string, options: { method?: string; body?: { first_row?: number; dry_run?: boolean; content?: string; patient_ids?: string[] } }) => {
      const body = options.body!;
      if (path === '/admin/patient-import') {
        const count = body.content!.trim().split('\n').length - 1;
        if (body.first_row === 202 && body.dry_run) await new Promise<void>((r) => (release = r));
        return report(Boolean(body.dry_run), body.first_row!, count);
      }
      if (path === '/admin/patient-import/invitations') {
        return { sent: body.patient_ids, not_sent: [], remaining: [], quota_left: 190, max_per_second: 1 };
      }
      throw new Error(`unexpected ${path}`);
    });
    show(call);
    const input = mount().querySelector<HTMLInputElement>('#import-file')!;
    Object.defineProperty(input, 'files', { value: [file] });
    await act(async () => {
      input.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await settle();
    expect(mount().textContent).toContain('patients.csv: CSV, 250 rows');

    await act(async () => button('Check the file')?.click());
    await settle();
    const progress = mount().querySelector<HTMLProgressElement>('progress#import-progress')!;
    expect([progress.value, progress.max]).toEqual([200, 250]); // the first chunk answered, the second waits
    expect(mount().querySelector('label[for=import-progress]')?.textContent).toBe('Checking the file');
    expect(call).toHaveBeenCalledWith('/admin/patient-import', expect.objectContaining({ body: expect.objectContaining({ first_row: 2, dry_run: true, format: 'csv' }) }));

    await act(async () => release());
    await settle();
    expect(mount().querySelector('progress')).toBeNull();
    expect(mount().querySelector('.import-rejected tbody')?.textContent).toBe('3birth date 1890-13-01 is not a date (YYYY-MM-DD)');
    expect(mount().querySelector('.import-counts')?.textContent).toContain('New (to be created)249');

    await act(async () => mount().querySelector<HTMLInputElement>('#import-invite')!.click());
    await act(async () => button('Import 249 patients')?.click());
    await settle();
    expect(call).toHaveBeenCalledWith('/admin/patient-import', expect.objectContaining({ body: expect.objectContaining({ first_row: 202, dry_run: false }) }));
    expect(mount().textContent).toContain('249 patients imported');
    expect(call).toHaveBeenCalledWith('/admin/patient-import/invitations', { method: 'POST', body: { patient_ids: ['p-2', 'p-202'] } });
    expect(mount().querySelector('.import-invitations [role=status]')?.textContent).toContain('2 invitations sent');
  });

  it('stops at a chunk that fails and continues from it', async () => {
    const rows = Array.from({ length: 450 }, (_, i) => `A${i},G${i},F${i},1980-01-01,f`);
    let failOnce = true;
    const call = vi.fn(async (_path: string, options: { body: { first_row: number; content: string; dry_run: boolean } }) => {
      if (options.body.first_row === 202 && failOnce) {
        failOnce = false;
        throw new ApiError(503, 'unavailable', 'the service is busy right now; please try again in a moment', {});
      }
      const count = options.body.content.trim().split('\n').length - 1;
      return { ...report(true, 1000, count), rejected: [] };
    });
    show(call);
    const input = mount().querySelector<HTMLInputElement>('#import-file')!;
    Object.defineProperty(input, 'files', { value: [new File([[HEADER, ...rows].join('\n')], 'p.csv')] });
    await act(async () => {
      input.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await settle();
    await act(async () => button('Check the file')?.click());
    await settle();
    expect(mount().querySelector('[role=alert]')?.textContent).toContain('The service is busy right now');
    expect(mount().querySelector<HTMLProgressElement>('progress')?.value).toBe(200);

    await act(async () => button('Continue where it stopped')?.click());
    await settle();
    const firstRows = call.mock.calls.map(([, options]) => (options as { body: { first_row: number } }).body.first_row);
    expect(firstRows).toEqual([2, 202, 202, 402]);
    expect(mount().querySelector('.import-counts')?.textContent).toContain('Rows read450');
  });

  it('says what is wrong with a file it cannot cut', async () => {
    show(vi.fn());
    const input = mount().querySelector<HTMLInputElement>('#import-file')!;
    Object.defineProperty(input, 'files', { value: [new File(['{"resourceType": "Patient"}'], 'one.json')] });
    await act(async () => {
      input.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await settle();
    expect(mount().querySelector('[role=alert]')?.textContent).toContain('not a FHIR Bundle');
    expect(button('Check the file')).toBeUndefined();
  });
});
