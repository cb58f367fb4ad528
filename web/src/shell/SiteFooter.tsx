// The footer on every page: the emergency notice, the clinic's address and phone, a reminder to sign out.

import { t } from '@lingui/core/macro';
import type { Clinic } from '../shared/api/client';
import { Icon } from '../shared/ui/Icons';

export function SiteFooter({ clinic }: { clinic: Clinic | null }) {
  return (
    <footer class="site-footer">
      <div class="footer-inner">
        <p class="footer-emergency">
          <Icon name="alert" size={20} />
          {clinic ? (
            <span lang={clinic.language}>{clinic.emergency_notice}</span>
          ) : (
            <span>{t`If this is a medical emergency, call 911.`}</span>
          )}
        </p>
        {clinic ? (
          <p>
            {clinic.name}
            {clinic.address ? <span lang={clinic.language}>{` · ${clinic.address}`}</span> : ''} ·{' '}
            <a href={`tel:${clinic.phone}`}>{clinic.phone_display}</a>
          </p>
        ) : null}
        <p class="muted small">{t`Keep your information safe: sign out when you're done, especially on a shared device.`}</p>
      </div>
    </footer>
  );
}
