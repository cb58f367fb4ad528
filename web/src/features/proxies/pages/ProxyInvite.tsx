// On the patient's own Profile page: "Invite someone to help with your care" (an adult patient picks the
// areas, view-only or acting, and an end date; the caregiver gets an email with a code), and "Accept a
// caregiver invitation" (someone who already has a portal account enters the code they were emailed).

import { t } from '@lingui/core/macro';
import { useMemo, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../../shared/api/client';
import { ErrorSummary, Notice, SelectField, type SummaryItem, TextField } from '../../../shared/ui/ui';
import { useApp } from '../../../shared/context';
import { announceAccessChanged, RELATIONSHIPS, todayInput } from '../proxies';
import { EMPTY_SCOPE, ScopeFields, type ScopeForm, scopeBody } from '../ScopeFields';
import { proxiesApi, type ProxyRelationship } from '../api';

interface InviteForm {
  caregiver_name: string;
  email: string;
  relationship: ProxyRelationship | '';
  expires_on: string;
}
type InviteField = keyof InviteForm | 'scope';
const EMPTY_INVITE: InviteForm = { caregiver_name: '', email: '', relationship: '', expires_on: '' };

export function validateInvite(form: InviteForm, scope: ScopeForm, now: Date = new Date()): Partial<Record<InviteField, string>> {
  const errors: Partial<Record<InviteField, string>> = {};
  if (!form.caregiver_name.trim()) errors.caregiver_name = t`Enter their name.`;
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(form.email.trim())) errors.email = t`Enter their email address, like name@example.com.`;
  if (!form.relationship) errors.relationship = t`Choose how they are related to you.`;
  if (!scope.whole && scope.areas.length === 0) errors.scope = t`Choose at least one area, or everything.`;
  if (form.expires_on && form.expires_on < todayInput(now)) errors.expires_on = t`Choose today or a later date.`;
  return errors;
}

const LABELS: Record<InviteField, string> = {
  get caregiver_name() {
    return t`Their name`;
  },
  get email() {
    return t`Their email address`;
  },
  get relationship() {
    return t`How they are related to you`;
  },
  get expires_on() {
    return t`Last day of access`;
  },
  get scope() {
    return t`What they can use`;
  },
};
const inviteId = (f: InviteField) => `proxy-invite-${f.replace(/_/g, '-')}`;

export function ProxyInviteCard({ patientId, onInvited }: { patientId: string; onInvited?: () => void }) {
  const { api } = useApp();
  const client = useMemo(() => proxiesApi(api), [api]);
  const [form, setForm] = useState<InviteForm>(EMPTY_INVITE);
  const [scope, setScope] = useState<ScopeForm>(EMPTY_SCOPE);
  const [errors, setErrors] = useState<Partial<Record<InviteField, string>>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(false);
  const summaryRef = useRef<HTMLDivElement>(null);
  const set = (field: keyof InviteForm) => (value: string) => setForm((f) => ({ ...f, [field]: value }));

  const summary: SummaryItem[] = Object.entries(errors).map(([field, message]) => ({ target: inviteId(field as InviteField), text: message ?? '' }));
  if (failure) summary.push({ target: null, text: failure });

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    const found = validateInvite(form, scope);
    setErrors(found);
    setFailure(null);
    setDone('');
    if (Object.keys(found).length > 0) {
      queueMicrotask(() => summaryRef.current?.focus());
      return;
    }
    setBusy(true);
    try {
      const sent = await client.invite(patientId, {
        caregiver_name: form.caregiver_name.trim(),
        email: form.email.trim(),
        relationship: form.relationship as ProxyRelationship,
        scope: scopeBody(scope),
        expires_on: form.expires_on || null,
      });
      setDone(
        sent.email_sent
          ? t`We emailed an invitation to ${sent.caregiver_name}. Their access starts when they accept it.`
          : t`The invitation to ${sent.caregiver_name} is ready, but the email could not be sent. Please try again later.`,
      );
      setForm(EMPTY_INVITE);
      setScope(EMPTY_SCOPE);
      onInvited?.();
    } catch (err) {
      setFailure(err instanceof ApiError ? sentenceOf(err.message) : t`We could not send the invitation. Please try again.`);
      queueMicrotask(() => summaryRef.current?.focus());
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card proxy-card" aria-labelledby="proxy-invite-title">
      <h2 id="proxy-invite-title">{t`Invite someone to help with your care`}</h2>
      <p class="muted">
        {t`They get an email with a code (it says nothing about your health). You choose what they can see and do, and you can change or end it here at any time.`}
      </p>
      <div role="status" aria-live="polite">
        {done ? (
          <Notice tone="success">
            <p>{done}</p>
          </Notice>
        ) : null}
      </div>
      <form onSubmit={submit} noValidate aria-labelledby="proxy-invite-title">
        <div ref={summaryRef} tabIndex={-1} class="status-anchor">
          <ErrorSummary items={summary} title={t`The invitation wasn't sent`} />
        </div>
        <div class="form-grid">
          <TextField id={inviteId('caregiver_name')} label={LABELS.caregiver_name} value={form.caregiver_name} onValue={set('caregiver_name')} error={errors.caregiver_name} autoComplete="off" maxLength={100} />
          <TextField id={inviteId('email')} label={LABELS.email} value={form.email} onValue={set('email')} error={errors.email} type="email" autoComplete="off" maxLength={254} />
          <SelectField
            id={inviteId('relationship')}
            label={LABELS.relationship}
            error={errors.relationship}
            value={form.relationship}
            onValue={(value: ProxyRelationship) => set('relationship')(value)}
            options={RELATIONSHIPS}
          />
          <TextField
            id={inviteId('expires_on')}
            label={LABELS.expires_on}
            value={form.expires_on}
            onValue={set('expires_on')}
            error={errors.expires_on}
            optional
            type="date"
            min={todayInput()}
            hint={t`Leave empty for no end date.`}
          />
          <ScopeFields id={inviteId('scope')} value={scope} onValue={setScope} error={errors.scope} />
        </div>
        <div class="form-actions">
          <button type="submit" class="button button--primary" aria-disabled={busy ? 'true' : undefined}>
            {busy ? t`Sending…` : t`Send invitation`}
          </button>
        </div>
      </form>
    </section>
  );
}

export function ProxyAcceptCard() {
  const { api } = useApp();
  const client = useMemo(() => proxiesApi(api), [api]);
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setDone('');
    if (code.trim().length < 4) {
      setError(t`Enter the code from your invitation email.`);
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await client.accept(code.trim());
      setCode('');
      setDone(t`Invitation accepted. Choose the record from “Viewing record of” at the top of the page.`);
      announceAccessChanged();
    } catch (err) {
      setError(err instanceof ApiError && err.status === 404 ? t`This code does not match an invitation you can accept. It may have been cancelled or used already. Ask for a new one.` : t`We could not accept the invitation. Please try again.`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card proxy-card" aria-labelledby="proxy-accept-title">
      <h2 id="proxy-accept-title">{t`Accept a caregiver invitation`}</h2>
      <div role="status" aria-live="polite">
        {done ? (
          <Notice tone="success">
            <p>{done}</p>
          </Notice>
        ) : null}
      </div>
      <form onSubmit={submit} noValidate aria-labelledby="proxy-accept-title">
        <TextField id="proxy-accept-code" label={t`Invitation code`} value={code} onValue={setCode} error={error} autoComplete="off" autoCapitalize="characters" spellcheck={false} maxLength={40} hint={t`From the email, like K7RX-M3QD-WP.`} />
        <div class="form-actions">
          <button type="submit" class="button button--primary" aria-disabled={busy ? 'true' : undefined}>
            {busy ? t`Accepting…` : t`Accept invitation`}
          </button>
        </div>
      </form>
    </section>
  );
}

function sentenceOf(text: string): string {
  const t = text.trim();
  return t ? `${t[0]!.toUpperCase()}${t.slice(1)}${/[.!?]$/.test(t) ? '' : '.'}` : t;
}
