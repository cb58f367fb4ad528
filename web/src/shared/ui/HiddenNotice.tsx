// Told to a teenager's parent or guardian when part of the record is private: never what or how much.

import { t } from '@lingui/core/macro';

export function HiddenNotice({ class: extra }: { class?: string }) {
  return (
    <p class={`hint-box hidden-notice${extra ? ` ${extra}` : ''}`} data-testid="hidden-notice">
      {t`Some information is private to the patient and is not shown here.`}
    </p>
  );
}
