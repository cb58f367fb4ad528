// On the patient's own Profile page, "Invitations not yet accepted": whom they invited (the email masked),
// what for and until when, when it was sent and when its code runs out; each can be cancelled, and its
// code stops working at once.

import { t } from '@lingui/core/macro';
import { useMemo, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../../shared/api/client';
import { Notice } from '../../../shared/ui/ui';
import { useApp } from '../../../shared/context';
import { useLoad } from '../../../shared/hooks/useLoad';
import { dayOf, lastDay, relationshipLabel, scopeLabel } from '../proxies';
import { type PendingInvitation, proxiesApi } from '../api';

/** "Access until December 31, 2026" or "No end date". */
export function accessLine(invitation: PendingInvitation, timeZone?: string): string {
  return invitation.access_ends_at ? t`Access until ${lastDay(invitation.access_ends_at, timeZone)}` : t`No end date`;
}

/** "Sent December 7, 2026 · The code works until December 14, 2026" (or "… stopped working …"). */
export function sentLine(invitation: PendingInvitation, timeZone?: string): string {
  const sent = dayOf(invitation.created_at, timeZone);
  const until = dayOf(invitation.expires_at, timeZone);
  return invitation.status === 'expired'
    ? `${t`Sent ${sent}`} · ${t`The code no longer works. Cancel this invitation and send a new one.`}`
    : `${t`Sent ${sent}`} · ${t`The code works until ${until}`}`;
}

/** `refresh`: changes when a new invitation was sent, so the list loads again. */
export function ProxyPendingInvitations({ patientId, refresh }: { patientId: string; refresh: number }) {
  const { api } = useApp();
  const client = useMemo(() => proxiesApi(api), [api]);
  const loaded = useLoad((signal) => client.pending(patientId, signal).then((page) => page.items), [patientId, refresh], {
    keepData: true,
  });
  const [busy, setBusy] = useState<string | null>(null);
  const [done, setDone] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const items = loaded.data ?? [];

  const cancel = async (invitation: PendingInvitation) => {
    if (busy) return;
    setBusy(invitation.id);
    setDone('');
    setFailure(null);
    try {
      await client.cancelInvitation(patientId, invitation.id);
      setDone(t`The invitation to ${invitation.caregiver_name} is cancelled. Its code no longer works.`);
    } catch (err) {
      if (err instanceof ApiError && (err.status === 409 || err.status === 404)) {
        // accepted meanwhile (then they are listed above once the page reloads), or already cancelled
        setFailure(t`This invitation was already accepted or cancelled.`);
      } else {
        setFailure(err instanceof ApiError && err.code === 'network' ? err.message : t`We couldn't cancel the invitation. Please try again.`);
        return;
      }
    } finally {
      setBusy(null);
    }
    loaded.set((list) => (list ?? []).filter((i) => i.id !== invitation.id));
    headingRef.current?.focus();
  };

  if (loaded.error) {
    return (
      <Notice tone="error" role="alert">
        <p>{t`We couldn't load your invitations. Please reload the page to try again.`}</p>
      </Notice>
    );
  }
  if (items.length === 0 && !done && !failure) return null;
  return (
    <section class="card proxy-card" aria-labelledby="proxy-pending">
      <h2 id="proxy-pending" ref={headingRef} tabIndex={-1}>
        {t`Invitations not yet accepted`}
      </h2>
      <div role="status" aria-live="polite">
        {done ? (
          <Notice tone="success">
            <p>{done}</p>
          </Notice>
        ) : null}
      </div>
      {failure ? (
        <Notice tone="error" role="alert">
          <p>{failure}</p>
        </Notice>
      ) : null}
      {items.length === 0 ? (
        <p class="proxy-empty">{t`No invitations are waiting.`}</p>
      ) : (
        <ul class="proxy-list">
          {items.map((invitation) => (
            <li key={invitation.id} class="item-row">
              <div>
                <p class="proxy-name">
                  {invitation.caregiver_name} <span class="proxy-rel">{relationshipLabel(invitation.relationship)}</span>
                  {invitation.status === 'expired' ? <span class="proxy-chip">{t`Code expired`}</span> : null}
                </p>
                <p class="small">{invitation.email}</p>
                <p class="small">
                  {scopeLabel(invitation.scope)} · {accessLine(invitation)}
                </p>
                <p class="muted small">{sentLine(invitation)}</p>
              </div>
              <div class="proxy-actions">
                <button
                  type="button"
                  class="button button--danger"
                  onClick={() => cancel(invitation)}
                  aria-disabled={busy === invitation.id ? 'true' : undefined}
                  aria-label={t`Cancel invitation for ${invitation.caregiver_name}`}
                >
                  {busy === invitation.id ? t`Cancelling…` : t`Cancel invitation`}
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
