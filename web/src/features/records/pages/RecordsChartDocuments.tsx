// A patient's documents on a staff chart: what each is and when it was added, whether it is confidential,
// and, for a clinician (the API's confidential:mark), the switch that hides it from a teenager's parent.

import { t } from '@lingui/core/macro';
import '../records.css';
import { recordsApi } from '../api';
import { documentCategoryWords } from '../records';
import { useApp } from '../../../shared/context';
import { formatDay } from '../../../shared/format';
import { useLoad } from '../../../shared/hooks/useLoad';
import { Skeleton } from '../../../shared/ui/Skeleton';
import { ConfidentialToggle } from './ConfidentialToggle';

export function StaffDocumentsSection({ patientId, onAnnounce }: { patientId: string; onAnnounce?: (message: string) => void }) {
  const { api, me } = useApp();
  const canMark = me?.user.role === 'clinician';
  const loaded = useLoad((signal) => recordsApi(api).documents(patientId, signal), [patientId]);
  const items = loaded.data?.items ?? null;

  return (
    <section class="card" aria-labelledby="st-documents">
      <h2 id="st-documents">{t`Documents`}</h2>
      {loaded.error ? (
        <p>
          {t`We couldn't load the documents.`}{' '}
          <button type="button" class="link-button" onClick={loaded.reload}>
            {t`Try again`}
          </button>
        </p>
      ) : items === null ? (
        <Skeleton label={t`Loading documents…`} rows={2} rowHeight="1.5rem" />
      ) : items.length === 0 ? (
        <p class="muted">{t`No documents yet. Documents the patient or the clinic uploads are listed here.`}</p>
      ) : (
        <ul class="st-simple">
          {items.map((d) => (
            <li key={d.id}>
              <strong>{d.filename}</strong>{' '}
              <span class="muted">
                · {documentCategoryWords(d)}
                {d.uploaded_at ? ` · ${formatDay(d.uploaded_at)}` : ''}
              </span>{' '}
              {canMark ? (
                <ConfidentialToggle
                  patientId={patientId}
                  kind="document"
                  itemId={d.id}
                  name={d.filename}
                  confidential={d.confidential}
                  onChanged={(hidden, message) => {
                    loaded.set((list) => (list ? { ...list, items: list.items.map((x) => (x.id === d.id ? { ...x, confidential: hidden } : x)) } : list));
                    onAnnounce?.(message);
                  }}
                />
              ) : d.confidential ? (
                <span class="conf-tag">{t`Confidential`}</span>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
