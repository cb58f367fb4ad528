// A teenager's parent is told, on the results, documents and messages pages, that some information is
// private: only when the API says so, in plain words that say neither what nor how much.

import { i18n } from '@lingui/core';
import { I18nProvider } from '@lingui/react';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Api, PatientRef } from '../../shared/api/client';
import { AppContext } from '../../shared/context';
import { PatientInboxPage } from '../messages/pages/MessagesInbox';
import { DocumentsPage } from './pages/RecordsDocuments';
import { ResultsPage } from './pages/RecordsResults';
import { appContext, mountPoint } from '../../shared/test/fakes';

const NOTICE = 'Some information is private to the patient and is not shown here.';
const patient = { id: 'p-teen', relationship: 'caregiver', display_name: 'Quinn Teen' } as unknown as PatientRef;

const mount = mountPoint();

beforeEach(() => {
  i18n.activate('en');
});

afterEach(() => {
  i18n.activate('en');
});

async function show(page: () => preact.JSX.Element, someHidden: boolean) {
  const answer = { items: [], next_cursor: null, some_hidden: someHidden };
  const value = appContext({ request: async () => answer } as unknown as Api, null, { patient });
  const Page = page;
  await act(async () => {
    render(
      <I18nProvider i18n={i18n}>
        <AppContext.Provider value={value}>
          <Page />
        </AppContext.Provider>
      </I18nProvider>,
      mount(),
    );
  });
  for (let i = 0; i < 5; i++) {
    await act(async () => {
      await new Promise((r) => setTimeout(r, 0));
    });
  }
}

const pages: [string, () => preact.JSX.Element][] = [
  ['results', () => <ResultsPage />],
  ['documents', () => <DocumentsPage />],
  ['messages', () => <PatientInboxPage />],
];

describe('the "some information is hidden" notice', () => {
  for (const [name, page] of pages) {
    it(`shows on the ${name} page when the API says some_hidden, even with nothing listed`, async () => {
      await show(page, true);
      const notice = mount().querySelector('[data-testid="hidden-notice"]');
      expect(notice?.textContent).toBe(NOTICE);
      expect(notice?.textContent).not.toMatch(/\d/);
    });

    it(`stays away from the ${name} page when nothing is hidden`, async () => {
      await show(page, false);
      expect(mount().querySelector('[data-testid="hidden-notice"]')).toBeNull();
      expect(mount().textContent).not.toContain(NOTICE);
    });
  }

  it('is in Spanish for a Spanish reader', async () => {
    i18n.activate('es');
    await show(pages[0]![1], true);
    const text = mount().querySelector('[data-testid="hidden-notice"]')?.textContent ?? '';
    expect(text).not.toBe(NOTICE);
    expect(text.length).toBeGreaterThan(10);
  });
});
