// Before sign-in: a button that switches the portal to the other language (remembered in this browser).
// Its label is in the language it switches to, and marked so screen readers pronounce it right.

import { t } from '@lingui/core/macro';
import { chooseLocale, currentLocale, LOCALE_NAMES } from '../shared/i18n';
import { Icon } from '../shared/ui/Icons';

export function LanguageSwitch() {
  const other = currentLocale() === 'es' ? 'en' : 'es';
  return (
    <button
      type="button"
      class="button button--ghost language-switch"
      lang={other}
      title={t`Change the language`}
      onClick={() => void chooseLocale(other)}
    >
      <Icon name="globe" size={20} />
      {LOCALE_NAMES[other]}
    </button>
  );
}
