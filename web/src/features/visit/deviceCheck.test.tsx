// The device check in Spanish, in a browser without camera access (jsdom has no mediaDevices).

import { i18n } from '@lingui/core';
import { I18nProvider } from '@lingui/react';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { expect, it } from 'vitest';
import { DeviceCheck } from './DeviceCheck';

it('explains a missing camera in Spanish and offers the clinic by phone', async () => {
  i18n.activate('es');
  const root = document.createElement('div');
  document.body.append(root);
  await act(async () => {
    render(
      <I18nProvider i18n={i18n}>
        <DeviceCheck clinicPhone="(555) 010-0100" onReady={() => undefined} />
      </I18nProvider>,
      root,
    );
  });
  expect(root.querySelector('h2')?.textContent).toBe('Revise su cámara, micrófono y bocinas');
  const alert = root.querySelector('[role=alert]')?.textContent ?? '';
  expect(alert).toContain('No encontramos una cámara ni un micrófono');
  expect(alert).toContain('También puede llamar a la clínica al (555) 010-0100.');
  expect(root.querySelector('video')?.getAttribute('aria-label')).toBe('Vista previa de su cámara');
  expect(root.textContent).not.toMatch(/\b(Try again|camera|Join)\b/);
  render(null, root);
  root.remove();
});
