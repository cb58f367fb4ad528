// What a caregiver sees at the address of a page their grant does not cover: which record, what they may
// use, and where to ask for more; nothing of the page itself is loaded.

import { t } from '@lingui/core/macro';
import { Page } from '../../../shared/ui/ui';
import { Link } from '../../../router';
import { useApp } from '../../../shared/context';
import { scopeWords } from '../scope';

export function NotInScopePage() {
  const { patient } = useApp();
  const name = patient?.display_name ?? '';
  return (
    <Page title={t`Not part of your access`} narrow>
      <div class="card">
        <p>{t`This page is not part of what ${name} shared with you.`}</p>
        {patient ? <p>{t`You can use: ${scopeWords(patient)}.`}</p> : null}
        <p>{t`To see more, ask ${name} to change your access on their Profile page.`}</p>
        <p>
          <Link href="/" class="button button--primary">
            {t`Go to home`}
          </Link>
        </p>
      </div>
    </Page>
  );
}
