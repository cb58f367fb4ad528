// The documents on a staff chart: a clinician can mark one confidential; front desk sees the mark only.

import { i18n } from '@lingui/core';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Api, Me } from '../../shared/api/client';
import { AppContext } from '../../shared/context';
import { StaffDocumentsSection } from './pages/RecordsChartDocuments';
import { appContext } from '../../shared/test/fakes';

let root: HTMLElement;

beforeEach(() => {
  i18n.activate('en');
  root = document.createElement('div');
  document.body.append(root);
});

afterEach(() => {
  render(null, root);
  root.remove();
});

const doc = (id: string, filename: string, confidential: boolean) => ({
  id,
  category: 'outside_record',
  category_label: 'Record from another provider',
  filename,
  content_type: 'application/pdf',
  size: 2048,
  status: 'available',
  uploaded_at: '2026-03-03T15:00:00Z',
  uploaded_by: 'Dana Doctor',
  confidential,
});

async function mount(role: string, request: ReturnType<typeof vi.fn>) {
  const value = appContext({ request } as unknown as Api, { user: { sub: 's', username: 'u', display_name: 'Staff', role }, patients: [] } as unknown as Me);
  await act(async () => {
    render(
      <AppContext.Provider value={value}>
        <StaffDocumentsSection patientId="p-teen" />
      </AppContext.Provider>,
      root,
    );
  });
  await act(async () => undefined);
}

const listed = () => [...root.querySelectorAll('li')].map((li) => li.textContent?.replace(/\s+/g, ' ').trim());
/** One document's row as read: its name and details, its tag, and the switch's words, if any. */
const row = (i: number) => {
  const li = root.querySelectorAll('li')[i]!;
  return {
    text: `${li.querySelector('strong')?.textContent} ${li.querySelector('.muted')?.textContent}`,
    tag: li.querySelector('.conf-tag')?.textContent ?? null,
    toggle: li.querySelector('.conf-toggle')?.textContent ?? null,
  };
};
const button = (text: string) => [...root.querySelectorAll('button')].find((b) => b.textContent?.trim().startsWith(text));

describe('the documents section of a staff chart', () => {
  it('lets a clinician mark a document confidential and shows the mark', async () => {
    const request = vi.fn(async (path: string) =>
      path.endsWith('/confidential')
        ? { kind: 'document', item_id: 'd-1', confidential: true, hidden: true }
        : { items: [doc('d-1', 'clinic-letter.pdf', false), doc('d-2', 'referral.pdf', true)], some_hidden: false },
    );
    await mount('clinician', request);
    expect(request).toHaveBeenCalledWith('/patients/p-teen/documents', expect.anything());
    expect(root.querySelector('h2')?.textContent).toBe('Documents');
    expect(row(0)).toEqual({
      text: 'clinic-letter.pdf · Record from another provider · March 3, 2026',
      tag: null,
      toggle: 'Mark confidential clinic-letter.pdf',
    });
    expect(row(1)).toMatchObject({ tag: 'Confidential', toggle: "Show to a teen's parent referral.pdf" });

    await act(async () => button('Mark confidential')!.click());
    await act(async () => button('Yes, hide it')!.click());
    expect(request).toHaveBeenCalledWith('/staff/patients/p-teen/confidential', {
      method: 'POST',
      body: { kind: 'document', item_id: 'd-1', confidential: true },
    });
    expect(row(0)).toMatchObject({ tag: 'Confidential', toggle: "Show to a teen's parent clinic-letter.pdf" });
  });

  it('shows front desk the mark without the switch', async () => {
    const request = vi.fn(async () => ({ items: [doc('d-1', 'clinic-letter.pdf', false), doc('d-2', 'referral.pdf', true)], some_hidden: false }));
    await mount('front_desk', request);
    expect(listed()).toEqual(['clinic-letter.pdf · Record from another provider · March 3, 2026', 'referral.pdf · Record from another provider · March 3, 2026 Confidential']);
    expect(button('Mark confidential')).toBeUndefined();
    expect(button("Show to a teen's parent")).toBeUndefined();
  });

  it('says so in plain words when there are no documents', async () => {
    await mount('clinician', vi.fn(async () => ({ items: [], some_hidden: false })));
    expect(root.querySelector('section p')?.textContent).toBe('No documents yet. Documents the patient or the clinic uploads are listed here.');
  });
});
