import { defineConfig } from '@lingui/conf';
import { formatter } from '@lingui/format-po';

// English is the source language: messages are written in English in the code, and `lingui extract`
// collects them into one catalog per language. Spanish translators edit src/locales/es/messages.po.
export default defineConfig({
  sourceLocale: 'en',
  locales: ['en', 'es'],
  fallbackLocales: { default: 'en' },
  catalogs: [
    {
      path: '<rootDir>/src/locales/{locale}/messages',
      include: ['<rootDir>/src'],
      exclude: ['**/*.test.ts', '**/*.test.tsx', '**/node_modules/**'],
    },
  ],
  // No line numbers or origins: keeps the catalogs stable (and merges easy) when code moves.
  format: formatter({ origins: false, lineNumbers: false }),
  orderBy: 'messageId',
});
