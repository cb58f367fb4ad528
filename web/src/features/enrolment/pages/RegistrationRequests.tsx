// Self-registration requests: the public form (/register, when the clinic takes requests) and the front
// desk's queue (/staff/registration-requests): register a new patient, match an existing record, or decline.

import { t } from '@lingui/core/macro';
import { Trans } from '@lingui/react/macro';
import '../enrolment.css';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError } from '../../../shared/api/client';
import { Loading, Notice, Page, TextField } from '../../../shared/ui/ui';
import { useApp } from '../../../shared/context';
import { formatDate } from '../../../shared/format';
import { useLoad } from '../../../shared/hooks/useLoad';
import { Link } from '../../../router';
import { AuthError, AuthSubmit } from '../../account/pages/AuthParts';
import { enrolmentApi, type RegistrationRequest, requestsApi, type Sex } from '../api';
import { isoDate, sexes } from '../enrolment';

export function RequestRegistrationPage() {
  const { api, clinic } = useApp();
  const client = useMemo(() => requestsApi(api), [api]);
  const [open, setOpen] = useState<boolean | null>(null);
  const [form, setForm] = useState({ given: '', family: '', birth_date: '', sex: '' as Sex | '', email: '', phone: '' });
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    enrolmentApi(api)
      .activationSettings()
      .then((s) => setOpen(s.self_registration), () => setOpen(false));
  }, [api]);

  const set = (key: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [key]: value }));
  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const born = isoDate(form.birth_date);
    if (!form.given.trim() || !form.family.trim() || !born || !form.sex || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(form.email.trim())) {
      setError(t`Fill in your name, date of birth (MM/DD/YYYY), sex and email address.`);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await client.submit({
        legal_name: { given: form.given.trim(), family: form.family.trim() },
        birth_date: born,
        sex: form.sex,
        email: form.email.trim(),
        phone: form.phone.trim() || null,
      });
      setSent(true);
    } catch (e) {
      setError(e instanceof ApiError && e.code === 'network' ? e.message : t`We couldn't send your request. Please try again.`);
    } finally {
      setBusy(false);
    }
  };

  if (open === null) return <Loading label={t`Loading…`} />;
  if (!open) {
    return (
      <Page title={t`Join the patient portal`} narrow>
        <Notice tone="info">
          <p>
            {clinic
              ? t`${clinic.name} does not take portal requests online. Call us at ${clinic.phone_display} and the front desk will invite you.`
              : t`The clinic does not take portal requests online. Call us and the front desk will invite you.`}
          </p>
        </Notice>
      </Page>
    );
  }
  if (sent) {
    return (
      <Page title={t`Request sent`} narrow>
        <Notice tone="success" role="status">
          <p>{t`Thank you. The front desk will check your details and email you an invitation to the portal.`}</p>
        </Notice>
      </Page>
    );
  }
  return (
    <Page title={t`Join the patient portal`} narrow lead={t`Ask the clinic to invite you. The front desk checks your details first.`}>
      <form class="card auth-card" onSubmit={submit} noValidate>
        <AuthError error={error} />
        <TextField id="rr-given" label={t`Given name`} value={form.given} onValue={set('given')} autoComplete="given-name" maxLength={60} />
        <TextField id="rr-family" label={t`Family name`} value={form.family} onValue={set('family')} autoComplete="family-name" maxLength={60} />
        <TextField id="rr-birth" label={t`Date of birth`} hint={t`MM/DD/YYYY`} value={form.birth_date} onValue={set('birth_date')} autoComplete="bday" maxLength={10} />
        <div class="field">
          <label for="rr-sex">{t`Sex`}</label>
          <select id="rr-sex" value={form.sex} onChange={(e) => set('sex')((e.currentTarget as HTMLSelectElement).value)}>
            <option value="">{t`Choose…`}</option>
            {sexes().map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <TextField id="rr-email" label={t`Email address`} type="email" value={form.email} onValue={set('email')} autoComplete="email" maxLength={254} />
        <TextField id="rr-phone" label={t`Phone`} optional type="tel" value={form.phone} onValue={set('phone')} autoComplete="tel" maxLength={30} />
        <AuthSubmit busy={busy} busyLabel={t`Sending…`}>
          {t`Send request`}
        </AuthSubmit>
      </form>
    </Page>
  );
}

export function RegistrationQueuePage() {
  const { api } = useApp();
  const client = useMemo(() => requestsApi(api), [api]);
  const loaded = useLoad((signal) => client.open(signal).then((page) => page.items), [], { keepData: true });
  const [done, setDone] = useState<{ text: string; patientId: string | null } | null>(null);
  const [matchIds, setMatchIds] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const decide = async (request: RegistrationRequest, decision: 'match' | 'register' | 'decline') => {
    if (busy) return;
    const name = `${request.legal_name.given} ${request.legal_name.family}`;
    const patientId = matchIds[request.id]?.trim();
    if (decision === 'match' && !patientId) {
      setProblem(t`Enter the patient ID of ${name}'s existing record to match it.`);
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      const decided = await client.decide(request.id, decision === 'match' ? { decision, patient_id: patientId! } : { decision });
      setDone({
        text: decision === 'decline' ? t`The request from ${name} was declined.` : t`${name}'s request is linked to a record. Invite them from it.`,
        patientId: decided.patient_id ?? null,
      });
      loaded.reload();
    } catch (e) {
      setProblem(e instanceof ApiError && e.code !== 'internal' ? e.message : t`We couldn't save the decision. Please try again.`);
    } finally {
      setBusy(false);
    }
  };

  const requests = loaded.data;
  return (
    <Page title={t`Registration requests`} lead={t`People who asked online to join the portal. Check who they are before inviting them.`}>
      <div role="status" aria-live="polite">
        {done ? (
          <Notice tone="success">
            <p>
              {done.text}{' '}
              {done.patientId ? <Link href={`/staff/patients/${encodeURIComponent(done.patientId)}`}>{t`Open the record`}</Link> : null}
            </p>
          </Notice>
        ) : null}
      </div>
      {problem ? (
        <Notice tone="error" role="alert">
          <p>{problem}</p>
        </Notice>
      ) : null}
      {loaded.error ? (
        <Notice tone="error" role="alert">
          <p>{t`We couldn't load the requests.`}</p>
        </Notice>
      ) : !requests ? (
        <Loading label={t`Loading requests…`} />
      ) : requests.length === 0 ? (
        <p class="en-empty">{t`No open requests.`}</p>
      ) : (
        <ul class="en-list">
          {requests.map((r) => {
            const name = `${r.legal_name.given} ${r.legal_name.family}`;
            return (
              <li key={r.id} class="card en-request">
                <h2>{name}</h2>
                <p class="muted small">
                  <Trans>
                    Born {formatDate(r.birth_date)} · {r.email} · sent {formatDate(r.submitted_at.slice(0, 10))}
                  </Trans>
                </p>
                <div class="en-actions">
                  <button type="button" class="button button--primary" disabled={busy} onClick={() => void decide(r, 'register')}>
                    {t`Register as a new patient`}
                  </button>
                  <button type="button" class="button button--danger" disabled={busy} onClick={() => void decide(r, 'decline')}>
                    {t`Decline`}
                  </button>
                </div>
                <div class="en-match">
                  <TextField
                    id={`rr-match-${r.id}`}
                    label={t`Or match an existing record: patient ID`}
                    value={matchIds[r.id] ?? ''}
                    onValue={(v) => setMatchIds((m) => ({ ...m, [r.id]: v }))}
                    autoComplete="off"
                    maxLength={200}
                  />
                  <button type="button" class="button button--secondary" disabled={busy} onClick={() => void decide(r, 'match')}>
                    <Trans>Match to {name}'s record</Trans>
                  </button>
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </Page>
  );
}
