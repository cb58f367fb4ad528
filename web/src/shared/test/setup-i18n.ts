// Tests render in English, as the app does before it knows better; a test may activate 'es' itself.
import { beforeEach } from 'vitest';
import { i18n } from '@lingui/core';
import { messages as en } from '../../locales/en/messages.po';
import { messages as es } from '../../locales/es/messages.po';

i18n.load({ en, es });

beforeEach(() => {
  i18n.activate('en');
  document.documentElement.lang = 'en';
});
