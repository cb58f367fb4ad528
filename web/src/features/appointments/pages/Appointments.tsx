// The patient's appointment list: upcoming, cancelled and past visits, and earlier times the clinic has
// offered. The cards (join, eCheck-in, calendar, reschedule, cancel, waitlist) and dialogs have their own files.

import { t } from '@lingui/core/macro';
import { useRef, useState } from 'preact/hooks';
import { ApiError } from '../../../shared/api/client';
import { type Appointment, appointmentsApi, type WaitlistOffer } from '../api';
import { activeFirst, formatDay, formatTime, zoneLabel } from '../appointmentsFormat';
import { Loading, Notice, Page } from '../../../shared/ui/ui';
import { useApp } from '../../../shared/context';
import { Link } from '../../../router';
import { ApptIcon } from './AppointmentsHome';
import { errorText, takeFlash, waitlisted } from './AppointmentsShared';
import { useLoad } from '../../../shared/hooks/useLoad';
import { usePagedList } from '../../../shared/hooks/usePagedList';
import { CancelDialog, Offers, WaitlistDialog } from './AppointmentDialogs';
import { CompactCard, UpcomingCard } from './AppointmentCards';

export type Status = { tone: 'success' | 'error' | 'info'; text: string } | null;

function allTimesLead(zone: string): string {
  return t`All times are the clinic's local time: ${zone}.`;
}

function movedText(a: Appointment): string {
  const day = formatDay(a.starts_at, a.time_zone);
  const time = formatTime(a.starts_at, a.time_zone);
  const provider = a.provider.name;
  return t`Done: your appointment is now on ${day} at ${time} with ${provider}.`;
}

function cancelledText(a: Appointment): string {
  const day = formatDay(a.starts_at, a.time_zone);
  const time = formatTime(a.starts_at, a.time_zone);
  return t`Your appointment on ${day} at ${time} is cancelled.`;
}

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
    !failure || (failure instanceof ApiError && failure.code === 'unauthorized') ? null : errorText(failure, t`We couldn't load appointments. Please try again.`);
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
      say({ tone: 'error', text: errorText(e, t`We couldn't load more past visits. Please try again.`) });
    } finally {
      setMoreBusy(false);
    }
  };

  const name = patient?.display_name ?? '';
  const title = forSelf || !patient ? t`Appointments` : t`${name}'s appointments`;
  const zone = upcoming?.[0]?.time_zone ?? past?.[0]?.time_zone ?? null;
  const { active, inactive } = activeFirst(upcoming ?? []);
  const phone = clinic ? { phone: clinic.phone, display: clinic.phone_display } : null;

  return (
    <Page
      title={title}
      lead={zone ? allTimesLead(zoneLabel(zone)) : t`Book, change, check in for and join your visits.`}
    >
      <div class="appt-toolbar">
        <Link href="/appointments/book" class="button button--primary">
          <ApptIcon name="calendar" />
          {t`Book an appointment`}
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
        <Notice tone="error" role="alert" title={t`We couldn't load appointments`}>
          <p>{loadError}</p>
          <button type="button" class="button button--secondary" onClick={reload}>
            {t`Try again`}
          </button>
        </Notice>
      ) : upcoming === null || past === null ? (
        <Loading label={t`Loading appointments…`} />
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
                  text: movedText(a),
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
              {t`Upcoming`}
            </h2>
            {active.length === 0 ? (
              <div class="card appt-empty-card">
                <p>{forSelf ? t`You have no upcoming appointments.` : t`No upcoming appointments.`}</p>
                <Link href="/appointments/book" class="button button--secondary">
                  {t`Find a time`}
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
                {t`Cancelled`}
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
              {t`Past`}
            </h2>
            {past.length === 0 ? (
              <p class="muted">{t`No past visits yet.`}</p>
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
                  {moreBusy ? t`Loading…` : t`Show earlier visits`}
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
          say({ tone: 'success', text: cancelledText(a) });
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
