// The one page a staff member without an authenticator app can open: every other route answers 403
// "mfa_required" until they enrol.

import { t } from '@lingui/core/macro';
import '../account.css';
import { useApp } from '../../../shared/context';
import { Page } from '../../../shared/ui/ui';
import { MfaSetup } from './MfaSetup';

export function MfaEnrolPage({ onEnrolled }: { onEnrolled: () => void }) {
  const { session } = useApp();
  return (
    <div class="auth-layout auth-layout--single">
      <section class="card auth-card auth-card--wide">
        <Page
          title={t`Set up two-step sign-in`}
          lead={t`Staff accounts open patient records, so signing in takes your password and a code from an authenticator app on your phone. Set it up once; it takes about a minute.`}
        >
          <MfaSetup onEnrolled={onEnrolled} />
          <p class="auth-links">
            <button type="button" class="link-button" onClick={() => session.signOut('user')}>
              {t`Sign out`}
            </button>
          </p>
        </Page>
      </section>
    </div>
  );
}
