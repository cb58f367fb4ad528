// The front desk's "Proxy access" panel (who may act for this patient, grant, remove), shown on
// the staff patient overview (/staff/patients/<id>) for front desk and admin.

import '../proxies.css';
import { t } from '@lingui/core/macro';
import { Trans } from '@lingui/react/macro';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../../shared/api/client';
import { Dialog } from '../../../shared/ui/Dialog';
import { ErrorSummary, Field, Loading, Notice, SelectField, type SummaryItem, TextField } from '../../../shared/ui/ui';
import { useApp } from '../../../shared/context';
import { EMPTY_GRANT, GRANT_FIELDS, GRANT_LABELS, grantBody, type GrantErrors, type GrantField, type GrantForm, grantLine, mapGrantErrors, relationshipLabel, RELATIONSHIPS, scopeLabel, todayInput, validateGrant } from '../proxies';
import { proxiesApi, type ProxyGrant, type ProxyRelationship } from '../api';
import { useLoad } from '../../../shared/hooks/useLoad';
import { EMPTY_SCOPE, ScopeFields, type ScopeForm, scopeBody, scopeChosen } from '../ScopeFields';

const fieldId = (f: GrantField) => `proxy-grant-${f.replace(/_/g, '-')}`;

/** Front desk and admin only; renders nothing for anyone else. */
export function ProxyAccessPanel({ patientId, patientName }: { patientId: string; patientName?: string }) {
  const { me } = useApp();
  const role = me?.user.role;
  if (role !== 'front_desk' && role !== 'admin') return null;
  return <ProxyAccessCard patientId={patientId} patientName={patientName ?? 'this patient'} />;
}

function ProxyAccessCard({ patientId, patientName }: { patientId: string; patientName: string }) {
  const { api } = useApp();
  const client = useMemo(() => proxiesApi(api), [api]);
  const [form, setForm] = useState<GrantForm>(EMPTY_GRANT);
  const [scope, setScope] = useState<ScopeForm>({ ...EMPTY_SCOPE, whole: true });
  const [scopeError, setScopeError] = useState<string | undefined>(undefined);
  const [errors, setErrors] = useState<GrantErrors>({});
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState('');
  const [removing, setRemoving] = useState<ProxyGrant | null>(null);
  const [removeError, setRemoveError] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  // After a removal the row is gone: focus the panel heading once the dialog has closed (after its effect).
  const [focusHeading, setFocusHeading] = useState(false);
  useEffect(() => {
    if (removing || !focusHeading) return;
    headingRef.current?.focus();
    setFocusHeading(false);
  }, [removing, focusHeading]);
  const summaryRef = useRef<HTMLDivElement>(null);

  const loaded = useLoad((signal) => client.list(patientId, signal).then((page) => page.items), [patientId], { keepData: true });
  const grants = loaded.data;
  const setGrants = loaded.set;
  const loadError = loaded.error !== null;

  const set = (key: GrantField) => (value: string) => {
    setForm((f) => ({ ...f, [key]: value }));
    setDone('');
  };

  const showErrors = (next: GrantErrors, extra: string[] = []) => {
    setErrors(next);
    setUnplaced(extra);
    requestAnimationFrame(() => {
      const first = GRANT_FIELDS.find((f) => next[f]);
      if (first) document.getElementById(fieldId(first))?.focus();
      else summaryRef.current?.focus();
    });
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const problems = validateGrant(form);
    const noScope = scopeChosen(scope) ? undefined : t`Choose at least one area, or the whole record.`;
    setScopeError(noScope);
    if (Object.keys(problems).length > 0 || noScope) {
      showErrors(problems);
      return;
    }
    setBusy(true);
    setErrors({});
    setUnplaced([]);
    try {
      const grant = await client.grant(patientId, { ...grantBody(form), scope: scopeBody(scope) });
      setForm(EMPTY_GRANT);
      setScope({ ...EMPTY_SCOPE, whole: true });
      const relationship = relationshipLabel(grant.relationship).toLowerCase();
      setDone(t`${grant.display_name} can now act for ${patientName} (${relationship}).`);
      loaded.reload();
    } catch (e) {
      if (e instanceof ApiError && Object.keys(e.fields).length > 0) {
        const mapped = mapGrantErrors(e.fields);
        showErrors(mapped.errors, mapped.unplaced);
      } else if (e instanceof ApiError && e.code !== 'unauthorized') {
        showErrors({}, [
          e.code === 'network' || e.status === 409 || e.status === 400 || e.status === 404
            ? sentence(e.message)
            : t`We couldn't save this. Please try again.`,
        ]);
      }
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    if (!removing || busy) return;
    setBusy(true);
    setRemoveError(null);
    try {
      await client.revoke(patientId, removing.sub).catch((e: unknown) => {
        if (!(e instanceof ApiError && e.status === 404)) throw e;
      });
      setGrants((list) => (list ?? []).filter((g) => g.sub !== removing.sub));
      setDone(t`${removing.display_name} can no longer act for ${patientName}.`);
      setRemoving(null);
      setFocusHeading(true);
    } catch (e) {
      setRemoveError(e instanceof ApiError && e.code === 'network' ? e.message : t`We couldn't remove access. Please try again.`);
    } finally {
      setBusy(false);
    }
  };

  const summary: SummaryItem[] = [
    ...GRANT_FIELDS.filter((f) => errors[f]).map((f) => ({ target: fieldId(f), text: `${GRANT_LABELS[f]}: ${errors[f]}` })),
    ...(scopeError ? [{ target: 'proxy-grant-scope', text: scopeError }] : []),
    ...unplaced.map((text) => ({ target: null, text })),
  ];

  return (
    <section class="card proxy-card" aria-labelledby="proxy-staff-title">
      <h2 id="proxy-staff-title" ref={headingRef} tabIndex={-1}>
        <Trans>Proxy access</Trans>
      </h2>
      <p class="muted">
        <Trans>People who may act for {patientName} in the portal (parents, guardians, spouses, adult children).</Trans>
      </p>
      <div role="status" aria-live="polite">
        {done ? (
          <Notice tone="success">
            <p>{done}</p>
          </Notice>
        ) : null}
      </div>
      {loadError ? (
        <Notice tone="error" role="alert">
          <p>
            <Trans>We couldn't load who has access.</Trans>
          </p>
          <button type="button" class="button button--secondary" onClick={loaded.reload}>
            <Trans>Try again</Trans>
          </button>
        </Notice>
      ) : !grants ? (
        <Loading label={t`Loading proxy access…`} />
      ) : grants.length === 0 ? (
        <p class="proxy-empty">
          <Trans>Nobody else has access to this record.</Trans>
        </p>
      ) : (
        <ul class="proxy-list">
          {grants.map((g) => (
            <li key={g.sub} class="item-row">
              <div>
                <p class="proxy-name">
                  {g.display_name} <span class="proxy-rel">{relationshipLabel(g.relationship)}</span>
                  {g.status === 'expired' ? <span class="proxy-chip">{t`Access ended`}</span> : null}
                </p>
                <p class="small">{scopeLabel(g.scope)}</p>
                  <p class="muted small">{grantLine(g)}</p>
              </div>
              <button type="button" class="button button--danger" onClick={() => setRemoving(g)} aria-label={t`Remove access for ${g.display_name}`}>
                <Trans>Remove access</Trans>
              </button>
            </li>
          ))}
        </ul>
      )}

      <form class="proxy-grant" onSubmit={submit} noValidate aria-labelledby="proxy-grant-title">
        <h3 id="proxy-grant-title">
          <Trans>Give someone access</Trans>
        </h3>
        <p class="muted small">
          <Trans>
            They need their own portal account. Check their photo ID and the document that gives them authority (birth
            certificate, guardianship order, power of attorney, or the patient's signed consent).
          </Trans>
        </p>
        <div ref={summaryRef} tabIndex={-1} class="status-anchor">
          <ErrorSummary items={summary} title={t`This access wasn't given`} />
        </div>
        <div class="form-grid">
          <TextField
            id={fieldId('username')}
            label={GRANT_LABELS.username}
            value={form.username}
            onValue={set('username')}
            error={errors.username}
            autoComplete="off"
            autoCapitalize="none"
            spellcheck={false}
            maxLength={128}
          />
          <SelectField
            id={fieldId('relationship')}
            label={GRANT_LABELS.relationship}
            error={errors.relationship}
            value={form.relationship}
            onValue={(value: ProxyRelationship) => set('relationship')(value)}
            options={RELATIONSHIPS}
          />
          <TextField
            id={fieldId('expires_on')}
            label={GRANT_LABELS.expires_on}
            value={form.expires_on}
            onValue={set('expires_on')}
            error={errors.expires_on}
            optional
            type="date"
            min={todayInput()}
            hint={t`Leave empty for no end date. A parent's or guardian's access to a minor's record ends by itself on their 18th birthday.`}
          />
          <ScopeFields id="proxy-grant-scope" value={scope} onValue={setScope} error={scopeError} forPatient />
          <Field
            id={fieldId('verification_note')}
            label={GRANT_LABELS.verification_note}
            error={errors.verification_note}
            hint={t`Kept in the audit trail only; the patient and the caregiver don't see it.`}
            class="span-2"
          >
            {(describedBy, invalid) => (
              <textarea
                id={fieldId('verification_note')}
                value={form.verification_note}
                onInput={(e) => set('verification_note')((e.currentTarget as HTMLTextAreaElement).value)}
                aria-describedby={describedBy}
                aria-invalid={invalid ? 'true' : undefined}
                rows={3}
                maxLength={500}
              />
            )}
          </Field>
        </div>
        <div class="form-actions">
          <button type="submit" class="button button--primary" aria-disabled={busy ? 'true' : undefined}>
            {busy && !removing ? t`Saving…` : t`Give access`}
          </button>
        </div>
      </form>

      <Dialog
        open={removing !== null}
        onClose={() => {
          if (!busy) {
            setRemoving(null);
            setRemoveError(null);
          }
        }}
        id="proxy-staff-remove"
        role="alertdialog"
        title={removing ? t`Remove ${removing.display_name}'s access?` : t`Remove this person's access?`}
        describedBy="proxy-staff-remove-desc"
        initialFocus="proxy-staff-remove-keep"
        footer={
          <>
            <button type="button" class="button button--danger-solid" onClick={remove} aria-disabled={busy ? 'true' : undefined}>
              {busy ? t`Removing…` : t`Yes, remove access`}
            </button>
            <button
              type="button"
              class="button button--secondary"
              id="proxy-staff-remove-keep"
              onClick={() => {
                setRemoving(null);
                setRemoveError(null);
              }}
            >
              <Trans>Keep access</Trans>
            </button>
          </>
        }
      >
        <p id="proxy-staff-remove-desc">
          {removing
            ? t`${removing.display_name} will no longer be able to see ${patientName}'s record or act for them, starting now.`
            : t`They will no longer be able to see ${patientName}'s record or act for them, starting now.`}
        </p>
        {removeError ? (
          <Notice tone="error" role="alert">
            <p>{removeError}</p>
          </Notice>
        ) : null}
      </Dialog>
    </section>
  );
}

function sentence(text: string): string {
  const t = text.trim();
  return t ? `${t[0]!.toUpperCase()}${t.slice(1)}${/[.!?]$/.test(t) ? '' : '.'}` : t;
}

/**
 * The front desk's view of one patient: who they are and the proxy panel. (Clinicians open the full chart at
 * the same address; front desk and admin may not read the clinical record.)
 */
