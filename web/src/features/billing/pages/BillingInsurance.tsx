// Insurance on file: patients add or replace a card (the clinic then checks it); staff record that they checked it.

import { msg, t } from '@lingui/core/macro';
import { i18n, type MessageDescriptor } from '@lingui/core';
import { useState } from 'preact/hooks';
import { VERIFICATION_LABELS } from '../billing';
import type { Insurance } from '../api';
import { formatDate } from '../../../shared/format';
import { errorText, Loader, useBilling, useBillingLoad } from './BillingShared';
import { InsuranceCardForm } from './BillingInsuranceForm';
import { useApp } from '../../../shared/context';

const PRIORITY: Record<Insurance['priority'], MessageDescriptor> = { primary: msg`Primary`, secondary: msg`Secondary`, tertiary: msg`Third` };

export function InsuranceSection({ patientId, staff = false }: { patientId: string; staff?: boolean }) {
  const billing = useBilling();
  const list = useBillingLoad((s) => billing.insurance(patientId, s), [patientId], t`the insurance on file`);
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState('');
  // The patient's card form: null closed, 'new' adding, else the card being replaced.
  const [editing, setEditing] = useState<'new' | Insurance | null>(null);
  const { patient } = useApp();
  const label = (ins: Insurance) => (!staff && ins.verification === 'unverified' ? t`Waiting for the clinic to check` : VERIFICATION_LABELS[ins.verification]);

  const verify = async (ins: Insurance, result: 'verified' | 'rejected') => {
    if (busy) return;
    setBusy(ins.id);
    try {
      const updated = await billing.verifyInsurance(patientId, ins.id, result, ins.version);
      list.set({ items: (list.data?.items ?? []).map((i) => (i.id === updated.id ? updated : i)) });
      setMessage(`${ins.payer_name}: ${VERIFICATION_LABELS[updated.verification].toLowerCase()}.`);
    } catch (e) {
      setMessage(errorText(e, t`That didn't save. Please try again.`));
    } finally {
      setBusy(null);
    }
  };

  return (
    <section aria-labelledby="bill-insurance">
      <h2 id="bill-insurance" class="section-title">
        {t`Insurance on file`}
      </h2>
      <Loader state={list} label={t`Loading insurance…`}>
        {({ items }) =>
          items.length === 0 ? (
            <div class="card bill-insurance-empty">
              <p>
                {staff ? t`No insurance on file.` : t`No insurance on file. If you have coverage, add your card here, or bring it to your next visit.`}
              </p>
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
                      <span class="bill-badge">{i18n._(PRIORITY[ins.priority])}</span>
                      <span class={`bill-badge bill-badge--ins-${ins.verification}`}>{label(ins)}</span>
                    </p>
                    <dl class="bill-facts bill-facts--tight">
                      <div>
                        <dt>{t`Member ID`}</dt>
                        <dd>{ins.member_id}</dd>
                      </div>
                      {ins.group_number ? (
                        <div>
                          <dt>{t`Group`}</dt>
                          <dd>{ins.group_number}</dd>
                        </div>
                      ) : null}
                      <div>
                        <dt>{t`Subscriber`}</dt>
                        <dd>
                          {ins.subscriber.name}
                          {ins.subscriber.relationship !== 'self' ? ` (${ins.subscriber.relationship})` : ''}
                        </dd>
                      </div>
                      {ins.source ? (
                        <div>
                          <dt>{t`Added from`}</dt>
                          <dd>
                            {t`eCheck-in, accepted by ${ins.source.accepted_by} on ${formatDate(ins.source.accepted_at.slice(0, 10))}`}
                          </dd>
                        </div>
                      ) : null}
                      {ins.verified_at ? (
                        <div>
                          <dt>{t`Checked`}</dt>
                          <dd>
                            {formatDate(ins.verified_at.slice(0, 10))}
                            {ins.verified_by_name ? ` ${t`by ${ins.verified_by_name}`}` : ''}
                          </dd>
                        </div>
                      ) : null}
                    </dl>
                  </div>
                  {!staff && editing === null ? (
                    <div class="bill-card-side">
                      <button type="button" class="button button--secondary" onClick={() => setEditing(ins)}>
                        {t`Replace this card`}
                        <span class="visually-hidden">: {ins.payer_name}</span>
                      </button>
                    </div>
                  ) : null}
                  {staff && ins.verification !== 'verified' ? (
                    <div class="bill-card-side">
                      <button type="button" class="button button--secondary" onClick={() => verify(ins, 'verified')} aria-disabled={busy === ins.id ? 'true' : undefined}>
                        {t`Mark verified`}
                        <span class="visually-hidden">{t`: ${ins.payer_name}`}</span>
                      </button>
                    </div>
                  ) : null}
                </li>
              ))}
            </ul>
          )
        }
      </Loader>
      {!staff && list.data ? (
        editing === null ? (
          <p>
            <button type="button" class="button button--secondary" onClick={() => setEditing('new')}>
              {t`Add an insurance card`}
            </button>
          </p>
        ) : (
          <InsuranceCardForm
            patientId={patientId}
            replacing={editing === 'new' ? null : editing}
            holderName={patient?.display_name ?? ''}
            onCancel={() => setEditing(null)}
            onSaved={(saved) => {
              const rest = (list.data?.items ?? []).filter((i) => i.id !== saved.id);
              list.set({ items: [...rest, saved] });
              setEditing(null);
              setMessage(t`${saved.payer_name} was saved. The clinic will check it.`);
            }}
          />
        )
      ) : null}
      <p class="visually-hidden" role="status">
        {message}
      </p>
    </section>
  );
}
