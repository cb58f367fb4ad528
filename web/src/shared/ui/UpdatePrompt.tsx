import { t } from '@lingui/core/macro';
import { Trans } from '@lingui/react/macro';
import './update-prompt.css';

/** "A new version is ready": shown at the bottom of every page until the person reloads. */
export function UpdatePrompt({ onReload }: { onReload: () => void }) {
  return (
    <div class="update-prompt" role="region" aria-label={t`App update`}>
      <p role="status">
        <Trans>A new version is ready.</Trans>
      </p>
      <button type="button" class="button button--primary" onClick={onReload}>
        <Trans>Reload</Trans>
      </button>
    </div>
  );
}
