// A banner on every page while someone acts for another person: whose record, and what they may use. Its
// live region is always mounted, so switching records is announced to screen readers. A plain live region,
// not role="status": the page's own status messages (saved, sent) keep that role to themselves.

import { t } from '@lingui/core/macro';
import { useApp } from '../../shared/context';
import { actingForSomeoneElse, scopeWords } from './scope';
import './proxies.css';

/** `hold`: the account is loading and this tab last showed the banner: keep its place (empty, unseen). */
export function ActingBanner({ hold = false }: { hold?: boolean }) {
  const { patient } = useApp();
  const acting = actingForSomeoneElse(patient) && patient ? patient : null;
  const state = acting ? '' : hold ? ' acting-banner--pending' : ' acting-banner--off';
  return (
    <div class={`acting-banner${state}`} aria-live="polite" aria-atomic="true">
      {acting ? (
        <p>
          <strong>{t`Acting for ${acting.display_name}`}</strong>
          <span class="acting-banner-scope"> · {t`You can use: ${scopeWords(acting)}`}</span>
        </p>
      ) : hold ? (
        <p aria-hidden="true">{'\u00a0'}</p>
      ) : null}
    </div>
  );
}
