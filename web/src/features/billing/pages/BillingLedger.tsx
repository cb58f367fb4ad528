// One patient's ledger for billing staff: statements, payments, voids; post a statement or void one.

import { plural, t } from '@lingui/core/macro';
import { Trans } from '@lingui/react/macro';
import { useState } from 'preact/hooks';
import { formatCents, formatLedgerAmount, sortStatements } from '../billing';
import { ledgerEntryText } from '../staffWords';
import type { LedgerEntry, Statement } from '../api';
import { Icon } from '../../../shared/ui/Icons';
import { Notice, Page } from '../../../shared/ui/ui';
import { useApp } from '../../../shared/context';
import { formatDate, formatDateTime } from '../../../shared/format';
import { Link } from '../../../router';
import { InsuranceSection } from './BillingInsurance';
import { BillTable, EmptyCard, Loader, StateBadge, useBilling, useBillingLoad } from './BillingShared';
import { accountApi } from '../../account/api';
import { PostStatementForm, VoidDialog } from './BillingStaffForms';
import { StaffPayments } from './BillingRefunds';

export function StaffLedgerPage({ patientId }: { patientId: string }) {
  const billing = useBilling();
  const statements = useBillingLoad((s) => billing.statements(patientId, s), [patientId], t`the patient's statements`);
  const ledger = useBillingLoad((s) => billing.ledger(patientId, null, s), [patientId], t`the patient's ledger`);
  const [posting, setPosting] = useState(false);
  const [voiding, setVoiding] = useState<Statement | null>(null);
  const [flash, setFlash] = useState<string | null>(null);
  const { api } = useApp();
  const profile = useBillingLoad((s) => accountApi(api).getProfile(patientId, s), [patientId], t`the patient`);
  const name = profile.data ? `${profile.data.legal_name.given} ${profile.data.legal_name.family}` : null;
  const born = profile.data ? formatDate(profile.data.birth_date) : null;

  const reload = (message: string) => {
    setFlash(message);
    statements.reload();
    ledger.reload();
  };

  return (
    <Page
      title={name ? t`${name}: billing` : t`Patient billing`}
      heading={name ?? t`Patient billing`}
      lead={born ? t`Born ${born} · patient ${patientId}` : t`Patient ${patientId}`}
    >
      <p class="bill-back">
        <Link href="/staff/billing">
          <Icon name="chevron" size={18} class="bill-back-icon" />
          <Trans>Open balances</Trans>
        </Link>
      </p>
      {flash ? (
        <Notice tone="success" role="status">
          <p>{flash}</p>
        </Notice>
      ) : null}
      <Loader state={statements} label={t`Loading statements…`}>
        {({ summary, items }) => (
          <>
            <section class="bill-summary" aria-label={t`Account summary`}>
              <div class={`bill-stat${summary.balance_cents > 0 ? ' bill-stat--owed' : ''}`}>
                <span class="bill-stat-label">{t`Balance`}</span>
                <span class="bill-stat-value">{formatCents(summary.balance_cents, summary.currency)}</span>
                <span class="bill-stat-note">{plural(summary.open_statements, { one: '# open statement', other: '# open statements' })}</span>
              </div>
              <div class={`bill-stat${summary.overdue_cents > 0 ? ' bill-stat--overdue' : ''}`}>
                <span class="bill-stat-label">{t`Overdue`}</span>
                <span class="bill-stat-value">{formatCents(summary.overdue_cents, summary.currency)}</span>
              </div>
              <div class="bill-stat">
                <span class="bill-stat-label">{t`Processing`}</span>
                <span class="bill-stat-value">{formatCents(summary.pending_cents, summary.currency)}</span>
              </div>
            </section>
            <section aria-labelledby="staff-statements">
              <div class="bill-section-head">
                <h2 id="staff-statements" class="section-title">
                  {t`Statements`}
                </h2>
                {!posting ? (
                  <button type="button" class="button button--primary" onClick={() => setPosting(true)}>
                    {t`Post a statement`}
                  </button>
                ) : null}
              </div>
              {posting ? (
                <PostStatementForm
                  patientId={patientId}
                  onCancel={() => setPosting(false)}
                  onPosted={(s) => {
                    setPosting(false);
                    const number = s.number;
                    const amount = formatCents(s.patient_responsibility_cents, s.currency);
                    reload(t`Statement ${number} posted: ${amount} patient responsibility.`);
                  }}
                />
              ) : null}
              <BillTable
                card
                caption={t`Statements`}
                columns={[
                  { label: t`Statement` },
                  { label: t`Posted` },
                  { label: t({ message: 'Due', context: 'column: due date' }) },
                  { label: t`Status` },
                  { label: t`Responsibility`, num: true },
                  { label: t`Balance`, num: true },
                  { label: t`Actions`, hidden: true },
                ]}
              >
                {sortStatements(items).map((s) => {
                  const number = s.number;
                  return (
                    <tr key={s.id}>
                      <th scope="row" data-label={t`Statement`}>
                        {s.number}
                        <span class="muted small bill-lines-brief">{s.lines.map((l) => l.code).join(', ')}</span>
                      </th>
                      <td data-label={t`Posted`}>{formatDate(s.posted_at.slice(0, 10))}</td>
                      <td data-label={t({ message: 'Due', context: 'column: due date' })}>{formatDate(s.due_date)}</td>
                      <td data-label={t`Status`}>
                        <StateBadge state={s.state} />
                        {s.void_reason ? <span class="muted small"> {s.void_reason}</span> : null}
                      </td>
                      <td data-label={t`Responsibility`} class="num">
                        {formatCents(s.patient_responsibility_cents, s.currency)}
                      </td>
                      <td data-label={t`Balance`} class="num">
                        {formatCents(s.balance_cents, s.currency)}
                      </td>
                      <td>
                        {s.status === 'open' && s.paid_cents === 0 && s.pending_cents === 0 && !s.plan_id ? (
                          <button type="button" class="button button--ghost bill-danger" onClick={() => setVoiding(s)}>
                            <Trans>
                              Void<span class="visually-hidden"> statement {number}</span>
                            </Trans>
                          </button>
                        ) : null}
                      </td>
                    </tr>
                  );
                })}
              </BillTable>
            </section>
          </>
        )}
      </Loader>
      <StaffPayments patientId={patientId} onRefunded={reload} />
      <InsuranceSection patientId={patientId} staff />
      <section aria-labelledby="staff-ledger">
        <h2 id="staff-ledger" class="section-title">
          {t`Ledger`}
        </h2>
        <Loader state={ledger} label={t`Loading the ledger…`}>
          {({ items }) => <LedgerTable items={items} />}
        </Loader>
      </section>
      {voiding ? (
        <VoidDialog
          statement={voiding}
          patientId={patientId}
          onClose={() => setVoiding(null)}
          onVoided={(s) => {
            setVoiding(null);
            const number = s.number;
            reload(t`Statement ${number} voided. It stays on the ledger, marked void.`);
          }}
        />
      ) : null}
    </Page>
  );
}

export function LedgerTable({ items }: { items: LedgerEntry[] }) {
  if (items.length === 0) return <EmptyCard>{t`No activity yet.`}</EmptyCard>;
  return (
    <BillTable card caption={t`Charges, payments and voids, newest first`} columns={[{ label: t`Date` }, { label: t`Entry` }, { label: t`Amount`, num: true }]}>
      {items.map((e) => (
        <tr key={e.id}>
          <td data-label={t`Date`}>{formatDateTime(e.at)}</td>
          <td data-label={t`Entry`}>{ledgerEntryText(e)}</td>
          <td data-label={t`Amount`} class={`num${e.amount_cents < 0 ? ' bill-credit' : ''}`}>
            {formatLedgerAmount(e.amount_cents, e.currency)}
          </td>
        </tr>
      ))}
    </BillTable>
  );
}

// --- posting a statement --------------------------------------------------------------------------------
