import { I18nProvider } from '@lingui/react';
import { type ComponentChildren, Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { currentLocale, i18n, onLocaleChange } from '../shared/i18n';

/**
 * Renders the app in the active language. A change of language re-mounts the tree below (keyed by the
 * language): messages are looked up while rendering, so every screen then shows the new language at once.
 * Sessions and tokens live outside the tree, so nobody is signed out by it.
 */
export function LocaleRoot({ children }: { children: ComponentChildren }) {
  const [locale, setLocale] = useState(currentLocale());
  useEffect(() => onLocaleChange(() => setLocale(currentLocale())), []);
  return (
    <I18nProvider i18n={i18n}>
      <Fragment key={locale}>{children}</Fragment>
    </I18nProvider>
  );
}
