// A banner on every page while someone acts for another person: whose record, and what they may use. Its
// live region is always mounted, so switching records is announced to screen readers. A plain live region,
// not role="status": the page's own status messages (saved, sent) keep that role to themselves.

import { t } from '@lingui/core/macro';
import { useApp } from '../../shared/context';
import { actingForSomeoneElse, scopeWords } from './scope';
import './proxies.css';

export function ActingBanner() {
  const { patient } = useApp();
  const acting = actingForSomeoneElse(patient) && patient ? patient : null;
  return (
    <div class={acting ? 'acting-banner' : 'acting-banner acting-banner--off'} aria-live="polite" aria-atomic="true">
      {acting ? (
        <p>
          <strong>{t`Acting for ${acting.display_name}`}</strong>
          <span class="acting-banner-scope"> · {t`You can use: ${scopeWords(acting)}`}</span>
        </p>
      ) : null}
    </div>
  );
}
