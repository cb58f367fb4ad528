// A clinician marks one chart item confidential (hidden from a teenager's parent or guardian), or unmarks
// it, after confirming. The API records who did it; the page announces the change.

import { t } from '@lingui/core/macro';
import { useState } from 'preact/hooks';
import { ApiError } from '../../../shared/api/client';
import { useApp } from '../../../shared/context';
import { Dialog } from '../../../shared/ui/Dialog';
import { Notice } from '../../../shared/ui/ui';
import { recordsApi } from '../api';
import type { Schemas } from '../../../shared/api/client';
import { errorText } from './RecordsStaff';

export type ConfidentialKind = Schemas['ConfidentialIn']['kind'];

export function ConfidentialToggle({
  patientId,
  kind,
  itemId,
  name,
  confidential,
  onChanged,
}: {
  patientId: string;
  kind: ConfidentialKind;
  itemId: string;
  /** What the item is called on screen, for the button's accessible name and the question. */
  name: string;
  confidential: boolean;
  onChanged: (hidden: boolean, message: string) => void;
}) {
  const { api } = useApp();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const dialogId = `conf-${kind}-${itemId}`;

  const confirm = async () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const marked = await recordsApi(api).markConfidential(patientId, { kind, item_id: itemId, confidential: !confidential });
      setAsking(false);
      onChanged(
        marked.hidden,
        marked.hidden ? t`${name} is hidden from a teenager's parent or guardian.` : t`A teenager's parent or guardian can see ${name} again.`,
      );
    } catch (e) {
      if (e instanceof ApiError && e.code === 'unauthorized') return;
      setError(errorText(e, t`The change wasn't saved. Please try again.`));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      {confidential ? <span class="conf-tag">{t`Confidential`}</span> : null}
      <button type="button" class="link-button conf-toggle" aria-haspopup="dialog" onClick={() => setAsking(true)}>
        {confidential ? t`Show to a teen's parent` : t`Mark confidential`}
        <span class="visually-hidden"> {name}</span>
      </button>
      <Dialog
        open={asking}
        onClose={() => setAsking(false)}
        id={dialogId}
        title={confidential ? t`Show this to a teen's parent?` : t`Mark this confidential?`}
        footer={
          <div class="form-actions">
            <button type="button" class="button button--primary" onClick={confirm} aria-disabled={busy ? 'true' : undefined}>
              {confidential ? t`Yes, show it` : t`Yes, hide it`}
            </button>
            <button type="button" class="button button--secondary" onClick={() => setAsking(false)}>
              {t`Cancel`}
            </button>
          </div>
        }
      >
        <p>
          {confidential
            ? t`A parent or guardian who has access to this teenager's record will see ${name} again.`
            : t`A parent or guardian who has access to this teenager's record will no longer see ${name}. They are told only that some information is private. The patient and the care team still see it.`}
        </p>
        {error ? (
          <Notice tone="error" role="alert">
            <p>{error}</p>
          </Notice>
        ) : null}
      </Dialog>
    </>
  );
}
