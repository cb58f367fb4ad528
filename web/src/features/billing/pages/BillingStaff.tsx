// Billing staff's open-balance work list (a patient's ledger is in BillingLedger), and the statement draft
// helpers the ledger's forms use (line items typed in dollars, sent as integer cents).

import { plural, t } from '@lingui/core/macro';
import { DisputesSection } from './BillingRefunds';
import { useState } from 'preact/hooks';
import { formatCents } from '../billing';
import type { OpenBalance } from '../api';
import { Page } from '../../../shared/ui/ui';
import { ShowMore } from '../../../shared/ui/Lists';
import { formatDate } from '../../../shared/format';
import { Link } from '../../../router';
import { BillTable, EmptyCard, errorText, Loader, loadErrorText, StateBadge, useBilling } from './BillingShared';
import { usePagedList } from '../../../shared/hooks/usePagedList';

// --- work list -----------------------------------------------------------------------------------

export function StaffWorkListPage() {
  const billing = useBilling();
  const [overdueOnly, setOverdueOnly] = useState(false);
  const [announce, setAnnounce] = useState('');
  const balances = usePagedList<OpenBalance>((cursor, s) => billing.openBalances(overdueOnly, cursor, s), [overdueOnly], { keepItems: true });
  const { loadingMore } = balances;
  const list = { data: balances.items, error: loadErrorText(balances.error, t`the open balances`), reload: balances.reload };

  const loadMore = async () => {
    try {
      const page = await balances.loadMore();
      if (page) {
        const count = page.items.length;
        const loaded = plural(count, { one: '# more loaded.', other: '# more loaded.' });
        setAnnounce(page.next_cursor ? loaded : `${loaded} ${t`That is all of them.`}`);
      }
    } catch (e) {
      setAnnounce(errorText(e, t`We couldn't load more. Please try again.`));
    }
  };

  return (
    <Page title={t`Open balances`} lead={t`Open statements of all patients, oldest due date first.`}>
      <div class="bill-toolbar">
        <div class="check">
          <input
            type="checkbox"
            id="wl-overdue"
            checked={overdueOnly}
            onChange={(e) => setOverdueOnly((e.currentTarget as HTMLInputElement).checked)}
          />
          <label for="wl-overdue">{t`Overdue only`}</label>
        </div>
      </div>
      <Loader state={list} label={t`Loading open balances…`}>
        {(items) => {
          const total = formatCents(
            items.reduce((sum, i) => sum + i.balance_cents, 0),
            items[0]?.currency,
          );
          const shown = items.length;
          if (shown === 0) {
            return (
              <EmptyCard>{overdueOnly ? t`No overdue balances. Nice work.` : t`No open balances.`}</EmptyCard>
            );
          }
          return (
            <>
              <p class="bill-worklist-total">
                {plural(shown, { one: '# statement shown', other: '# statements shown' })} · {t`${total} open`}
              </p>
              <BillTable
                card
                class="bill-worklist"
                caption={overdueOnly ? t`Open balances, overdue only` : t`Open balances`}
                columns={[{ label: t`Patient` }, { label: t`Statement` }, { label: t({ message: 'Due', context: 'column: due date' }) }, { label: t`Status` }, { label: t`Balance`, num: true }]}
              >
                {items.map((i) => {
                  const pending = formatCents(i.pending_cents, i.currency);
                  const responsibility = formatCents(i.patient_responsibility_cents, i.currency);
                  return (
                    <tr key={i.statement_id}>
                      <th scope="row" data-label={t`Patient`}>
                        <Link href={`/staff/billing/patients/${encodeURIComponent(i.patient_id)}`}>{i.patient_name || i.patient_id}</Link>
                      </th>
                      <td data-label={t`Statement`}>{i.number}</td>
                      <td data-label={t({ message: 'Due', context: 'column: due date' })}>{formatDate(i.due_date)}</td>
                      <td data-label={t`Status`}>
                        <span class="bill-cell-tags">
                          <StateBadge state={i.state} />
                          {i.on_payment_plan ? <span class="bill-badge bill-badge--plan-active">{t`Payment plan`}</span> : null}
                          {i.pending_cents > 0 ? <span class="bill-badge">{t`${pending} processing`}</span> : null}
                        </span>
                      </td>
                      <td data-label={t`Balance`} class="num">
                        <strong>{formatCents(i.balance_cents, i.currency)}</strong>
                        <span class="muted small"> {t`of ${responsibility}`}</span>
                      </td>
                    </tr>
                  );
                })}
              </BillTable>
              <ShowMore shown={balances.hasMore} onClick={loadMore} busy={loadingMore} label={t`Show more`} />
            </>
          );
        }}
      </Loader>
      <p class="visually-hidden" aria-live="polite">
        {announce}
      </p>
      <DisputesSection />
    </Page>
  );
}

// --- one patient's ledger --------------------------------------------------------------------------

export interface LineDraft {
  description: string;
  code: string;
  date: string;
  charge: string;
}

export const emptyLine = (): LineDraft => ({ description: '', code: '', date: '', charge: '' });

export function inDays(days: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
