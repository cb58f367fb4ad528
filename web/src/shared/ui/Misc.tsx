import { t } from '@lingui/core/macro';
import { HelpContent } from './Help';
import { Page } from './ui';
import { useApp } from '../context';
import { Link } from '../../router';

export function HelpPage() {
  const { clinic } = useApp();
  return (
    <Page title={t`Help`} heading={t`Help and contact`} narrow>
      <div class="card">
        <HelpContent clinic={clinic} />
      </div>
      <p>
        <Link href="/">{t`Back to home`}</Link>
      </p>
    </Page>
  );
}

export function NotFoundPage() {
  return (
    <Page title={t`Page not found`} narrow>
      <div class="card">
        <p>{t`We couldn't find that page. It may have moved, or the address may be mistyped.`}</p>
        <p>
          <Link href="/" class="button button--primary">
            {t`Go to home`}
          </Link>
        </p>
      </div>
    </Page>
  );
}
