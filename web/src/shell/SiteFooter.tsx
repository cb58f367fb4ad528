// The footer on every page: the emergency notice, the clinic's address and phone, a reminder to sign out.

import type { Clinic } from '../shared/api/client';
import { Icon } from '../shared/ui/Icons';

export function SiteFooter({ clinic }: { clinic: Clinic | null }) {
  return (
    <footer class="site-footer">
      <div class="footer-inner">
        <p class="footer-emergency">
          <Icon name="alert" size={20} />
          <span>{clinic?.emergency_notice ?? 'If this is a medical emergency, call 911.'}</span>
        </p>
        {clinic ? (
          <p>
            {clinic.name}
            {clinic.address ? ` · ${clinic.address}` : ''} ·{' '}
            <a href={`tel:${clinic.phone}`}>{clinic.phone_display}</a>
          </p>
        ) : null}
        <p class="muted small">Keep your information safe: sign out when you're done, especially on a shared device.</p>
      </div>
    </footer>
  );
}
