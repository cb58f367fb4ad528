// "Who viewed my record" for a Spanish reader: the server words who and what in the patient's language, and
// the page shows those words as they come, with its own headings and messages in Spanish around them.

import { i18n } from '@lingui/core';
import { I18nProvider } from '@lingui/react';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Api, PatientRef } from '../../shared/api/client';
import { AppContext } from '../../shared/context';
import type { AccessLogEntry, AccessLogPage } from './api';
import { AccessLogPage as AccessLog } from './pages/AccessLog';
import { appContext, mountPoint } from '../../shared/test/fakes';

const patient = { id: 'p-maria', relationship: 'self', display_name: 'María González' } as unknown as PatientRef;

const entry = (id: string, who: string, label: string): AccessLogEntry => ({
  id,
  at: '2026-03-02T15:00:00Z',
  actor_name: who.split(',')[0]!,
  actor_role: 'front_desk',
  actor_relationship: null,
  who,
  mine: false,
  action: 'record.read',
  action_label: label,
  target: 'summary',
  request_id: `req-${id}`,
});

const mount = mountPoint();

beforeEach(() => {
  i18n.activate('es');
});

afterEach(() => {
  i18n.activate('en');
});

async function settle() {
  for (let i = 0; i < 5; i++) {
    await act(async () => {
      await new Promise((r) => setTimeout(r, 0));
    });
  }
}

async function show(answer: (path: string) => AccessLogPage) {
  const value = appContext({ request: async (path: string) => answer(path) } as unknown as Api, null, { patient });
  await act(async () => {
    render(
      <I18nProvider i18n={i18n}>
        <AppContext.Provider value={value}>
          <AccessLog />
        </AppContext.Provider>
      </I18nProvider>,
      mount(),
    );
  });
  await settle();
}

it("shows the server's Spanish words as they come, and announces more entries in Spanish", async () => {
  await show((path) =>
    path.includes('cursor=')
      ? { items: [entry('e2', 'Alex Morgan, como cuidador', 'Vio las citas')], next_cursor: null }
      : { items: [entry('e1', 'Sam Lee, recepción', 'Vio el resumen de salud')], next_cursor: 'next' },
  );

  const cells = () => [...mount().querySelectorAll('tbody tr')].map((row) => [...row.querySelectorAll('td')].slice(1).map((td) => td.textContent));
  expect([...mount().querySelectorAll('th')].map((th) => th.textContent)).toEqual(['Cuándo', 'Quién', 'Qué']);
  expect(cells()).toEqual([['Sam Lee, recepción', 'Vio el resumen de salud']]);

  const more = [...mount().querySelectorAll('button')].find((b) => b.textContent === 'Cargar más');
  await act(async () => {
    more!.click();
  });
  await settle();

  expect(cells()).toEqual([
    ['Sam Lee, recepción', 'Vio el resumen de salud'],
    ['Alex Morgan, como cuidador', 'Vio las citas'],
  ]);
  expect(mount().querySelector('[role="status"]')?.textContent).toBe('Se cargó 1 registro más. Eso es todo.');
});

it('says in Spanish when the history cannot be loaded', async () => {
  await show(() => {
    throw new Error('down');
  });
  expect(mount().textContent).toContain('No pudimos cargar el historial de acceso. Inténtelo de nuevo.');
});
