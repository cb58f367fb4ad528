// A button that switches the portal to the other language: before sign-in remembered in this browser;
// signed in (staff, caregivers: no record of their own) also saved on the account first, so every device
// opens in it. Its label is in the language it switches to, and marked so screen readers pronounce it right.

import { t } from '@lingui/core/macro';
import { chooseLocale, currentLocale, LOCALE_NAMES, type Locale } from '../shared/i18n';
import { Icon } from '../shared/ui/Icons';

export function LanguageSwitch({ save }: { save?: (locale: Locale) => Promise<unknown> }) {
  const other = currentLocale() === 'es' ? 'en' : 'es';
  return (
    <button
      type="button"
      class="button button--ghost language-switch"
      lang={other}
      title={t`Change the language`}
      // Not saved, not switched: the next answer about the account would switch it straight back.
      onClick={() => void (save ? save(other) : Promise.resolve()).then(() => chooseLocale(other), () => undefined)}
    >
      <Icon name="globe" size={20} />
      {LOCALE_NAMES[other]}
    </button>
  );
}
