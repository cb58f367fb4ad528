// The patient's health record page: the links to results and documents, the summary (RecordsSummaryView),
// print and "Download my record" (FHIR), and the result release preferences.

import { t } from '@lingui/core/macro';
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError } from '../../../shared/api/client';
import { recordsApi } from '../api';
import { Icon } from '../../../shared/ui/Icons';
import { Loading, Notice, Page } from '../../../shared/ui/ui';
import { LoadFailed } from '../../../shared/ui/Lists';
import { useApp } from '../../../shared/context';
import { formatDateTime } from '../../../shared/format';
import { exportFilename, saveFile } from '../records';
import { Link } from '../../../router';
import { offersPath } from '../../proxies/scope';
import { loadFailure, useLoad } from '../../../shared/hooks/useLoad';
import { ReleasePreferences } from './RecordsReleasePreferences';
import { SummaryView } from './RecordsSummaryView';

export function byName<T>(key: (t: T) => string) {
  return (a: T, b: T) => key(a).localeCompare(key(b));
}

export function HealthRecordPage() {
  const { api, patient, clinic } = useApp();
  const pid = patient?.id ?? null;
  const forSelf = patient?.relationship === 'self';
  const loaded = useLoad((signal) => recordsApi(api).healthSummary(pid!, signal), [pid], { enabled: pid !== null });
  const summary = loaded.data;
  const error = loadFailure(loaded.error, t`We couldn't load the health record. Please try again.`);

  const heading = forSelf || !patient ? t`Health record` : personsHealthRecord(patient.display_name);
  // Only what this person may use of the record is offered (a caregiver's scope, a teenager's parent).
  const showResults = offersPath(patient, '/results');
  const showDocuments = offersPath(patient, '/documents');

  return (
    <Page
      title={heading}
      lead={
        forSelf
          ? t`Your conditions, medicines, allergies, vaccines and visits, as the clinic has them. If something is wrong or missing, tell your care team.`
          : t`Conditions, medicines, allergies, vaccines and visits, as the clinic has them.`
      }
    >
      <p class="print-only print-meta">
        {patient?.display_name} · {clinic?.name ?? 'Clinic Portal'} · {t`Printed ${formatDateTime(new Date().toISOString())}`}
      </p>
      {showResults || showDocuments ? (
        <nav class="rec-links no-print" aria-label={t`Health record`}>
          {showResults ? (
            <Link href="/results" class="rec-link">
              <Icon name="clipboard" />
              <span>
                <span class="rec-link-title">{t`Test results`}</span>
                <span class="rec-link-desc">{t`Lab and imaging results, with trends`}</span>
              </span>
              <Icon name="chevron" class="rec-link-chevron" />
            </Link>
          ) : null}
          {showDocuments ? (
            <Link href="/documents" class="rec-link">
              <Icon name="lock" />
              <span>
                <span class="rec-link-title">{t`Documents`}</span>
                <span class="rec-link-desc">{t`Insurance cards, forms and outside records`}</span>
              </span>
              <Icon name="chevron" class="rec-link-chevron" />
            </Link>
          ) : null}
        </nav>
      ) : null}

      {error ? (
        <LoadFailed error={error} onRetry={loaded.reload} />
      ) : !summary ? (
        <Loading label={t`Loading health record…`} />
      ) : (
        <>
          {offersPath(patient, '/record/summary') ? <SummaryActions /> : null}
          <SummaryView summary={summary} />
        </>
      )}
      {pid && showResults ? <ReleasePreferences key={pid} /> : null}
    </Page>
  );
}

/** Print and "Download my record". */
function SummaryActions() {
  const { api, patient } = useApp();
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);

  const download = async () => {
    if (!patient || busy) return;
    setBusy(true);
    setStatus(null);
    try {
      const bundle = await recordsApi(api).exportRecord(patient.id);
      const filename = exportFilename(bundle.timestamp);
      saveFile(JSON.stringify(bundle, null, 2), filename, 'application/fhir+json');
      setStatus({ tone: 'success', text: t`Saved ${filename} to your downloads.` });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'unauthorized') return;
      setStatus({
        tone: 'error',
        text: e instanceof ApiError && e.code === 'network' ? e.message : t`We couldn't prepare the download. Please try again.`,
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card rec-actions no-print" aria-labelledby="rec-actions-title">
      <h2 id="rec-actions-title" class="visually-hidden">
        {t`Print or download`}
      </h2>
      <div class="rec-actions-row">
        <button type="button" class="button button--secondary" onClick={() => window.print()}>
          {t`Print summary`}
        </button>
        <button type="button" class="button button--primary" onClick={download} aria-disabled={busy ? 'true' : undefined}>
          {busy ? t`Preparing download…` : t`Download my record (FHIR)`}
        </button>
        <Link href="/record/summary" class="button button--secondary">
          {t`Printable health summary`}
        </Link>
      </div>
      <p class="muted small">
        {t`The download is a standard health-record file (FHIR) that other clinics and health apps can read. Keep it safe: it holds your health information.`}
      </p>
      <div role="status" aria-live="polite">
        {status ? (
          <Notice tone={status.tone}>
            <p>{status.text}</p>
          </Notice>
        ) : null}
      </div>
    </section>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="muted rec-empty">{children}</p>;
}

export type Choice = { review_first: boolean; max_wait_days: number };

function personsHealthRecord(name: string): string {
  return t`${name}'s health record`;
}
