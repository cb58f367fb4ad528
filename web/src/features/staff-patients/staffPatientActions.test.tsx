// The staff action bar's "Book appointment" is an action on someone's record, not the patient's own
// confirm button: in Spanish it reads as "book an appointment", not "book the appointment".

import { i18n } from '@lingui/core';
import { I18nProvider } from '@lingui/react';
import { render } from 'preact';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Api, Me } from '../../shared/api/client';
import { AppContext } from '../../shared/context';
import { StaffPatientActions } from './pages/StaffPatientsActions';
import { appContext } from '../../shared/test/fakes';

let root: HTMLElement;

beforeEach(() => {
  root = document.createElement('div');
  document.body.append(root);
});

afterEach(() => {
  render(null, root);
  root.remove();
});

function mount() {
  const value = appContext({} as Api, { user: { role: 'front_desk' } } as unknown as Me);
  render(
    <I18nProvider i18n={i18n}>
      <AppContext.Provider value={value}>
        <StaffPatientActions patientId="p-1" name="María García" />
      </AppContext.Provider>
    </I18nProvider>,
    root,
  );
}

const links = () => [...root.querySelectorAll('a')].map((a) => a.textContent?.trim());

it('offers to book an appointment for the patient, in English and in Spanish', () => {
  mount();
  expect(links()).toContain('Book appointment');
  render(null, root);
  i18n.activate('es');
  mount();
  expect(links()).toContain('Reservar una cita');
  expect(links()).not.toContain('Reservar la cita');
});
