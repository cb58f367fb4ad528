// The prescription request a clinician prints for the pharmacy: only what the pharmacy needs to identify
// the patient and fill the prescription (no notes, no other medications or conditions). Print styles hide
// the portal's header, navigation and footer.

import { t } from '@lingui/core/macro';
import { Trans } from '@lingui/react/macro';
import '../refills.css';
import { formatDate, formatDateTime, formatPhone } from '../../../shared/format';
import { loadFailure, useLoad } from '../../../shared/hooks/useLoad';
import { LoadFailed } from '../../../shared/ui/Lists';
import { Loading, Page } from '../../../shared/ui/ui';
import { Link } from '../../../router';
import { useRefillsApi } from '../api';

export function PrescriptionPrintPage({ patientId, requestId }: { patientId: string; requestId: string }) {
  const msg = useRefillsApi();
  const load = useLoad((signal) => msg.prescription(patientId, requestId, signal), [patientId, requestId]);
  const rx = load.data;
  const failed = loadFailure(load.error, t`We couldn't load the prescription request. It may not be approved yet.`);
  return (
    <Page title={t`Prescription request`}>
      <p class="no-print">
        <Link href="/staff/refills">
          <Trans>← Refill requests</Trans>
        </Link>
      </p>
      {failed ? (
        <LoadFailed error={failed} onRetry={load.reload} />
      ) : !rx ? (
        <Loading label={t`Loading the prescription request…`} />
      ) : (
        <>
          <div class="no-print rx-actions">
            <button type="button" class="button button--primary" onClick={() => window.print()}>
              <Trans>Print</Trans>
            </button>
          </div>
          <article class="card rx-sheet" aria-labelledby="rx-title">
            <h2 id="rx-title">
              <Trans>Prescription request for the pharmacy</Trans>
            </h2>
            <dl class="rx-facts">
              <dt>
                <Trans>Pharmacy</Trans>
              </dt>
              <dd>
                {rx.pharmacy.name}
                <br />
                {rx.pharmacy.address}
                <br />
                {formatPhone(rx.pharmacy.phone)}
                {rx.ncpdp_id ? ` · NCPDP ${rx.ncpdp_id}` : ''}
              </dd>
              <dt>
                <Trans>Patient</Trans>
              </dt>
              <dd>
                {t`${rx.patient_name}, born ${formatDate(rx.patient_birth_date)}`}
              </dd>
              <dt>
                <Trans>Drug</Trans>
              </dt>
              <dd>{rx.drug}</dd>
              <dt>
                <Trans>Dose</Trans>
              </dt>
              <dd>{rx.dose}</dd>
              <dt>
                <Trans>Quantity</Trans>
              </dt>
              <dd>{rx.quantity}</dd>
              <dt>
                <Trans>Refills</Trans>
              </dt>
              <dd>{rx.refills}</dd>
              <dt>
                <Trans>Prescriber</Trans>
              </dt>
              <dd>{rx.prescriber}</dd>
              <dt>
                <Trans>Approved</Trans>
              </dt>
              <dd>{formatDateTime(rx.approved_at)}</dd>
              <dt>
                <Trans>Reference</Trans>
              </dt>
              <dd class="rx-ref">{rx.request_id}</dd>
            </dl>
            <p class="rx-sign">
              <Trans>Prescriber's signature:</Trans> ______________________________
            </p>
          </article>
        </>
      )}
    </Page>
  );
}
