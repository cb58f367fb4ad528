// On the patient's own Profile page, "Who can see your record" (the caregivers the clinic gave
// access, each removable) and "People in your care" (the records this person acts for, each can be given up).

import { t } from '@lingui/core/macro';
import '../proxies.css';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, type PatientRef } from '../../../shared/api/client';
import { Dialog } from '../../../shared/ui/Dialog';
import { Loading, Notice } from '../../../shared/ui/ui';
import { useApp } from '../../../shared/context';
import { announceAccessChanged, grantLine, lastDayInput, relationshipLabel, scopeLabel } from '../proxies';
import { ScopeFields, type ScopeForm, scopeBody, scopeChosen, scopeForm } from '../ScopeFields';
import { proxiesApi, type ProxyGrant } from '../api';
import { useLoad } from '../../../shared/hooks/useLoad';
import { ProxyAcceptCard, ProxyInviteCard } from './ProxyInvite';
import { ProxyPendingInvitations } from './ProxyPending';

type Pending = { kind: 'remove'; grant: ProxyGrant } | { kind: 'leave'; patient: PatientRef };

export function ProxyProfileSections({ patientId }: { patientId: string }) {
  const { api, me } = useApp();
  const client = useMemo(() => proxiesApi(api), [api]);
  const [pending, setPending] = useState<Pending | null>(null);
  const [busy, setBusy] = useState(false);
  const [dialogError, setDialogError] = useState<string | null>(null);
  const [done, setDone] = useState('');
  const [left, setLeft] = useState<string[]>([]);
  const [invited, setInvited] = useState(0);
  const [editing, setEditing] = useState<{ grant: ProxyGrant; scope: ScopeForm } | null>(null);
  const [editError, setEditError] = useState<string | undefined>(undefined);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const careHeadingRef = useRef<HTMLHeadingElement>(null);

  const loaded = useLoad((signal) => client.list(patientId, signal).then((page) => page.items), [patientId], { keepData: true });
  const grants = loaded.data;
  const setGrants = loaded.set;
  const loadError = loaded.error !== null;

  // The row and its button are gone: focus goes to the section heading once the dialog has closed (this
  // effect runs after the Dialog's own, which hands focus back to the now-removed button).
  const [focusAfter, setFocusAfter] = useState<'who' | 'care' | null>(null);
  useEffect(() => {
    if (pending || !focusAfter) return;
    (focusAfter === 'care' ? careHeadingRef.current : headingRef.current)?.focus();
    setFocusAfter(null);
  }, [pending, focusAfter]);

  const inCare = (me?.patients ?? []).filter((p) => p.relationship === 'caregiver' && !left.includes(p.id));

  const saveScope = async (e: Event) => {
    e.preventDefault();
    if (!editing || busy) return;
    if (!scopeChosen(editing.scope)) {
      setEditError(t`Choose at least one area, or everything.`);
      document.getElementById('proxy-edit-scope')?.focus();
      return;
    }
    setBusy(true);
    setEditError(undefined);
    try {
      const { grant } = editing;
      const changed = await client.update(patientId, grant.sub, {
        scope: scopeBody(editing.scope),
        expires_on: grant.expires_at ? lastDayInput(grant.expires_at) : null,
      });
      setGrants((list) => (list ?? []).map((g) => (g.sub === changed.sub ? changed : g)));
      setDone(t`${grant.display_name} can now use: ${scopeLabel(changed.scope)}.`);
      setEditing(null);
      headingRef.current?.focus();
    } catch (err) {
      setEditError(err instanceof ApiError && err.code === 'network' ? err.message : t`We couldn't save this change. Please try again.`);
    } finally {
      setBusy(false);
    }
  };

  const close = () => {
    if (busy) return;
    setPending(null);
    setDialogError(null);
  };

  const confirm = async () => {
    if (!pending || busy || !me) return;
    setBusy(true);
    setDialogError(null);
    try {
      if (pending.kind === 'remove') {
        await client.revoke(patientId, pending.grant.sub).catch(ignoreGone);
        setGrants((list) => (list ?? []).filter((g) => g.sub !== pending.grant.sub));
        setDone(t`${pending.grant.display_name} can no longer see your record.`);
      } else {
        await client.revoke(pending.patient.id, me.user.sub).catch(ignoreGone);
        setLeft((ids) => [...ids, pending.patient.id]);
        setDone(t`You no longer have access to ${pending.patient.display_name}'s record.`);
        announceAccessChanged();
      }
      setFocusAfter(pending.kind === 'remove' || inCare.length <= 1 ? 'who' : 'care');
      setPending(null);
    } catch (e) {
      setDialogError(
        e instanceof ApiError && e.code === 'network' ? e.message : t`We couldn't make this change. Please try again or call the clinic.`,
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="proxy-sections">
      <div role="status" aria-live="polite" id="proxy-status">
        {done ? (
          <Notice tone="success">
            <p>{done}</p>
          </Notice>
        ) : null}
      </div>
      <section class="card proxy-card" aria-labelledby="proxy-who">
        <h2 id="proxy-who" ref={headingRef} tabIndex={-1}>
          {t`Who can see your record`}
        </h2>
        <p class="muted">
          {t`People who may act for you, each within what you or the clinic chose. Invite someone below, or ask at the front desk; they will check your identity and theirs.`}
        </p>
        {loadError ? (
          <Notice tone="error" role="alert">
            <p>{t`We couldn't load this list. Please reload the page to try again.`}</p>
          </Notice>
        ) : !grants ? (
          <Loading label={t`Loading who has access…`} />
        ) : grants.length === 0 ? (
          <p class="proxy-empty">{t`Only you can see your record.`}</p>
        ) : (
          <ul class="proxy-list">
            {grants.map((g) => (
              <li key={g.sub} class="item-row">
                <div>
                  <p class="proxy-name">
                    {g.display_name}{' '}
                    <span class="proxy-rel">{relationshipLabel(g.relationship)}</span>
                    {g.status === 'expired' ? <span class="proxy-chip">{t`Access ended`}</span> : null}
                  </p>
                  <p class="small">{scopeLabel(g.scope)}</p>
                  <p class="muted small">{grantLine(g)}</p>
                </div>
                <div class="proxy-actions">
                  {g.status === 'active' ? (
                    <button
                      type="button"
                      class="button button--secondary"
                      aria-expanded={editing?.grant.sub === g.sub ? 'true' : 'false'}
                      onClick={() => {
                        setEditError(undefined);
                        setEditing(editing?.grant.sub === g.sub ? null : { grant: g, scope: scopeForm(g.scope) });
                      }}
                      aria-label={t`Change what ${g.display_name} can use`}
                    >
                      {t`Change`}
                    </button>
                  ) : null}
                  <button
                    type="button"
                    class="button button--danger"
                    onClick={() => setPending({ kind: 'remove', grant: g })}
                    aria-label={t`Remove access for ${g.display_name}`}
                  >
                    {t`Remove access`}
                  </button>
                </div>
                {editing?.grant.sub === g.sub ? (
                  <form class="proxy-edit" onSubmit={saveScope} noValidate aria-label={t`What ${g.display_name} can use`}>
                    <ScopeFields id="proxy-edit-scope" value={editing.scope} onValue={(scope) => setEditing({ grant: g, scope })} error={editError} />
                    <div class="form-actions">
                      <button type="submit" class="button button--primary" aria-disabled={busy ? 'true' : undefined}>
                        {busy ? t`Saving…` : t`Save changes`}
                      </button>
                      <button type="button" class="button button--secondary" onClick={() => setEditing(null)}>
                        {t`Cancel`}
                      </button>
                    </div>
                  </form>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </section>

      <ProxyPendingInvitations patientId={patientId} refresh={invited} />
      <ProxyInviteCard patientId={patientId} onInvited={() => setInvited((n) => n + 1)} />
      <ProxyAcceptCard />

      {inCare.length > 0 ? (
        <section class="card proxy-card" aria-labelledby="proxy-care">
          <h2 id="proxy-care" ref={careHeadingRef} tabIndex={-1}>
            {t`People in your care`}
          </h2>
          <p class="muted">{t`You can open these records from “Viewing record of” at the top of the page.`}</p>
          <ul class="proxy-list">
            {inCare.map((p) => (
              <li key={p.id} class="item-row">
                <p class="proxy-name">{p.display_name}</p>
                <button type="button" class="button button--secondary" onClick={() => setPending({ kind: 'leave', patient: p })}>
                  {t`Stop acting for ${p.display_name}`}
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <Dialog
        open={pending !== null}
        onClose={close}
        id="proxy-confirm"
        role="alertdialog"
        title={
          pending?.kind === 'leave'
            ? t`Stop acting for ${pending.patient.display_name}?`
            : pending?.grant.display_name
              ? t`Remove ${pending.grant.display_name}'s access?`
              : t`Remove this person's access?`
        }
        describedBy="proxy-confirm-desc"
        initialFocus="proxy-confirm-keep"
        footer={
          <>
            <button type="button" class="button button--danger-solid" onClick={confirm} aria-disabled={busy ? 'true' : undefined}>
              {busy ? t`Saving…` : pending?.kind === 'leave' ? t`Yes, stop acting for them` : t`Yes, remove access`}
            </button>
            <button type="button" class="button button--secondary" id="proxy-confirm-keep" onClick={close}>
              {t`Keep access`}
            </button>
          </>
        }
      >
        <p id="proxy-confirm-desc">
          {pending?.kind === 'leave'
            ? t`You will no longer see ${pending.patient.display_name}'s record or act for them. To get access again, the clinic's front desk has to grant it.`
            : t`${pending?.grant.display_name ?? ''} will no longer be able to see your record or act for you, starting now. To give access again, ask at the front desk.`}
        </p>
        {dialogError ? (
          <Notice tone="error" role="alert">
            <p>{dialogError}</p>
          </Notice>
        ) : null}
      </Dialog>
    </div>
  );
}

/** A retried removal finds the grant already gone: the outcome the person wanted. */
function ignoreGone(e: unknown): void {
  if (e instanceof ApiError && e.status === 404) return;
  throw e;
}
