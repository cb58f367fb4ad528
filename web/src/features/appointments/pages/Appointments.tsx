// The patient's list: upcoming (with join, eCheck-in, calendar, reschedule, cancel,
// earlier-time waitlist), cancelled, and past visits; plus earlier times the clinic has offered.

import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../../shared/api/client';
import { type Appointment, appointmentsApi, type WaitlistOffer } from '../api';
import {
  activeFirst,
  calendarFilename,
  formatDay,
  formatShortDateTime,
  formatTime,
  formatTimeRange,
  MODALITY_LABEL,
  providerLine,
  saveBlob,
  zoneLabel,
} from '../appointmentsFormat';
import { Dialog } from '../../../shared/ui/Dialog';
import { Loading, Notice, Page } from '../../../shared/ui/ui';
import { useApp } from '../../../shared/context';
import { Link } from '../../../router';
import { ApptIcon, DateLeaf, StatusChip } from './AppointmentsHome';
import { CallLink, deadlineText, errorText, modalityIcon, takeFlash, VisitFacts, waitlisted } from './AppointmentsShared';
import { useLoad } from '../../../shared/hooks/useLoad';
import { usePagedList } from '../../../shared/hooks/usePagedList';

type Status = { tone: 'success' | 'error' | 'info'; text: string } | null;

export function AppointmentsPage() {
  const { api, patient, clinic } = useApp();
  const pid = patient?.id ?? null;
  const forSelf = patient?.relationship === 'self';
  const [status, setStatus] = useState<Status>(() => {
    const message = takeFlash();
    return message ? { tone: 'success', text: message } : null;
  });
  const [moreBusy, setMoreBusy] = useState(false);
  const [cancelling, setCancelling] = useState<Appointment | null>(null);
  const [waitFor, setWaitFor] = useState<Appointment | null>(null);
  const [waiting, setWaiting] = useState<ReadonlySet<string>>(() => new Set(waitlisted));
  const markWaiting = (id: string, on: boolean) => {
    if (on) waitlisted.add(id);
    else waitlisted.delete(id);
    setWaiting(new Set(waitlisted));
  };
  const statusRef = useRef<HTMLDivElement>(null);

  const shown = (items: Appointment[]) => items.filter((a) => a.status !== 'rescheduled');
  const coming = useLoad(
    (signal) =>
      Promise.all([
        appointmentsApi(api).appointments(pid!, 'upcoming', null, signal),
        appointmentsApi(api)
          .waitlistOffers(pid!, signal)
          .catch(() => ({ items: [] as WaitlistOffer[] })),
      ]).then(([up, offered]) => ({ upcoming: shown(up.items), offers: offered.items })),
    [pid],
    { enabled: pid !== null, keepData: true },
  );
  const pastList = usePagedList<Appointment>(
    (cursor, signal) => appointmentsApi(api).appointments(pid!, 'past', cursor, signal).then((page) => ({ ...page, items: shown(page.items) })),
    [pid],
    { enabled: pid !== null, keepItems: true },
  );
  const upcoming = coming.data?.upcoming ?? null;
  const offers = coming.data?.offers ?? [];
  const past = pastList.items;
  const failure = coming.error ?? pastList.error;
  const loadError =
    !failure || (failure instanceof ApiError && failure.code === 'unauthorized') ? null : errorText(failure, "We couldn't load appointments. Please try again.");
  const reload = () => {
    coming.reload();
    pastList.reload();
  };

  const say = (next: Status) => {
    setStatus(next);
    requestAnimationFrame(() => statusRef.current?.focus());
  };

  const loadMorePast = async () => {
    if (moreBusy) return;
    setMoreBusy(true);
    try {
      await pastList.loadMore();
    } catch (e) {
      say({ tone: 'error', text: errorText(e, "We couldn't load more past visits. Please try again.") });
    } finally {
      setMoreBusy(false);
    }
  };

  const title = forSelf || !patient ? 'Appointments' : `${patient.display_name}'s appointments`;
  const zone = upcoming?.[0]?.time_zone ?? past?.[0]?.time_zone ?? null;
  const { active, inactive } = activeFirst(upcoming ?? []);
  const phone = clinic ? { phone: clinic.phone, display: clinic.phone_display } : null;

  return (
    <Page
      title={title}
      lead={zone ? `All times are the clinic's local time: ${zoneLabel(zone)}.` : 'Book, change, check in for and join your visits.'}
    >
      <div class="appt-toolbar">
        <Link href="/appointments/book" class="button button--primary">
          <ApptIcon name="calendar" />
          Book an appointment
        </Link>
      </div>

      <div ref={statusRef} tabIndex={-1} class="status-anchor">
        <div role="status" aria-live="polite">
          {status ? (
            <Notice tone={status.tone}>
              <p>{status.text}</p>
            </Notice>
          ) : null}
        </div>
      </div>

      {loadError ? (
        <Notice tone="error" role="alert" title="We couldn't load appointments">
          <p>{loadError}</p>
          <button type="button" class="button button--secondary" onClick={reload}>
            Try again
          </button>
        </Notice>
      ) : upcoming === null || past === null ? (
        <Loading label="Loading appointments…" />
      ) : (
        <>
          {offers.length > 0 ? (
            <Offers
              offers={offers}
              upcoming={active}
              timeZone={zone}
              onTaken={(a) => {
                say({
                  tone: 'success',
                  text: `Done: your appointment is now on ${formatDay(a.starts_at, a.time_zone)} at ${formatTime(a.starts_at, a.time_zone)} with ${a.provider.name}.`,
                });
                reload();
              }}
              onError={(text) => {
                say({ tone: 'error', text });
                reload();
              }}
            />
          ) : null}

          <section class="appt-section" aria-labelledby="appt-upcoming">
            <h2 id="appt-upcoming" class="section-title">
              Upcoming
            </h2>
            {active.length === 0 ? (
              <div class="card appt-empty-card">
                <p>{forSelf ? 'You have no upcoming appointments.' : 'No upcoming appointments.'}</p>
                <Link href="/appointments/book" class="button button--secondary">
                  Find a time
                </Link>
              </div>
            ) : (
              <ul class="appt-list">
                {active.map((a) => (
                  <UpcomingCard
                    key={a.id}
                    appointment={a}
                    phone={phone}
                    address={clinic?.address ?? null}
                    onCancel={() => setCancelling(a)}
                    onWaitlist={() => setWaitFor(a)}
                    onList={waiting.has(a.id)}
                    onLeftList={() => markWaiting(a.id, false)}
                    onStatus={say}
                  />
                ))}
              </ul>
            )}
          </section>

          {inactive.length > 0 ? (
            <section class="appt-section" aria-labelledby="appt-cancelled">
              <h2 id="appt-cancelled" class="section-title">
                Cancelled
              </h2>
              <ul class="appt-list appt-list--compact">
                {inactive.map((a) => (
                  <CompactCard key={a.id} appointment={a} />
                ))}
              </ul>
            </section>
          ) : null}

          <section class="appt-section" aria-labelledby="appt-past">
            <h2 id="appt-past" class="section-title">
              Past
            </h2>
            {past.length === 0 ? (
              <p class="muted">No past visits yet.</p>
            ) : (
              <ul class="appt-list appt-list--compact">
                {past.map((a) => (
                  <CompactCard key={a.id} appointment={a} past />
                ))}
              </ul>
            )}
            {pastList.hasMore ? (
              <div class="center">
                <button type="button" class="button button--secondary" onClick={loadMorePast} aria-disabled={moreBusy ? 'true' : undefined}>
                  {moreBusy ? 'Loading…' : 'Show earlier visits'}
                </button>
              </div>
            ) : null}
          </section>
        </>
      )}

      <CancelDialog
        appointment={cancelling}
        address={clinic?.address ?? null}
        phone={phone}
        onClose={() => setCancelling(null)}
        onDone={(a) => {
          setCancelling(null);
          say({ tone: 'success', text: `Your appointment on ${formatDay(a.starts_at, a.time_zone)} at ${formatTime(a.starts_at, a.time_zone)} is cancelled.` });
          reload();
        }}
        onStale={() => reload()}
      />
      <WaitlistDialog
        appointment={waitFor}
        onClose={() => setWaitFor(null)}
        onDone={(id, text) => {
          markWaiting(id, true);
          setWaitFor(null);
          say({ tone: 'success', text });
        }}
      />
    </Page>
  );
}

function UpcomingCard({
  appointment: a,
  phone,
  address,
  onCancel,
  onWaitlist,
  onList,
  onLeftList,
  onStatus,
}: {
  appointment: Appointment;
  phone: { phone: string; display: string } | null;
  address: string | null;
  onCancel: () => void;
  onWaitlist: () => void;
  onList: boolean;
  onLeftList: () => void;
  onStatus: (s: Status) => void;
}) {
  const { api } = useApp();
  const [icsBusy, setIcsBusy] = useState(false);
  const [joinBusy, setJoinBusy] = useState(false);
  const [joinUrl, setJoinUrl] = useState<string | null>(null);
  const [leaving, setLeaving] = useState(false);
  const roomRef = useRef<HTMLAnchorElement>(null);
  const tz = a.time_zone;
  const visitName = a.visit_type?.name ?? 'Appointment';
  const headingId = `appt-${a.id}-title`;
  const checkinPath = `/appointments/${encodeURIComponent(a.id)}/check-in`;
  const changesClosed = !a.can_cancel && !a.can_reschedule;

  // The join window opens (15 minutes before) and closes (at the end) while the page may be open:
  // re-check every 30 seconds for a video visit; the server still decides when the link is asked for.
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!a.join || a.status !== 'booked' || Date.now() >= Date.parse(a.join.closes_at)) return undefined;
    const timer = setInterval(() => setTick((n) => n + 1), 30_000);
    return () => clearInterval(timer);
  }, [a.id]);
  const joinOpen = a.join
    ? tick === 0
      ? a.join.available_now
      : Date.now() >= Date.parse(a.join.opens_at) && Date.now() < Date.parse(a.join.closes_at)
    : false;

  const downloadIcs = async () => {
    if (icsBusy) return;
    setIcsBusy(true);
    try {
      const blob = await appointmentsApi(api).appointmentCalendar(a.patient_id, a.id);
      saveBlob(new Blob([blob], { type: 'text/calendar' }), calendarFilename(a));
      onStatus({ tone: 'info', text: 'The calendar file was downloaded. Open it to add the visit to your calendar.' });
    } catch (e) {
      onStatus({ tone: 'error', text: errorText(e, "We couldn't make the calendar file. Please try again.") });
    } finally {
      setIcsBusy(false);
    }
  };

  const join = async () => {
    if (joinBusy) return;
    setJoinBusy(true);
    try {
      const link = await appointmentsApi(api).joinVideo(a.patient_id, a.id);
      setJoinUrl(link.url);
      requestAnimationFrame(() => roomRef.current?.focus());
    } catch (e) {
      onStatus({ tone: 'error', text: errorText(e, "We couldn't open the video visit. Please try again or call the clinic.") });
    } finally {
      setJoinBusy(false);
    }
  };

  const leaveList = async () => {
    if (leaving) return;
    setLeaving(true);
    try {
      await appointmentsApi(api).leaveWaitlist(a.patient_id, a.id);
      onLeftList();
      onStatus({ tone: 'success', text: 'You are no longer waiting for an earlier time. Your appointment is unchanged.' });
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) onLeftList();
      onStatus({ tone: 'error', text: errorText(e, "We couldn't update the waitlist. Please try again.") });
    } finally {
      setLeaving(false);
    }
  };

  return (
    <li class="card appt-card">
      <DateLeaf iso={a.starts_at} timeZone={tz} />
      <div class="appt-card-body">
        <div class="appt-card-top">
          <h3 id={headingId} class="appt-card-title">
            <span class="appt-card-day">{formatDay(a.starts_at, tz)}</span>,{' '}
            <span class="appt-card-time">{formatTimeRange(a.starts_at, a.ends_at, tz)}</span>
          </h3>
          <StatusChip appointment={a} />
        </div>
        <p class="appt-zone">{zoneLabel(tz, a.starts_at)}</p>
        <ul class="appt-meta">
          <li>
            <ApptIcon name="clipboard" size={18} />
            {visitName}
            {a.visit_type ? <span class="muted"> · {a.visit_type.duration_minutes} min</span> : null}
          </li>
          <li>
            <ApptIcon name="user" size={18} />
            {providerLine(a.provider)}
          </li>
          <li>
            {modalityIcon(a.modality)}
            {a.modality === 'video' ? MODALITY_LABEL.video : address ? `In person · ${address}` : 'In person at the clinic'}
          </li>
        </ul>

        {a.status === 'requested' ? (
          <p class="appt-note">
            <ApptIcon name="pending" size={18} />
            <span>The clinic will confirm this time. We'll let you know by your chosen contact method.</span>
          </p>
        ) : null}

        {a.join && a.status === 'booked' ? (
          joinOpen ? (
            <div class="appt-join">
              {joinUrl ? (
                <>
                  <a ref={roomRef} class="button button--primary" href={joinUrl} target="_blank" rel="noopener noreferrer">
                    <ApptIcon name="video" />
                    Open the video room<span class="visually-hidden"> (opens in a new tab)</span>
                  </a>
                  <p class="muted small">The room opens in a new tab. Allow your camera and microphone when asked.</p>
                </>
              ) : (
                <button type="button" class="button button--primary" onClick={join} aria-disabled={joinBusy ? 'true' : undefined}>
                  <ApptIcon name="video" />
                  {joinBusy ? 'Opening…' : 'Join video visit'}
                </button>
              )}
            </div>
          ) : tick > 0 && Date.now() >= Date.parse(a.join.closes_at) ? (
            <p class="appt-note muted">
              <ApptIcon name="video" size={18} />
              <span>This video visit has ended.</span>
            </p>
          ) : (
            <p class="appt-note">
              <ApptIcon name="video" size={18} />
              <span>
                You can join from {formatShortDateTime(a.join.opens_at, tz)},{' '}
                {Math.round((Date.parse(a.starts_at) - Date.parse(a.join.opens_at)) / 60_000)} minutes before the start. The join
                button appears here then.
              </span>
            </p>
          )
        ) : null}

        {a.checkin && a.status === 'booked' ? (
          <div class="appt-checkin">
            {a.checkin.status === 'completed' ? (
              <p class="appt-done">
                <ApptIcon name="check" size={18} />
                <span>eCheck-in done. Thank you!</span>
                {a.checkin.available_now ? (
                  <Link href={checkinPath} class="appt-inline-link">
                    Review or update<span class="visually-hidden"> eCheck-in for {formatDay(a.starts_at, tz)}</span>
                  </Link>
                ) : null}
              </p>
            ) : a.checkin.available_now ? (
              <>
                <p class="appt-note">
                  <ApptIcon name="clipboard" size={18} />
                  <span>eCheck-in is open: confirm your details and answer a few questions before the visit.</span>
                </p>
                <Link href={checkinPath} class="button button--primary">
                  {a.checkin.status === 'in_progress' ? 'Finish eCheck-in' : 'Start eCheck-in'}
                  <span class="visually-hidden"> for {formatDay(a.starts_at, tz)}</span>
                </Link>
              </>
            ) : (
              <p class="appt-note muted">
                <ApptIcon name="clipboard" size={18} />
                <span>eCheck-in opens on {formatShortDateTime(a.checkin.opens_at, tz)}.</span>
              </p>
            )}
          </div>
        ) : null}

        {onList ? (
          <p class="appt-done">
            <ApptIcon name="earlier" size={18} />
            <span>You're on the waitlist for an earlier time.</span>
            <button type="button" class="link-button appt-inline-link" onClick={leaveList} aria-disabled={leaving ? 'true' : undefined}>
              Stop waiting
            </button>
          </p>
        ) : null}

        <div class="appt-actions">
          <button type="button" class="button button--secondary" onClick={downloadIcs} aria-disabled={icsBusy ? 'true' : undefined}>
            <ApptIcon name="download" />
            {icsBusy ? 'Preparing…' : 'Add to calendar'}
            <span class="visually-hidden"> ({formatDay(a.starts_at, tz)})</span>
          </button>
          {a.can_reschedule ? (
            <Link href={`/appointments/${encodeURIComponent(a.id)}/reschedule`} class="button button--secondary">
              Reschedule<span class="visually-hidden"> {formatDay(a.starts_at, tz)}</span>
            </Link>
          ) : null}
          {a.status === 'booked' && !onList && a.can_reschedule ? (
            <button type="button" class="button button--ghost appt-earlier" onClick={onWaitlist} aria-haspopup="dialog">
              <ApptIcon name="earlier" />
              Offer me an earlier time
            </button>
          ) : null}
          {a.can_cancel ? (
            <button type="button" class="button appt-button--danger" onClick={onCancel} aria-haspopup="dialog">
              {a.status === 'requested' ? 'Withdraw request' : 'Cancel'}
              <span class="visually-hidden"> appointment on {formatDay(a.starts_at, tz)}</span>
            </button>
          ) : null}
        </div>
        {a.can_cancel ? (
          <p class="muted small appt-policy">You can cancel or change online until {deadlineText(a)}.</p>
        ) : changesClosed ? (
          <p class="appt-policy small">
            Online changes closed on {deadlineText(a)}. To cancel or change, call the clinic
            {phone ? (
              <>
                {' '}
                at <CallLink phone={phone.phone} display={phone.display} />
              </>
            ) : null}
            .
          </p>
        ) : null}
      </div>
    </li>
  );
}

function CompactCard({ appointment: a, past = false }: { appointment: Appointment; past?: boolean }) {
  const tz = a.time_zone;
  return (
    <li class="appt-row">
      <div class="appt-row-when">
        <p class="appt-row-day">{formatDay(a.starts_at, tz)}</p>
        <p class="muted small">{formatTimeRange(a.starts_at, a.ends_at, tz)}</p>
      </div>
      <div class="appt-row-what">
        <p>
          {a.visit_type?.name ?? 'Appointment'}
          <span class="muted"> · {a.provider.name}</span>
        </p>
        <p class="muted small">{MODALITY_LABEL[a.modality]}</p>
      </div>
      <StatusChip appointment={a} past={past} />
    </li>
  );
}

function CancelDialog({
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

function WaitlistDialog({
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

function Offers({
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
