// Prescription refills for the patient: ask for an active medication to be refilled at a saved pharmacy and
// follow the status (clinicians decide in RefillsStaff).

import { plural, t } from '@lingui/core/macro';
import { Trans } from '@lingui/react/macro';
import '../refills.css';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../../shared/api/client';
import { recordsApi } from '../../records/api';
import { ErrorSummary, Field, Loading, Notice, Page, type SummaryItem } from '../../../shared/ui/ui';
import { LoadFailed } from '../../../shared/ui/Lists';
import { useApp } from '../../../shared/context';
import { formatDateTime, formatPhone } from '../../../shared/format';
import { announceUnreadChanged, countChars } from '../../messages/messages';
import { type Pharmacy, type RefillRequest, useRefillsApi } from '../api';
import { MAX_REFILL_NOTE_CHARS, pharmacyLine, REFILL_STATUS, refillChoices, refillsRemaining } from '../refills';
import { Link } from '../../../router';
import { BodyField, ChoiceFieldset, failureText } from '../../messages/pages/MessagesShared';
import { PharmacyManager } from './RefillsPharmacies';
import { loadFailure, useLoad } from '../../../shared/hooks/useLoad';
import { usePagedList } from '../../../shared/hooks/usePagedList';

function checkNoteText(problem: string): string {
  return t`Check the note: ${problem}`;
}

function refillsForText(name: string): string {
  return t`Refills for ${name}.`;
}

function requestedText(when: string): string {
  return t`Requested ${when}`;
}

function yourNoteText(note: string): string {
  return t`Your note: ${note}`;
}

export function StatusPill({ request }: { request: RefillRequest }) {
  const s = REFILL_STATUS[request.status];
  return <span class={`msg-pill msg-pill--${s.tone}`}>{s.label}</span>;
}

function remainingText(when: string, drug: string, count: number, pharmacy: string, phone: string): string {
  return plural(count, {
    one: `On ${when} your clinician approved ${drug} with # refill at ${pharmacy} (${phone}). Some may still be waiting there: call the pharmacy first. You can still send a new request.`,
    other: `On ${when} your clinician approved ${drug} with # refills at ${pharmacy} (${phone}). Some may still be waiting there: call the pharmacy first. You can still send a new request.`,
  });
}

function sentText(medication: string): string {
  return t`Your refill request for ${medication} was sent. We'll email you when your care team has answered.`;
}

function decisionText(approved: boolean, who: string, when: string): string {
  return approved ? t`Approved by ${who} on ${when}` : t`Not approved by ${who} on ${when}`;
}

/** Refills from an earlier approval may still wait at the pharmacy: say so before a new request. */
function RemainingRefills({ medicationId, requests }: { medicationId: string; requests: RefillRequest[] }) {
  const earlier = medicationId ? refillsRemaining(medicationId, requests) : null;
  if (!earlier?.prescription || !earlier.decided_at) return null;
  const rx = earlier.prescription;
  return (
    <Notice tone="info" title={t`You may still have refills at your pharmacy`}>
      <p>{remainingText(formatDateTime(earlier.decided_at), rx.drug, rx.refills, rx.pharmacy.name, formatPhone(rx.pharmacy.phone))}</p>
    </Notice>
  );
}

export function PatientRefillsPage() {
  const { api, patient } = useApp();
  const msg = useRefillsApi();
  // "Request a refill" on a medication in the record lands here with that medication chosen.
  const [medication, setMedication] = useState(() => new URLSearchParams(location.search).get('medication') ?? '');
  const [pharmacy, setPharmacy] = useState('');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<{ medication?: string; pharmacy?: string; note?: string }>({});
  const [status, setStatus] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const statusRef = useRef<HTMLDivElement>(null);
  const pid = patient?.id ?? null;
  const forSelf = patient?.relationship === 'self';

  const context = useLoad(
    (signal) =>
      Promise.all([recordsApi(api).healthSummary(pid!, signal), msg.pharmacies(pid!, signal)]).then(([summary, saved]) => {
        setPharmacy((current) => current || (saved.items[0]?.id ?? ''));
        return { medications: summary.medications, pharmacies: saved.items };
      }),
    [pid],
    { enabled: pid !== null, keepData: true },
  );
  const list = usePagedList<RefillRequest>((cursor, signal) => msg.refills(pid!, cursor, signal), [pid], { enabled: pid !== null, keepItems: true });
  const medications = context.data?.medications ?? null;
  const pharmacies = context.data?.pharmacies ?? null;
  const setPharmacies = (next: Pharmacy[]) => context.set((c) => (c ? { ...c, pharmacies: next } : c));
  const requests = list.items;
  const setRequests = list.setItems;
  const loadError = loadFailure(context.error ?? list.error, t`We couldn't load your medications and refill requests. Please try again.`);
  const retry = () => {
    context.reload();
    list.reload();
  };

  useEffect(() => {
    if (status) requestAnimationFrame(() => statusRef.current?.focus());
  }, [status]);

  const choices = medications && requests ? refillChoices(medications, requests) : [];

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!pid || busy) return;
    const found: typeof errors = {};
    if (!medication) found.medication = t`Choose the medication to refill.`;
    if (!pharmacy) found.pharmacy = t`Choose the pharmacy to send it to.`;
    if (countChars(note) > MAX_REFILL_NOTE_CHARS) found.note = t`Keep the note to ${MAX_REFILL_NOTE_CHARS} characters or fewer.`;
    setErrors(found);
    if (Object.keys(found).length) {
      setStatus(null);
      requestAnimationFrame(() => statusRef.current?.focus());
      return;
    }
    setBusy(true);
    setStatus(null);
    try {
      const created = await msg.requestRefill(pid, { medication_id: medication, pharmacy_id: pharmacy, note: note.trim() });
      setRequests((prev) => [created, ...prev]);
      setMedication('');
      setNote('');
      setStatus({ tone: 'success', text: sentText(created.medication_name) });
      announceUnreadChanged();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'unauthorized') return;
      if (e instanceof ApiError && e.status === 400 && Object.keys(e.fields).length) {
        setErrors({
          ...(e.fields.medication_id ? { medication: e.fields.medication_id } : {}),
          ...(e.fields.pharmacy_id ? { pharmacy: e.fields.pharmacy_id } : {}),
          ...(e.fields.note ? { note: checkNoteText(e.fields.note) } : {}),
        });
        requestAnimationFrame(() => statusRef.current?.focus());
      } else {
        setStatus({ tone: 'error', text: failureText(e, t`Your request wasn't sent. Please try again.`) });
      }
    } finally {
      setBusy(false);
    }
  };

  const loadMore = async () => {
    try {
      await list.loadMore();
    } catch (e) {
      setStatus({ tone: 'error', text: failureText(e, t`We couldn't load more requests. Please try again.`) });
    }
  };

  const summary: SummaryItem[] = [
    ...(errors.medication ? [{ target: 'refill-medication', text: errors.medication }] : []),
    ...(errors.pharmacy ? [{ target: `refill-pharmacy-${pharmacies?.[0]?.id ?? ''}`, text: errors.pharmacy }] : []),
    ...(errors.note ? [{ target: 'refill-note', text: errors.note }] : []),
  ];

  return (
    <Page
      title={t`Prescription refills`}
      lead={forSelf || !patient ? t`Ask your care team to refill a medication you take now.` : refillsForText(patient.display_name)}
    >
      <p class="msg-back">
        <Link href="/messages">← {t`Messages`}</Link>
      </p>
      {loadError ? (
        <LoadFailed error={loadError} onRetry={retry} />
      ) : !requests || !pharmacies || !medications ? (
        <Loading label={t`Loading refills…`} />
      ) : (
        <div class="msg-refill-layout">
          <section class="card" aria-labelledby="refill-form-title">
            <h2 id="refill-form-title">{t`Request a refill`}</h2>
            <div ref={statusRef} tabIndex={-1} role="status" aria-live="polite" class="status-anchor">
              {status ? (
                <Notice tone={status.tone}>
                  <p>{status.text}</p>
                </Notice>
              ) : (
                <ErrorSummary items={summary} />
              )}
            </div>
            {choices.length === 0 ? (
              <p class="muted">{t`There are no active medications on the record to refill. Send your care team a message if you need one.`}</p>
            ) : (
              <form class="stack" onSubmit={submit} noValidate>
                <Field id="refill-medication" label={t`Medication`} hint={t`Only medications you take now can be refilled.`} error={errors.medication}>
                  {(describedBy, invalid) => (
                    <select
                      id="refill-medication"
                      value={medication}
                      aria-describedby={describedBy}
                      aria-invalid={invalid ? 'true' : undefined}
                      onChange={(e) => setMedication((e.currentTarget as HTMLSelectElement).value)}
                    >
                      <option value="">{t`Choose a medication`}</option>
                      {choices.map(({ medication: m, blocked }) => (
                        <option key={m.id} value={m.id} disabled={blocked !== null}>
                          {m.name}
                          {blocked ? ` (${blocked})` : ''}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                <RemainingRefills medicationId={medication} requests={requests ?? []} />
                {pharmacies.length === 0 ? (
                  <Notice tone="warning" title={t`No saved pharmacy`}>
                    <p>
                      <Trans>
                        <a href="#pharmacies">Add the pharmacy</a> your refills should go to first.
                      </Trans>
                    </p>
                  </Notice>
                ) : (
                  <ChoiceFieldset legend={t`Pharmacy`} errorId="refill-pharmacy-error" error={errors.pharmacy}>
                    <div class="msg-pool-options msg-pool-options--stacked">
                      {pharmacies.map((p) => (
                        <label key={p.id} class="msg-pool" for={`refill-pharmacy-${p.id}`}>
                          <input
                            type="radio"
                            id={`refill-pharmacy-${p.id}`}
                            name="pharmacy"
                            value={p.id}
                            checked={pharmacy === p.id}
                            onChange={() => setPharmacy(p.id)}
                          />
                          <span>
                            <span class="msg-pharmacy-name">{p.name}</span>
                            <span class="msg-pharmacy-line">
                              {pharmacyLine(p)} · {formatPhone(p.phone)}
                            </span>
                          </span>
                        </label>
                      ))}
                    </div>
                  </ChoiceFieldset>
                )}
                <BodyField
                  id="refill-note"
                  label={t`Note for your care team (optional)`}
                  hint={t`For example, how many pills you have left.`}
                  value={note}
                  onValue={setNote}
                  error={errors.note}
                  max={MAX_REFILL_NOTE_CHARS}
                  rows={3}
                />
                <div class="form-actions msg-form-actions">
                  <button type="submit" class="button button--primary" aria-disabled={busy || pharmacies.length === 0 ? 'true' : undefined}>
                    {busy ? t`Sending…` : t`Request refill`}
                  </button>
                </div>
              </form>
            )}
          </section>

          {pid && pharmacies ? (
            <PharmacyManager
              pid={pid}
              pharmacies={pharmacies}
              onChange={(next, added) => {
                setPharmacies(next);
                setPharmacy((current) => (added ? added.id : next.some((p) => p.id === current) ? current : (next[0]?.id ?? '')));
              }}
            />
          ) : null}

          <section aria-labelledby="refill-list-title">
            <h2 id="refill-list-title" class="section-title">
              {t`Your requests`}
            </h2>
            {requests.length === 0 ? (
              <div class="card empty">
                <p>{t`No refill requests yet.`}</p>
              </div>
            ) : (
              <ul class="msg-refills" data-testid="refill-list">
                {requests.map((r) => (
                  <li key={r.id} class="card msg-refill" data-refill-id={r.id}>
                    <div class="msg-refill-head">
                      <h3>{r.medication_name}</h3>
                      <StatusPill request={r} />
                    </div>
                    <p class="muted small">
                      {requestedText(formatDateTime(r.requested_at))} · {r.pharmacy.name}
                    </p>
                    {r.note ? <p class="msg-refill-note">{yourNoteText(r.note)}</p> : null}
                    {r.decided_at ? (
                      <div class={`msg-decision msg-decision--${REFILL_STATUS[r.status].tone}`}>
                        <p class="msg-decision-who">
                          {decisionText(r.status === 'approved', r.decided_by_name ?? '', formatDateTime(r.decided_at))}
                        </p>
                        {r.decision_note ? <p class="msg-body">{r.decision_note}</p> : null}
                        {r.prescription ? (
                          <dl class="msg-dl msg-dl--inline msg-rx-facts">
                            <div>
                              <dt>{t`Drug`}</dt>
                              <dd>{r.prescription.drug}</dd>
                            </div>
                            <div>
                              <dt>{t`Dose`}</dt>
                              <dd>{r.prescription.dose}</dd>
                            </div>
                            <div>
                              <dt>{t`Quantity`}</dt>
                              <dd>{r.prescription.quantity}</dd>
                            </div>
                            <div>
                              <dt>{t`Refills`}</dt>
                              <dd>{r.prescription.refills}</dd>
                            </div>
                            <div>
                              <dt>{t`Sent to`}</dt>
                              <dd>
                                {r.prescription.pharmacy.name}, {formatPhone(r.prescription.pharmacy.phone)}
                              </dd>
                            </div>
                          </dl>
                        ) : null}
                      </div>
                    ) : null}
                  </li>
                ))}
              </ul>
            )}
            {list.hasMore ? (
              <p class="center">
                <button type="button" class="button button--secondary" onClick={loadMore}>
                  {t`Show older requests`}
                </button>
              </p>
            ) : null}
          </section>
        </div>
      )}
    </Page>
  );
}
