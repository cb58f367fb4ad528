// A patient adds or replaces an insurance card: its details, and photos of both sides uploaded the way
// documents are (presigned upload, then the server checks the file's type). The clinic checks it later.

import { t } from '@lingui/core/macro';
import { Trans } from '@lingui/react/macro';
import { useRef, useState } from 'preact/hooks';
import { ApiError } from '../../../shared/api/client';
import type { Insurance } from '../api';
import { Field, Notice, TextField } from '../../../shared/ui/ui';
import { useApp } from '../../../shared/context';
import { recordsApi } from '../../records/api';
import { checkUpload } from '../../records/records';
import { uploadDocument } from '../../records/upload';
import { useBilling } from './BillingShared';

type Side = 'front' | 'back';

export function InsuranceCardForm({
  patientId,
  replacing,
  holderName,
  onSaved,
  onCancel,
}: {
  patientId: string;
  replacing: Insurance | null;
  holderName: string;
  onSaved: (saved: Insurance) => void;
  onCancel: () => void;
}) {
  const { api } = useApp();
  const billing = useBilling();
  const [payer, setPayer] = useState(replacing?.payer_name ?? '');
  const [member, setMember] = useState(replacing?.member_id ?? '');
  const [group, setGroup] = useState(replacing?.group_number ?? '');
  const [holder, setHolder] = useState(replacing?.subscriber.name ?? holderName);
  const [files, setFiles] = useState<Record<Side, File | null>>({ front: null, back: null });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const failureRef = useRef<HTMLDivElement>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const found: Record<string, string> = {};
    if (!payer.trim()) found.payer_name = t`Enter the insurance company, as shown on the card.`;
    if (!/^[A-Za-z0-9][A-Za-z0-9 -]{0,29}$/.test(member.trim())) found.member_id = t`Enter the member ID: letters, numbers, spaces and dashes.`;
    if (group.trim() && !/^[A-Za-z0-9][A-Za-z0-9 -]{0,29}$/.test(group.trim())) found.group_number = t`Use letters, numbers, spaces and dashes.`;
    if (!holder.trim()) found.subscriber = t`Enter the policy holder's name.`;
    for (const side of ['front', 'back'] as const) {
      const file = files[side];
      const check = file ? checkUpload(file) : null;
      if (check && !check.ok) found[`card_${side}`] = check.message;
    }
    setErrors(found);
    if (Object.keys(found).length > 0) {
      requestAnimationFrame(() => document.getElementById(`ins-${Object.keys(found)[0]}`)?.focus());
      return;
    }
    setBusy(true);
    setFailure(null);
    try {
      const ids: Record<Side, string | null> = { front: replacing?.card_front_document_id ?? null, back: replacing?.card_back_document_id ?? null };
      for (const side of ['front', 'back'] as const) {
        const file = files[side];
        const check = file ? checkUpload(file) : null;
        if (file && check?.ok) {
          const doc = await uploadDocument(recordsApi(api), patientId, file, side === 'front' ? 'insurance_card_front' : 'insurance_card_back', check.contentType);
          ids[side] = doc.id;
        }
      }
      const body = {
        payer_name: payer.trim(),
        member_id: member.trim(),
        group_number: group.trim() || null,
        plan_name: replacing?.plan_name ?? null,
        priority: replacing?.priority ?? ('primary' as const),
        subscriber: {
          name: holder.trim(),
          relationship: holder.trim() === holderName ? ('self' as const) : ('other' as const),
          birth_date: null,
        },
        card_front_document_id: ids.front,
        card_back_document_id: ids.back,
      };
      const saved = replacing ? await billing.updateInsurance(patientId, replacing.id, { ...body, version: replacing.version }) : await billing.addInsurance(patientId, body);
      onSaved(saved);
    } catch (e) {
      setFailure(
        e instanceof ApiError && e.status === 415
          ? t`A photo isn't a real JPEG, PNG or PDF, so it wasn't kept. Take the photo again.`
          : e instanceof ApiError && (e.status === 400 || e.status === 409)
            ? e.message.charAt(0).toUpperCase() + e.message.slice(1).replace(/\.?$/, '.')
            : t`Your card didn't save. Please try again.`,
      );
      requestAnimationFrame(() => failureRef.current?.focus());
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card profile-form bill-insurance-form" onSubmit={submit} noValidate aria-labelledby="ins-form-title">
      <h3 id="ins-form-title">{replacing ? t`Replace ${replacing.payer_name}` : t`Add an insurance card`}</h3>
      <div ref={failureRef} tabIndex={-1} class="status-anchor">
        {failure ? (
          <Notice tone="error" role="alert">
            <p>{failure}</p>
          </Notice>
        ) : null}
      </div>
      <TextField id="ins-payer_name" label={t`Insurance company`} value={payer} onValue={setPayer} error={errors.payer_name} maxLength={100} autoComplete="off" />
      <TextField id="ins-member_id" label={t`Member ID`} value={member} onValue={setMember} error={errors.member_id} maxLength={30} autoComplete="off" spellcheck={false} />
      <TextField id="ins-group_number" label={t`Group number`} optional value={group} onValue={setGroup} error={errors.group_number} maxLength={30} autoComplete="off" spellcheck={false} />
      <TextField id="ins-subscriber" label={t`Policy holder`} hint={t`The person the insurance is in the name of.`} value={holder} onValue={setHolder} error={errors.subscriber} maxLength={100} autoComplete="off" />
      {(['front', 'back'] as const).map((side) => (
        <Field key={side} id={`ins-card_${side}`} label={side === 'front' ? t`Photo of the card's front` : t`Photo of the card's back`} optional hint={t`JPEG, PNG or PDF.`} error={errors[`card_${side}`]}>
          {(describedBy, invalid) => (
            <input
              id={`ins-card_${side}`}
              type="file"
              accept="image/jpeg,image/png,application/pdf"
              aria-describedby={describedBy}
              aria-invalid={invalid}
              onChange={(e) => setFiles((f) => ({ ...f, [side]: (e.currentTarget as HTMLInputElement).files?.[0] ?? null }))}
            />
          )}
        </Field>
      ))}
      <div class="form-actions">
        <button type="submit" class="button button--primary" aria-disabled={busy ? 'true' : undefined}>
          {busy ? t`Saving…` : t`Save card`}
        </button>
        <button type="button" class="button button--secondary" onClick={onCancel}>
          <Trans>Cancel</Trans>
        </button>
      </div>
    </form>
  );
}
