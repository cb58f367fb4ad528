// Pieces the patient and staff appointment pages share: the time picker (a native
// date input plus a radio group of times, never a grid-only calendar), the appointment summary, messages.

import { t } from '@lingui/core/macro';
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { ApiError } from '../../../shared/api/client';
import { type Appointment, type AppointmentProvider, appointmentsApi, type BookingOptions } from '../api';
import { formatDay, formatTime, formatTimeRange, MODALITY_LABEL, providerLine, sentence, zoneLabel } from '../appointmentsFormat';
import { Icon } from '../../../shared/ui/Icons';
import { useApp } from '../../../shared/context';
import { formatPhone } from '../../../shared/format';
import { currentLocale } from '../../../shared/i18n';
import { ApptIcon } from './AppointmentsHome';
import { useLoad } from '../../../shared/hooks/useLoad';

export const SEARCH_DAYS = 7;
/** Times shown per day before "Show all" (keeps a week readable on a phone). */
export const TIMES_PER_DAY = 6;

/** A people-facing sentence for a failed call (the backend's messages are written for people). */
export function errorText(e: unknown, fallback: string): string {
  if (e instanceof ApiError) {
    if (e.code === 'network') return e.message;
    if ((e.status === 409 || e.status === 403 || e.status === 400) && e.message && !/^Request failed/.test(e.message)) {
      return sentence(e.message);
    }
  }
  return fallback;
}

/** A one-shot message carried to the next page (e.g. "Your appointment is booked" after navigating). */
let flash: string | null = null;
export function setFlash(message: string): void {
  flash = message;
}
export function takeFlash(): string | null {
  const message = flash;
  flash = null;
  return message;
}

/** Appointments joined to the waitlist in this session (the API has no way to read it back yet). */
export const waitlisted = new Set<string>();

export function useBookingOptions(pid: string | null) {
  const { api } = useApp();
  // The options are worded in the language on screen: load them again when it changes.
  const locale = currentLocale();
  const loaded = useLoad((signal) => appointmentsApi(api).bookingOptions(pid!, signal), [pid, locale], { enabled: pid !== null, keepData: true });
  const error = loaded.error ? errorText(loaded.error, t`We couldn't load the kinds of visit. Please try again.`) : null;
  return { options: loaded.data, error, retry: loaded.reload };
}

export function clinicPhone(options: BookingOptions | null, fallback: { phone: string; phone_display: string } | null) {
  const phone = options?.clinic_phone ?? fallback?.phone ?? '';
  return { phone, display: fallback?.phone_display ?? formatPhone(phone) };
}

export function CallLink({ phone, display }: { phone: string; display: string }) {
  if (!phone) return null;
  return (
    <a href={`tel:${phone}`} class="appt-call">
      <Icon name="phone" size={18} />
      {display}
    </a>
  );
}

/** Where the visit happens, in words. */
export function whereText(modality: Appointment['modality'], address: string | null | undefined): string {
  if (modality === 'video') return t`Video visit from home: join here in the portal shortly before the start`;
  return address ? t`In person at ${address}` : t`In person at the clinic`;
}

/** A definition list describing a visit (used on confirm screens, dialogs, and check-in). */
export function VisitFacts({
  start,
  end,
  timeZone,
  visitName,
  provider,
  modality,
  address,
  extra,
}: {
  start: string;
  end: string;
  timeZone: string;
  visitName: string;
  provider: AppointmentProvider;
  modality: Appointment['modality'];
  address?: string | null;
  extra?: ComponentChildren;
}) {
  return (
    <dl class="appt-facts">
      <div>
        <dt>{t`Date`}</dt>
        <dd>{formatDay(start, timeZone)}</dd>
      </div>
      <div>
        <dt>{t`Time`}</dt>
        <dd>
          {formatTimeRange(start, end, timeZone)} <span class="appt-zone-inline">{zoneLabel(timeZone, start)}</span>
        </dd>
      </div>
      <div>
        <dt>{t`Visit`}</dt>
        <dd>{visitName}</dd>
      </div>
      <div>
        <dt>{t`With`}</dt>
        <dd>{providerLine(provider)}</dd>
      </div>
      <div class="appt-facts-wide">
        <dt>{t`Where`}</dt>
        <dd>{whereText(modality, address)}</dd>
      </div>
      {extra}
    </dl>
  );
}

/** Move focus to an element once it has rendered (headings of a new step, notices). */
export function useFocusOn<T extends HTMLElement>(trigger: unknown) {
  const ref = useRef<T>(null);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    requestAnimationFrame(() => ref.current?.focus());
  }, [trigger]);
  return ref;
}

export function focusSoon(id: string): void {
  requestAnimationFrame(() => document.getElementById(id)?.focus());
}

/** Focus the chosen (or first) control inside a group, else a fallback element. */
export function focusFirstIn(id: string, fallbackId: string): void {
  requestAnimationFrame(() => {
    const group = document.getElementById(id);
    const target = group?.querySelector<HTMLInputElement>('input:checked') ?? group?.querySelector<HTMLInputElement>('input');
    (target ?? document.getElementById(fallbackId))?.focus();
  });
}

/** The cancel/change deadline in words. */
export function deadlineText(a: Appointment): string {
  const day = formatDay(a.cancel_deadline, a.time_zone);
  const time = formatTime(a.cancel_deadline, a.time_zone);
  return t`${day} at ${time}`;
}

export function modalityIcon(m: Appointment['modality']) {
  return <ApptIcon name={m === 'video' ? 'video' : 'pin'} size={18} />;
}

export { MODALITY_LABEL };
