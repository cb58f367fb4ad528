// The clinician's refill work list: open requests, oldest first, each approved or denied with a note.

import { plural, t } from '@lingui/core/macro';
import { Trans } from '@lingui/react/macro';
import '../refills.css';
import { useRef, useState } from 'preact/hooks';
import { ApiError } from '../../../shared/api/client';
import { Notice, Page } from '../../../shared/ui/ui';
import { ListBody, ShowMore } from '../../../shared/ui/Lists';
import { formatDateTime, formatPhone } from '../../../shared/format';
import { countChars, waitingText } from '../../messages/messages';
import { type RefillRequest, useRefillsApi } from '../api';
import { MAX_DECISION_NOTE_CHARS } from '../refills';
import { Link } from '../../../router';
import { BodyField, failureText } from '../../messages/pages/MessagesShared';
import { loadFailure } from '../../../shared/hooks/useLoad';
import { useLoadMore, usePagedList } from '../../../shared/hooks/usePagedList';
import { StatusPill } from './Refills';
import { SelectField, TextField } from '../../../shared/ui/ui';
import { useLoad } from '../../../shared/hooks/useLoad';
import { pharmacyOptions, prescriptionProblems, printHref } from '../refills';

export function DecisionForm({ request, onDone }: { request: RefillRequest; onDone: (r: RefillRequest) => void }) {
  const msg = useRefillsApi();
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState<'approve' | 'deny' | null>(null);
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const id = `decision-${request.id}`;
  const [rx, setRx] = useState({ drug: request.medication_name, dose: request.medication_dose, quantity: '30', refills: '0', pharmacy: request.pharmacy.id });
  const [rxErrors, setRxErrors] = useState<Partial<Record<keyof typeof rx, string>>>({});
  const pharmacies = useLoad((signal) => msg.pharmacies(request.patient_id, signal), [request.patient_id]);

  const decide = async (decision: 'approve' | 'deny') => {
    if (busy) return;
    setFailure(null);
    if (decision === 'deny' && !note.trim()) {
      setError(t`Say why the refill is not approved: the patient reads this note.`);
      requestAnimationFrame(() => noteRef.current?.focus());
      return;
    }
    if (countChars(note) > MAX_DECISION_NOTE_CHARS) {
      setError(t`Keep the note to ${MAX_DECISION_NOTE_CHARS} characters or fewer.`);
      requestAnimationFrame(() => noteRef.current?.focus());
      return;
    }
    setError(undefined);
    let prescription = null;
    if (decision === 'approve') {
      const problems = prescriptionProblems(rx);
      setRxErrors(problems);
      const first = Object.keys(problems)[0];
      if (first) {
        requestAnimationFrame(() => document.getElementById(`${id}-${first}`)?.focus());
        return;
      }
      prescription = { drug: rx.drug.trim(), dose: rx.dose.trim(), quantity: Number(rx.quantity), refills: Number(rx.refills), pharmacy_id: rx.pharmacy };
    }
    setBusy(decision);
    try {
      onDone(await msg.decideRefill(request.patient_id, request.id, { decision, note: note.trim(), prescription }));
    } catch (e) {
      if (e instanceof ApiError && e.code === 'unauthorized') return;
      setFailure(failureText(e, t`The decision wasn't saved. Please try again.`));
    } finally {
      setBusy(null);
    }
  };

  return (
    <form class="stack msg-decide" noValidate onSubmit={(e) => e.preventDefault()} aria-label={t`Decide on ${request.medication_name} for ${request.patient_name}`}>
      <fieldset class="msg-rx">
        <legend>
          <Trans>Prescription to send if you approve</Trans>
        </legend>
        <div class="msg-rx-grid">
          <TextField id={`${id}-drug`} label={t`Drug`} value={rx.drug} onValue={(v) => setRx({ ...rx, drug: v })} error={rxErrors.drug} maxLength={200} />
          <TextField id={`${id}-dose`} label={t`Dose`} value={rx.dose} onValue={(v) => setRx({ ...rx, dose: v })} error={rxErrors.dose} maxLength={100} />
          <TextField id={`${id}-quantity`} label={t`Quantity`} hint={t`Units to dispense`} inputMode="numeric" value={rx.quantity} onValue={(v) => setRx({ ...rx, quantity: v })} error={rxErrors.quantity} />
          <TextField id={`${id}-refills`} label={t`Refills`} hint={t`0 to 11`} inputMode="numeric" value={rx.refills} onValue={(v) => setRx({ ...rx, refills: v })} error={rxErrors.refills} />
        </div>
        <SelectField
          id={`${id}-pharmacy`}
          label={t`Pharmacy`}
          value={rx.pharmacy}
          onValue={(v) => setRx({ ...rx, pharmacy: v })}
          error={rxErrors.pharmacy}
          options={pharmacyOptions(request, pharmacies.data?.items ?? [])}
        />
      </fieldset>
      <BodyField
        id={id}
        label={t`Note for the patient`}
        hint={t`Optional when approving; needed when not approving.`}
        value={note}
        onValue={setNote}
        error={error}
        max={MAX_DECISION_NOTE_CHARS}
        rows={2}
        inputRef={noteRef}
      />
      {failure ? (
        <Notice tone="error" role="alert">
          <p>{failure}</p>
        </Notice>
      ) : null}
      <div class="msg-decide-actions">
        <button type="button" class="button button--primary" onClick={() => decide('approve')} aria-disabled={busy ? 'true' : undefined}>
          {busy === 'approve' ? t`Approving…` : t`Approve`}
          <span class="visually-hidden">{t` ${request.medication_name} for ${request.patient_name}`}</span>
        </button>
        <button type="button" class="button button--secondary msg-deny" onClick={() => decide('deny')} aria-disabled={busy ? 'true' : undefined}>
          {busy === 'deny' ? t`Saving…` : t`Deny`}
          <span class="visually-hidden">{t` ${request.medication_name} for ${request.patient_name}`}</span>
        </button>
      </div>
    </form>
  );
}

export function StaffRefillsPage() {
  const msg = useRefillsApi();
  const [done, setDone] = useState<Record<string, RefillRequest>>({});
  const [announcement, setAnnouncement] = useState('');
  const list = usePagedList<RefillRequest>((cursor, signal) => msg.refillWorkList(cursor, signal), [], { keepItems: true });
  const { items } = list;
  const { moreError, clearMoreError, loadMore } = useLoadMore(list, t`We couldn't load more requests. Please try again.`);
  const error = loadFailure(list.error, t`We couldn't load the refill requests. Please try again.`) ?? moreError;
  const retry = () => {
    clearMoreError();
    list.reload();
  };

  const open = items?.filter((r) => !done[r.id]).length ?? 0;

  return (
    <Page
      title={t`Refill requests`}
      lead={t`Open requests from patients, oldest first. The patient gets an email (without details) when you decide.`}
    >
      <p class="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
      <ListBody error={error} onRetry={retry} items={items} loadingLabel={t`Loading refill requests…`} empty={<p>{t`No open refill requests.`}</p>}>
        {(shown) => (
          <>
            <p class="muted">{plural(open, { one: '# request waiting', other: '# requests waiting' })}</p>
            <ul class="msg-refills msg-refills--work" data-testid="refill-worklist">
              {shown.map((r) => {
                const decided = done[r.id];
                return (
                  <li key={r.id} class="card msg-refill" data-refill-id={r.id}>
                    <div class="msg-refill-head">
                      <h2 class="msg-refill-title">
                        {r.medication_name}
                        <span class="msg-refill-patient">{t` for ${r.patient_name}`}</span>
                      </h2>
                      {decided ? <StatusPill request={decided} /> : <span class="msg-pill msg-pill--waiting" title={formatDateTime(r.requested_at)}>{t`Waiting ${waitingText(r.requested_at)}`}</span>}
                    </div>
                    <dl class="msg-dl msg-dl--inline">
                      <div>
                        <dt>
                          <Trans>Dose</Trans>
                        </dt>
                        <dd>{r.medication_dose}</dd>
                      </div>
                      <div>
                        <dt>
                          <Trans>Pharmacy</Trans>
                        </dt>
                        <dd>
                          {r.pharmacy.name}, {formatPhone(r.pharmacy.phone)}
                        </dd>
                      </div>
                      <div>
                        <dt>
                          <Trans>Requested by</Trans>
                        </dt>
                        <dd>{r.requested_by_name}</dd>
                      </div>
                    </dl>
                    {r.note ? <p class="msg-refill-note">{t`Patient's note: ${r.note}`}</p> : null}
                    <p class="small">
                      <Link href={`/staff/patients/${encodeURIComponent(r.patient_id)}`}>{t`Open ${r.patient_name}'s chart`}</Link>
                    </p>
                    {decided ? (
                      <>
                        <p class="msg-decision-who">
                          {decided.status === 'approved' ? t`Approved` : t`Denied`}
                          {decided.decision_note ? `: ${decided.decision_note}` : '.'}
                        </p>
                        {decided.status === 'approved' && decided.prescription ? (
                          <p>
                            <Link href={printHref(decided)}>
                              <Trans>
                                Print the prescription request<span class="visually-hidden"> for {decided.patient_name}</span>
                              </Trans>
                            </Link>
                          </p>
                        ) : null}
                      </>
                    ) : (
                      <DecisionForm
                        request={r}
                        onDone={(result) => {
                          setDone((prev) => ({ ...prev, [r.id]: result }));
                          setAnnouncement(
                            result.status === 'approved'
                              ? t`${result.medication_name} for ${result.patient_name}: approved.`
                              : t`${result.medication_name} for ${result.patient_name}: denied.`,
                          );
                        }}
                      />
                    )}
                  </li>
                );
              })}
            </ul>
            <ShowMore shown={list.hasMore} onClick={loadMore} label={t`Show more`} />
          </>
        )}
      </ListBody>
    </Page>
  );
}
