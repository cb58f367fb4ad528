// The front desk's "Portal invitations" panel on the staff patient overview: invite the patient or a
// caregiver by email or printed letter, resend, revoke; a locked code is flagged.

import { msg, t } from '@lingui/core/macro';
import { Trans } from '@lingui/react/macro';
import { translated } from '../../../shared/i18n';
import '../enrolment.css';
import { useMemo, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../../shared/api/client';
import { ErrorSummary, Loading, Notice, SelectField, type SummaryItem, TextField } from '../../../shared/ui/ui';
import { useApp } from '../../../shared/context';
import { formatDate } from '../../../shared/format';
import { useLoad } from '../../../shared/hooks/useLoad';
import { enrolmentApi, type Invitation, type InvitationBody, type InvitationRelationship, type IssuedInvitation } from '../api';
import { invitationHow, invitationStatus, invitationWho } from '../enrolment';

const RELATIONSHIP_WORDS: Readonly<Record<InvitationRelationship, string>> = translated({
  parent: msg`Parent`,
  guardian: msg`Legal guardian`,
  spouse: msg`Spouse or partner`,
  adult_child: msg`Adult child`,
  other: msg`Other`,
});
const RELATIONSHIPS: InvitationRelationship[] = ['parent', 'guardian', 'spouse', 'adult_child', 'other'];

interface InviteForm {
  kind: 'self' | 'caregiver';
  delivery: 'email' | 'letter';
  email: string;
  caregiver_name: string;
  relationship: InvitationRelationship | '';
}

const EMPTY: InviteForm = { kind: 'self', delivery: 'email', email: '', caregiver_name: '', relationship: '' };
type InviteField = 'email' | 'caregiver_name' | 'relationship';
const LABELS: Readonly<Record<InviteField, string>> = translated({
  email: msg`Email address`,
  caregiver_name: msg`Caregiver's full name`,
  relationship: msg`Relationship to the patient`,
});

/** Front desk and admin only; renders nothing for anyone else. */
export function InvitationsPanel({ patientId, patientName, patientEmail }: { patientId: string; patientName: string; patientEmail: string | null }) {
  const { me } = useApp();
  const role = me?.user.role;
  if (role !== 'front_desk' && role !== 'admin') return null;
  return <InvitationsCard patientId={patientId} patientName={patientName} patientEmail={patientEmail} />;
}

function InvitationsCard({ patientId, patientName, patientEmail }: { patientId: string; patientName: string; patientEmail: string | null }) {
  const { api } = useApp();
  const client = useMemo(() => enrolmentApi(api), [api]);
  const loaded = useLoad((signal) => client.invitations(patientId, signal).then((list) => list.items), [patientId], { keepData: true });
  const [form, setForm] = useState<InviteForm>(EMPTY);
  const [errors, setErrors] = useState<Partial<Record<InviteField, string>>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState('');
  const [letter, setLetter] = useState<{ issued: IssuedInvitation; addressee: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const summaryRef = useRef<HTMLDivElement>(null);

  const set = <K extends keyof InviteForm>(key: K) => (value: InviteForm[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setDone('');
  };

  const delivered = (issued: IssuedInvitation, addressee: string) => {
    if (issued.letter_html !== null && issued.letter_html !== undefined) {
      setLetter({ issued, addressee });
      setDone(t`A new activation letter for ${addressee} is ready to print below.`);
    } else {
      setLetter(null);
      setDone(
        issued.email_sent
          ? issued.invitation.email
            ? t`Invitation emailed to ${issued.invitation.email}.`
            : t`Invitation emailed to the patient.`
          : t`The invitation was made but the email could not be sent. Resend it, or print a letter instead.`,
      );
    }
    loaded.reload();
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const next: Partial<Record<InviteField, string>> = {};
    if (form.kind === 'caregiver' && !form.caregiver_name.trim()) next.caregiver_name = t`Enter the caregiver's name.`;
    if (form.kind === 'caregiver' && !form.relationship) next.relationship = t`Choose the relationship.`;
    const needsEmail = form.delivery === 'email' && !form.email.trim() && (form.kind === 'caregiver' || !patientEmail);
    if (needsEmail) next.email = t`Enter the email address to send the invitation to.`;
    setErrors(next);
    setProblem(null);
    if (Object.keys(next).length > 0) {
      requestAnimationFrame(() => summaryRef.current?.focus());
      return;
    }
    const body: InvitationBody = {
      kind: form.kind,
      delivery: form.delivery,
      email: form.email.trim() || null,
      caregiver_name: form.kind === 'caregiver' ? form.caregiver_name.trim() : null,
      relationship: form.kind === 'caregiver' && form.relationship ? form.relationship : null,
    };
    setBusy(true);
    try {
      const issued = await client.invite(patientId, body);
      setForm(EMPTY);
      delivered(issued, form.kind === 'caregiver' ? form.caregiver_name.trim() : patientName);
    } catch (e) {
      if (e instanceof ApiError && e.code !== 'unauthorized') {
        setProblem(e.status === 409 || e.status === 400 || e.code === 'network' ? sentence(e.message) : t`We couldn't make the invitation. Please try again.`);
        requestAnimationFrame(() => summaryRef.current?.focus());
      }
    } finally {
      setBusy(false);
    }
  };

  const act = async (invitation: Invitation, action: 'resend' | 'revoke') => {
    if (busy) return;
    setBusy(true);
    setProblem(null);
    try {
      if (action === 'resend') {
        delivered(await client.resend(patientId, invitation.id), invitation.caregiver_name ?? patientName);
      } else {
        await client.revoke(patientId, invitation.id);
        setDone(t`The invitation was revoked: its code no longer works.`);
        loaded.reload();
      }
    } catch (e) {
      if (e instanceof ApiError && e.code !== 'unauthorized') setProblem(sentence(e.message));
    } finally {
      setBusy(false);
    }
  };

  const summary: SummaryItem[] = [
    ...(['caregiver_name', 'relationship', 'email'] as InviteField[])
      .filter((f) => errors[f])
      .map((f) => ({ target: `inv-${f}`, text: `${LABELS[f]}: ${errors[f]}` })),
    ...(problem ? [{ target: null, text: problem }] : []),
  ];
  const invitations = loaded.data;

  return (
    <section class="card en-card" aria-labelledby="inv-title">
      <h2 id="inv-title">{t`Portal invitations`}</h2>
      <p class="muted">{t`An activation code lets ${patientName}, or a caregiver, create a portal account for this record.`}</p>
      <div role="status" aria-live="polite">
        {done ? (
          <Notice tone="success">
            <p>{done}</p>
          </Notice>
        ) : null}
      </div>
      {loaded.error ? (
        <Notice tone="error" role="alert">
          <p>{t`We couldn't load the invitations.`}</p>
          <button type="button" class="button button--secondary" onClick={loaded.reload}>
            {t`Try again`}
          </button>
        </Notice>
      ) : !invitations ? (
        <Loading label={t`Loading invitations…`} />
      ) : invitations.length === 0 ? (
        <p class="en-empty">{t`No invitations yet.`}</p>
      ) : (
        <ul class="en-list">
          {invitations.map((inv) => (
            <li key={inv.id} class="item-row">
              <div>
                <p class="en-who">
                  {invitationWho(inv)}
                  {inv.locked ? <span class="en-chip en-chip--alert">{t`Locked`}</span> : null}
                </p>
                <p class="muted small">
                  {invitationHow(inv)} · {sentOn(inv.created_at)} · {invitationStatus(inv)}
                  {inv.status === 'pending' ? ` ${untilDate(inv.expires_at)}` : ''}
                </p>
              </div>
              {inv.status === 'pending' || inv.status === 'locked' || inv.status === 'expired' ? (
                <div class="en-row-actions">
                  <button type="button" class="button button--secondary" disabled={busy} onClick={() => void act(inv, 'resend')}>
                    {t`Send a new code`}
                  </button>
                  {inv.status !== 'expired' ? (
                    <button type="button" class="button button--danger" disabled={busy} onClick={() => void act(inv, 'revoke')}>
                      {t`Revoke`}
                    </button>
                  ) : null}
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      )}

      {letter ? <ActivationLetter issued={letter.issued} addressee={letter.addressee} /> : null}

      <form class="en-invite" onSubmit={submit} noValidate aria-labelledby="inv-form-title">
        <h3 id="inv-form-title">{t`Send an invitation`}</h3>
        <div ref={summaryRef} tabIndex={-1} class="status-anchor">
          <ErrorSummary items={summary} title={t`The invitation wasn't made`} />
        </div>
        <fieldset class="en-choice">
          <legend>{t`Who is it for?`}</legend>
          <label>
            <input type="radio" name="inv-kind" checked={form.kind === 'self'} onChange={() => set('kind')('self')} /> {patientName}
          </label>
          <label>
            <input type="radio" name="inv-kind" checked={form.kind === 'caregiver'} onChange={() => set('kind')('caregiver')} />{' '}
            {t`A caregiver (gets proxy access on activation)`}
          </label>
        </fieldset>
        {form.kind === 'caregiver' ? (
          <div class="form-grid">
            <TextField
              id="inv-caregiver_name"
              label={LABELS.caregiver_name}
              value={form.caregiver_name}
              onValue={set('caregiver_name')}
              error={errors.caregiver_name}
              autoComplete="off"
              maxLength={60}
            />
            <SelectField
              id="inv-relationship"
              label={LABELS.relationship}
              error={errors.relationship}
              value={form.relationship}
              onValue={(value: InvitationRelationship) => set('relationship')(value)}
              options={RELATIONSHIPS.map((r): [InvitationRelationship, string] => [r, RELATIONSHIP_WORDS[r]])}
            />
          </div>
        ) : null}
        <fieldset class="en-choice">
          <legend>{t`How?`}</legend>
          <label>
            <input type="radio" name="inv-delivery" checked={form.delivery === 'email'} onChange={() => set('delivery')('email')} /> {t`Email`}
          </label>
          <label>
            <input type="radio" name="inv-delivery" checked={form.delivery === 'letter'} onChange={() => set('delivery')('letter')} />{' '}
            {t`Printed letter`}
          </label>
        </fieldset>
        {form.delivery === 'email' ? (
          <TextField
            id="inv-email"
            label={LABELS.email}
            type="email"
            value={form.email}
            onValue={set('email')}
            error={errors.email}
            optional={form.kind === 'self' && Boolean(patientEmail)}
            hint={form.kind === 'self' && patientEmail ? t`Leave empty to use ${patientEmail}` : undefined}
            autoComplete="off"
            maxLength={254}
          />
        ) : null}
        <button type="submit" class="button button--primary" disabled={busy} aria-disabled={busy}>
          {busy ? t`Sending…` : form.delivery === 'email' ? t`Email the invitation` : t`Make a letter to print`}
        </button>
      </form>
    </section>
  );
}

function sentOn(createdAt: string): string {
  const date = formatDate(createdAt.slice(0, 10));
  return t`sent ${date}`;
}

function untilDate(expiresAt: string): string {
  const date = formatDate(expiresAt.slice(0, 10));
  return t`until ${date}`;
}

function sentence(message: string): string {
  const text = message.trim();
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`.replace(/\.?$/, '.');
}

/** The printable activation letter: clinic, addressee, code, where to go, until when. Printing shows only it. */
function ActivationLetter({ issued, addressee }: { issued: IssuedInvitation; addressee: string }) {
  const { clinic } = useApp();
  const link = `${location.origin}/activate`;
  return (
    <section class="en-letter-wrap" aria-labelledby="en-letter-title">
      <h3 id="en-letter-title">{t`Activation letter`}</h3>
      <div class="en-letter" id="activation-letter">
        <p class="en-letter-clinic">{clinic?.name ?? t`Your clinic`}</p>
        <p>{t`For: ${addressee}`}</p>
        <p>{t`Your patient portal activation code:`}</p>
        <p class="en-code">{issued.code}</p>
        <p>
          <Trans>
            Go to <strong>{link}</strong> and enter this code, the patient's date of birth and the ZIP code on file. Then choose a username
            and password.
          </Trans>
        </p>
        <p>
          <Trans>
            The code works once and expires on <strong>{formatDate(issued.invitation.expires_at.slice(0, 10))}</strong>.
          </Trans>
        </p>
        {clinic ? <p>{t`Questions? Call us at ${clinic.phone_display}.`}</p> : null}
      </div>
      <button type="button" class="button button--primary" onClick={() => window.print()}>
        {t`Print letter`}
      </button>
    </section>
  );
}
