// One patient's ledger for billing staff: statements, payments, voids; post a statement or void one.

import { useState } from 'preact/hooks';
import { formatCents, formatLedgerAmount, sortStatements } from '../billing';
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
  const statements = useBillingLoad((s) => billing.statements(patientId, s), [patientId], "the patient's statements");
  const ledger = useBillingLoad((s) => billing.ledger(patientId, null, s), [patientId], "the patient's ledger");
  const [posting, setPosting] = useState(false);
  const [voiding, setVoiding] = useState<Statement | null>(null);
  const [flash, setFlash] = useState<string | null>(null);
  const { api } = useApp();
  const profile = useBillingLoad((s) => accountApi(api).getProfile(patientId, s), [patientId], 'the patient');
  const name = profile.data ? `${profile.data.legal_name.given} ${profile.data.legal_name.family}` : null;

  const reload = (message: string) => {
    setFlash(message);
    statements.reload();
    ledger.reload();
  };

  return (
    <Page
      title={name ? `${name}: billing` : 'Patient billing'}
      heading={name ?? 'Patient billing'}
      lead={profile.data ? `Born ${formatDate(profile.data.birth_date)} · patient ${patientId}` : `Patient ${patientId}`}
    >
      <p class="bill-back">
        <Link href="/staff/billing">
          <Icon name="chevron" size={18} class="bill-back-icon" />
          Open balances
        </Link>
      </p>
      {flash ? (
        <Notice tone="success" role="status">
          <p>{flash}</p>
        </Notice>
      ) : null}
      <Loader state={statements} label="Loading statements…">
        {({ summary, items }) => (
          <>
            <section class="bill-summary" aria-label="Account summary">
              <div class={`bill-stat${summary.balance_cents > 0 ? ' bill-stat--owed' : ''}`}>
                <span class="bill-stat-label">Balance</span>
                <span class="bill-stat-value">{formatCents(summary.balance_cents, summary.currency)}</span>
                <span class="bill-stat-note">{summary.open_statements} open</span>
              </div>
              <div class={`bill-stat${summary.overdue_cents > 0 ? ' bill-stat--overdue' : ''}`}>
                <span class="bill-stat-label">Overdue</span>
                <span class="bill-stat-value">{formatCents(summary.overdue_cents, summary.currency)}</span>
              </div>
              <div class="bill-stat">
                <span class="bill-stat-label">Processing</span>
                <span class="bill-stat-value">{formatCents(summary.pending_cents, summary.currency)}</span>
              </div>
            </section>
            <section aria-labelledby="staff-statements">
              <div class="bill-section-head">
                <h2 id="staff-statements" class="section-title">
                  Statements
                </h2>
                {!posting ? (
                  <button type="button" class="button button--primary" onClick={() => setPosting(true)}>
                    Post a statement
                  </button>
                ) : null}
              </div>
              {posting ? (
                <PostStatementForm
                  patientId={patientId}
                  onCancel={() => setPosting(false)}
                  onPosted={(s) => {
                    setPosting(false);
                    reload(`Statement ${s.number} posted: ${formatCents(s.patient_responsibility_cents, s.currency)} patient responsibility.`);
                  }}
                />
              ) : null}
              <BillTable
                card
                caption="Statements"
                columns={[
                  { label: 'Statement' },
                  { label: 'Posted' },
                  { label: 'Due' },
                  { label: 'Status' },
                  { label: 'Responsibility', num: true },
                  { label: 'Balance', num: true },
                  { label: 'Actions', hidden: true },
                ]}
              >
                {sortStatements(items).map((s) => (
                  <tr key={s.id}>
                    <th scope="row" data-label="Statement">
                      {s.number}
                      <span class="muted small bill-lines-brief">{s.lines.map((l) => l.code).join(', ')}</span>
                    </th>
                    <td data-label="Posted">{formatDate(s.posted_at.slice(0, 10))}</td>
                    <td data-label="Due">{formatDate(s.due_date)}</td>
                    <td data-label="Status">
                      <StateBadge state={s.state} />
                      {s.void_reason ? <span class="muted small"> {s.void_reason}</span> : null}
                    </td>
                    <td data-label="Responsibility" class="num">
                      {formatCents(s.patient_responsibility_cents, s.currency)}
                    </td>
                    <td data-label="Balance" class="num">
                      {formatCents(s.balance_cents, s.currency)}
                    </td>
                    <td>
                      {s.status === 'open' && s.paid_cents === 0 && s.pending_cents === 0 && !s.plan_id ? (
                        <button type="button" class="button button--ghost bill-danger" onClick={() => setVoiding(s)}>
                          Void<span class="visually-hidden"> statement {s.number}</span>
                        </button>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </BillTable>
            </section>
          </>
        )}
      </Loader>
      <StaffPayments patientId={patientId} onRefunded={reload} />
      <InsuranceSection patientId={patientId} staff />
      <section aria-labelledby="staff-ledger">
        <h2 id="staff-ledger" class="section-title">
          Ledger
        </h2>
        <Loader state={ledger} label="Loading the ledger…">
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
            reload(`Statement ${s.number} voided. It stays on the ledger, marked void.`);
          }}
        />
      ) : null}
    </Page>
  );
}

export function LedgerTable({ items }: { items: LedgerEntry[] }) {
  if (items.length === 0) return <EmptyCard>No activity yet.</EmptyCard>;
  return (
    <BillTable card caption="Charges, payments and voids, newest first" columns={[{ label: 'Date' }, { label: 'Entry' }, { label: 'Amount', num: true }]}>
      {items.map((e) => (
        <tr key={e.id}>
          <td data-label="Date">{formatDateTime(e.at)}</td>
          <td data-label="Entry">{e.description}</td>
          <td data-label="Amount" class={`num${e.amount_cents < 0 ? ' bill-credit' : ''}`}>
            {formatLedgerAmount(e.amount_cents, e.currency)}
          </td>
        </tr>
      ))}
    </BillTable>
  );
}

// --- posting a statement --------------------------------------------------------------------------------
