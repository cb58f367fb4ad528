// Paying a statement, in full or in part (the receipt and payment plans have their own files).
//
// Never charging twice: every submission of one attempt (a double click, a retry after a lost answer) sends
// the same Idempotency-Key, so the API answers with the first result; a changed amount or card, or trying
// again after a final answer, is a new attempt with a new key.

import { Page } from '../../../shared/ui/ui';
import { useApp } from '../../../shared/context';
import { Loader, useBilling, useBillingLoad } from './BillingShared';
import { BackLink } from './BillingPayParts';
import { PayForm } from './BillingPayForm';

// --- pay ------------------------------------------------------------------------------------------

export function PayPage({ statementId }: { statementId: string }) {
  const { patient } = useApp();
  const billing = useBilling();
  const pid = patient!.id;
  const statement = useBillingLoad((s) => billing.statement(pid, statementId, s), [pid, statementId], 'this statement');
  const settings = useBillingLoad((s) => billing.settings(s), [], 'how the clinic takes cards');

  return (
    <Page
      title="Pay a bill"
      heading={
        statement.data ? (
          <>
            Pay statement <span class="bill-nowrap">{statement.data.number}</span>
          </>
        ) : (
          'Pay a bill'
        )
      }
    >
      <BackLink statement={statement.data} />
      <Loader state={statement} label="Loading the statement…">
        {(s) => (
          <Loader state={settings} label="Loading…">
            {(cfg) => <PayForm key={s.id} statement={s} settings={cfg} onStatement={statement.set} />}
          </Loader>
        )}
      </Loader>
    </Page>
  );
}
