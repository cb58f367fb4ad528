// Insurance on file, read-only for patients; billing staff record that they checked it.

import { useState } from 'preact/hooks';
import { VERIFICATION_LABELS } from '../billing';
import type { Insurance } from '../api';
import { formatDate } from '../../../shared/format';
import { errorText, Loader, useBilling, useBillingLoad } from './BillingShared';

const PRIORITY: Record<Insurance['priority'], string> = { primary: 'Primary', secondary: 'Secondary', tertiary: 'Third' };

export function InsuranceSection({ patientId, staff = false }: { patientId: string; staff?: boolean }) {
  const billing = useBilling();
  const list = useBillingLoad((s) => billing.insurance(patientId, s), [patientId], 'the insurance on file');
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState('');

  const verify = async (ins: Insurance, result: 'verified' | 'rejected') => {
    if (busy) return;
    setBusy(ins.id);
    try {
      const updated = await billing.verifyInsurance(patientId, ins.id, result, ins.version);
      list.set({ items: (list.data?.items ?? []).map((i) => (i.id === updated.id ? updated : i)) });
      setMessage(`${ins.payer_name}: ${VERIFICATION_LABELS[updated.verification].toLowerCase()}.`);
    } catch (e) {
      setMessage(errorText(e, "That didn't save. Please try again."));
    } finally {
      setBusy(null);
    }
  };

  return (
    <section aria-labelledby="bill-insurance">
      <h2 id="bill-insurance" class="section-title">
        Insurance on file
      </h2>
      <Loader state={list} label="Loading insurance…">
        {({ items }) =>
          items.length === 0 ? (
            <div class="card bill-insurance-empty">
              <p>No insurance on file.{staff ? '' : ' If you have coverage, bring your card to your next visit or add it during eCheck-in.'}</p>
            </div>
          ) : (
            <ul class="bill-insurance">
              {items.map((ins) => (
                <li key={ins.id} class="bill-card">
                  <div class="bill-card-main">
                    <h3 class="bill-card-title">
                      {ins.payer_name}
                      {ins.plan_name ? <span class="muted"> · {ins.plan_name}</span> : null}
                    </h3>
                    <p class="bill-card-meta">
                      <span class="bill-badge">{PRIORITY[ins.priority]}</span>
                      <span class={`bill-badge bill-badge--ins-${ins.verification}`}>{VERIFICATION_LABELS[ins.verification]}</span>
                    </p>
                    <dl class="bill-facts bill-facts--tight">
                      <div>
                        <dt>Member ID</dt>
                        <dd>{ins.member_id}</dd>
                      </div>
                      {ins.group_number ? (
                        <div>
                          <dt>Group</dt>
                          <dd>{ins.group_number}</dd>
                        </div>
                      ) : null}
                      <div>
                        <dt>Subscriber</dt>
                        <dd>
                          {ins.subscriber.name}
                          {ins.subscriber.relationship !== 'self' ? ` (${ins.subscriber.relationship})` : ''}
                        </dd>
                      </div>
                      {ins.source ? (
                        <div>
                          <dt>Added from</dt>
                          <dd>
                            eCheck-in, accepted by {ins.source.accepted_by} on {formatDate(ins.source.accepted_at.slice(0, 10))}
                          </dd>
                        </div>
                      ) : null}
                      {ins.verified_at ? (
                        <div>
                          <dt>Checked</dt>
                          <dd>
                            {formatDate(ins.verified_at.slice(0, 10))}
                            {ins.verified_by_name ? ` by ${ins.verified_by_name}` : ''}
                          </dd>
                        </div>
                      ) : null}
                    </dl>
                  </div>
                  {staff && ins.verification !== 'verified' ? (
                    <div class="bill-card-side">
                      <button type="button" class="button button--secondary" onClick={() => verify(ins, 'verified')} aria-disabled={busy === ins.id ? 'true' : undefined}>
                        Mark verified<span class="visually-hidden">: {ins.payer_name}</span>
                      </button>
                    </div>
                  ) : null}
                </li>
              ))}
            </ul>
          )
        }
      </Loader>
      <p class="visually-hidden" role="status">
        {message}
      </p>
    </section>
  );
}
