// The appointment list's dialogs and offers: cancel, join the waitlist, and waitlist offers to accept.

import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../../shared/api/client';
import { type Appointment, appointmentsApi, type WaitlistOffer } from '../api';
import { formatDay, formatShortDateTime, formatTime, formatTimeRange } from '../appointmentsFormat';
import { Dialog } from '../../../shared/ui/Dialog';
import { Notice } from '../../../shared/ui/ui';
import { useApp } from '../../../shared/context';
import { ApptIcon } from './AppointmentsHome';
import { CallLink, errorText, VisitFacts } from './AppointmentsShared';

export function CancelDialog({
  appointment: a,
  address,
  phone,
  onClose,
  onDone,
  onStale,
}: {
  appointment: Appointment | null;
  address: string | null;
  phone: { phone: string; display: string } | null;
  onClose: () => void;
  onDone: (a: Appointment) => void;
  onStale: () => void;
}) {
  const { api } = useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const shown = useRef<Appointment | null>(null);
  if (a) shown.current = a;
  const current = a ?? shown.current;

  useEffect(() => {
    setError(null);
    setBusy(false);
  }, [a?.id]);

  const confirm = async () => {
    if (!a || busy) return;
    setBusy(true);
    setError(null);
    try {
      await appointmentsApi(api).cancelAppointment(a.patient_id, a.id);
      onDone(a);
    } catch (e) {
      setError(errorText(e, "We couldn't cancel this appointment. Please try again or call the clinic."));
      if (e instanceof ApiError && e.status === 409) onStale();
    } finally {
      setBusy(false);
    }
  };

  const isRequest = current?.status === 'requested';
  return (
    <Dialog
      open={a !== null}
      onClose={onClose}
      id="appt-cancel"
      role="alertdialog"
      title={isRequest ? 'Withdraw this request?' : 'Cancel this appointment?'}
      describedBy="appt-cancel-desc"
      initialFocus="appt-cancel-keep"
      footer={
        <>
          <button type="button" class="button appt-button--danger-solid" onClick={confirm} aria-disabled={busy ? 'true' : undefined}>
            {busy ? 'Cancelling…' : isRequest ? 'Yes, withdraw request' : 'Yes, cancel appointment'}
          </button>
          <button type="button" class="button button--secondary" id="appt-cancel-keep" onClick={onClose}>
            {isRequest ? 'Keep request' : 'Keep appointment'}
          </button>
        </>
      }
    >
      {current ? (
        <>
          <p id="appt-cancel-desc">
            {isRequest ? 'The clinic will not hold this time for you.' : 'This time will be offered to other patients.'} To see the
            clinic later, book a new appointment.
          </p>
          <VisitFacts
            start={current.starts_at}
            end={current.ends_at}
            timeZone={current.time_zone}
            visitName={current.visit_type?.name ?? 'Appointment'}
            provider={current.provider}
            modality={current.modality}
            address={address}
          />
          {error ? (
            <Notice tone="error" role="alert">
              <p>{error}</p>
              {phone ? (
                <p>
                  Clinic phone: <CallLink phone={phone.phone} display={phone.display} />
                </p>
              ) : null}
            </Notice>
          ) : null}
        </>
      ) : null}
    </Dialog>
  );
}

export function WaitlistDialog({
  appointment: a,
  onClose,
  onDone,
}: {
  appointment: Appointment | null;
  onClose: () => void;
  onDone: (appointmentId: string, text: string) => void;
}) {
  const { api } = useApp();
  const [anyProvider, setAnyProvider] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const shown = useRef<Appointment | null>(null);
  if (a) shown.current = a;
  const current = a ?? shown.current;

  useEffect(() => {
    setError(null);
    setBusy(false);
    setAnyProvider(true);
  }, [a?.id]);

  const join = async () => {
    if (!a || busy) return;
    setBusy(true);
    setError(null);
    try {
      await appointmentsApi(api).joinWaitlist(a.patient_id, a.id, anyProvider);
      onDone(a.id, "You're on the waitlist. If an earlier time opens up, we'll let you know and you can take it here.");
    } catch (e) {
      if (e instanceof ApiError && e.status === 409 && /already on the waitlist/i.test(e.message)) {
        onDone(a.id, "You're already on the waitlist for an earlier time.");
      } else {
        setError(errorText(e, "We couldn't add you to the waitlist. Please try again."));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={a !== null}
      onClose={onClose}
      id="appt-waitlist"
      title="Offer me an earlier time"
      describedBy="appt-waitlist-desc"
      footer={
        <>
          <button type="button" class="button button--primary" onClick={join} aria-disabled={busy ? 'true' : undefined}>
            {busy ? 'Joining…' : 'Join the waitlist'}
          </button>
          <button type="button" class="button button--secondary" onClick={onClose}>
            Not now
          </button>
        </>
      }
    >
      {current ? (
        <>
          <p id="appt-waitlist-desc">
            If an earlier {current.visit_type?.name.toLowerCase() ?? 'appointment'} opens up, we'll let you know and you can take it
            in the portal. Until then, your appointment on {formatDay(current.starts_at, current.time_zone)} stays booked.
          </p>
          <fieldset class="radios">
            <legend>Who can the earlier time be with?</legend>
            <div class="check">
              <input type="radio" id="appt-wait-any" name="appt-wait" checked={anyProvider} onChange={() => setAnyProvider(true)} />
              <label for="appt-wait-any">Any provider</label>
            </div>
            <div class="check">
              <input type="radio" id="appt-wait-same" name="appt-wait" checked={!anyProvider} onChange={() => setAnyProvider(false)} />
              <label for="appt-wait-same">Only {current.provider.name}</label>
            </div>
          </fieldset>
          {error ? (
            <Notice tone="error" role="alert">
              <p>{error}</p>
            </Notice>
          ) : null}
        </>
      ) : null}
    </Dialog>
  );
}

export function Offers({
  offers,
  upcoming,
  timeZone,
  onTaken,
  onError,
}: {
  offers: WaitlistOffer[];
  upcoming: Appointment[];
  timeZone: string | null;
  onTaken: (a: Appointment) => void;
  onError: (text: string) => void;
}) {
  const { api, patient } = useApp();
  const [busy, setBusy] = useState<string | null>(null);
  const take = async (offer: WaitlistOffer) => {
    if (!patient || busy) return;
    setBusy(offer.id);
    try {
      onTaken(await appointmentsApi(api).acceptWaitlistOffer(patient.id, offer.id));
    } catch (e) {
      onError(errorText(e, "We couldn't move your appointment to that time. Please try again."));
    } finally {
      setBusy(null);
    }
  };
  return (
    <section class="appt-section" aria-labelledby="appt-offers">
      <h2 id="appt-offers" class="section-title">
        Earlier times for you
      </h2>
      <ul class="appt-list">
        {offers.map((o) => {
          const current = upcoming.find((a) => a.id === o.appointment_id);
          const tz = current?.time_zone ?? timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
          return (
            <li class="card appt-offer" key={o.id}>
              <p class="appt-offer-title">
                <ApptIcon name="earlier" />
                {formatDay(o.starts_at, tz)}, {formatTimeRange(o.starts_at, o.ends_at, tz)} with {o.provider.name}
              </p>
              <p class="muted">
                {current
                  ? `Instead of ${formatDay(current.starts_at, tz)} at ${formatTime(current.starts_at, tz)}. `
                  : ''}
                This offer is open until {formatShortDateTime(o.expires_at, tz)}; others may take it first.
              </p>
              <button type="button" class="button button--primary" onClick={() => take(o)} aria-disabled={busy ? 'true' : undefined}>
                {busy === o.id ? 'Moving…' : 'Take this time'}
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
