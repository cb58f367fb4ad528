// The appointment list's dialogs and offers: cancel, join the waitlist, and waitlist offers to accept.

import { t } from '@lingui/core/macro';
import { Trans } from '@lingui/react/macro';
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../../../shared/api/client';
import { type Appointment, appointmentsApi, type WaitlistOffer } from '../api';
import { formatDay, formatShortDateTime, formatTime, formatTimeRange } from '../appointmentsFormat';
import { Dialog } from '../../../shared/ui/Dialog';
import { useApp } from '../../../shared/context';
import { browserTimeZone } from '../../../shared/format';
import { ApptIcon } from './AppointmentsHome';
import { CallLink, errorText, VisitFacts } from './AppointmentsShared';
import { DialogButtons, DialogError, useDialogAction, useShown } from './DialogParts';

function waitlistText(day: string): string {
  return t`If an earlier time opens up, we'll let you know and you can take it in the portal. Until then, your appointment on ${day} stays booked.`;
}

function onlyText(provider: string): string {
  return t`Only ${provider}`;
}

function offerTitle(day: string, times: string, provider: string): string {
  return t`${day}, ${times} with ${provider}`;
}

function insteadOfText(day: string, time: string): string {
  return t`Instead of ${day} at ${time}.`;
}

function offerOpenText(until: string): string {
  return t`This offer is open until ${until}; others may take it first.`;
}

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
  const { busy, error, reset, run } = useDialogAction();
  const current = useShown(a);

  useEffect(reset, [a?.id]);

  const confirm = async () => {
    if (!a) return;
    await run(
      async () => {
        await appointmentsApi(api).cancelAppointment(a.patient_id, a.id);
        onDone(a);
      },
      (e) => {
        if (e instanceof ApiError && e.status === 409) onStale();
        return errorText(e, t`We couldn't cancel this appointment. Please try again or call the clinic.`);
      },
    );
  };

  const isRequest = current?.status === 'requested';
  return (
    <Dialog
      open={a !== null}
      onClose={onClose}
      id="appt-cancel"
      role="alertdialog"
      title={isRequest ? t`Withdraw this request?` : t`Cancel this appointment?`}
      describedBy="appt-cancel-desc"
      initialFocus="appt-cancel-keep"
      footer={
        <DialogButtons
          busy={busy}
          busyLabel={t`Cancelling…`}
          label={isRequest ? t`Yes, withdraw request` : t`Yes, cancel appointment`}
          onAction={confirm}
          actionClass="button--danger-solid"
          closeLabel={isRequest ? t`Keep request` : t`Keep appointment`}
          closeId="appt-cancel-keep"
          onClose={onClose}
        />
      }
    >
      {current ? (
        <>
          <p id="appt-cancel-desc">
            {isRequest
              ? t`The clinic will not hold this time for you. To see the clinic later, book a new appointment.`
              : t`This time will be offered to other patients. To see the clinic later, book a new appointment.`}
          </p>
          <VisitFacts
            start={current.starts_at}
            end={current.ends_at}
            timeZone={current.time_zone}
            visitName={current.visit_type?.name ?? t`Appointment`}
            provider={current.provider}
            modality={current.modality}
            address={address}
          />
          <DialogError error={error}>
            {phone ? (
              <p>
                <Trans>
                  Clinic phone: <CallLink phone={phone.phone} display={phone.display} />
                </Trans>
              </p>
            ) : null}
          </DialogError>
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
  const { busy, error, reset, run } = useDialogAction();
  const current = useShown(a);

  useEffect(() => {
    reset();
    setAnyProvider(true);
  }, [a?.id]);

  const join = async () => {
    if (!a) return;
    await run(
      async () => {
        await appointmentsApi(api).joinWaitlist(a.patient_id, a.id, anyProvider);
        onDone(a.id, t`You're on the waitlist. If an earlier time opens up, we'll let you know and you can take it here.`);
      },
      (e) => {
        if (e instanceof ApiError && e.status === 409 && /already on the waitlist/i.test(e.message)) {
          onDone(a.id, t`You're already on the waitlist for an earlier time.`);
          return null;
        }
        return errorText(e, t`We couldn't add you to the waitlist. Please try again.`);
      },
    );
  };

  return (
    <Dialog
      open={a !== null}
      onClose={onClose}
      id="appt-waitlist"
      title={t`Offer me an earlier time`}
      describedBy="appt-waitlist-desc"
      footer={
        <DialogButtons
          busy={busy}
          busyLabel={t`Joining…`}
          label={t`Join the waitlist`}
          onAction={join}
          actionClass="button--primary"
          closeLabel={t`Not now`}
          onClose={onClose}
        />
      }
    >
      {current ? (
        <>
          <p id="appt-waitlist-desc">
            {waitlistText(formatDay(current.starts_at, current.time_zone))}
          </p>
          <fieldset class="radios">
            <legend>{t`Who can the earlier time be with?`}</legend>
            <div class="check">
              <input type="radio" id="appt-wait-any" name="appt-wait" checked={anyProvider} onChange={() => setAnyProvider(true)} />
              <label for="appt-wait-any">{t`Any provider`}</label>
            </div>
            <div class="check">
              <input type="radio" id="appt-wait-same" name="appt-wait" checked={!anyProvider} onChange={() => setAnyProvider(false)} />
              <label for="appt-wait-same">{onlyText(current.provider.name)}</label>
            </div>
          </fieldset>
          <DialogError error={error} />
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
      onError(errorText(e, t`We couldn't move your appointment to that time. Please try again.`));
    } finally {
      setBusy(null);
    }
  };
  return (
    <section class="appt-section" aria-labelledby="appt-offers">
      <h2 id="appt-offers" class="section-title">
        {t`Earlier times for you`}
      </h2>
      <ul class="appt-list">
        {offers.map((o) => {
          const current = upcoming.find((a) => a.id === o.appointment_id);
          const tz = current?.time_zone ?? timeZone ?? browserTimeZone();
          return (
            <li class="card appt-offer" key={o.id}>
              <p class="appt-offer-title">
                <ApptIcon name="earlier" />
                {offerTitle(formatDay(o.starts_at, tz), formatTimeRange(o.starts_at, o.ends_at, tz), o.provider.name)}
              </p>
              <p class="muted">
                {current ? `${insteadOfText(formatDay(current.starts_at, tz), formatTime(current.starts_at, tz))} ` : ''}
                {offerOpenText(formatShortDateTime(o.expires_at, tz))}
              </p>
              <button type="button" class="button button--primary" onClick={() => take(o)} aria-disabled={busy ? 'true' : undefined}>
                {busy === o.id ? t`Moving…` : t`Take this time`}
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
