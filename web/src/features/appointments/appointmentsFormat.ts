// Dates and times in the clinic's time zone, labels, and grouping of open times.
//
// The API sends instants with the clinic's UTC offset ("2026-12-01T09:20:00-06:00"), so the clinic's
// calendar day is the first ten characters; formatting always passes the clinic's zone explicitly, so a
// patient travelling in another zone still sees (and is told) the clinic's local time.

import { msg, t } from '@lingui/core/macro';
import type { MessageDescriptor } from '@lingui/core';
import { dateTimeFormat, isoDayIn } from '../../shared/format';
import { i18n } from '../../shared/i18n';
import type { Appointment, AppointmentProvider, AppointmentSlot, AppointmentStatus, Modality } from './api';

/** The clinic-local calendar day of an instant the API sent with the clinic's offset. */
export function clinicDay(iso: string): string {
  return iso.slice(0, 10);
}

function fmt(options: Intl.DateTimeFormatOptions, timeZone: string): Intl.DateTimeFormat {
  return dateTimeFormat({ ...options, timeZone });
}

/** "Tuesday, December 1" (with the year when it isn't the current one). */
export function formatDay(iso: string, timeZone: string, now: Date = new Date()): string {
  const date = new Date(iso);
  const sameYear = fmt({ year: 'numeric' }, timeZone).format(date) === fmt({ year: 'numeric' }, timeZone).format(now);
  return fmt({ weekday: 'long', month: 'long', day: 'numeric', ...(sameYear ? {} : { year: 'numeric' }) }, timeZone).format(date);
}

/** A clinic calendar day ("2026-12-01") as "Tuesday, December 1". */
export function formatCalendarDay(day: string, now: Date = new Date()): string {
  // Noon UTC on that day is the same calendar day in every zone the Americas use.
  return formatDay(`${day}T12:00:00Z`, 'UTC', now);
}

/** "Dec 1" */
export function formatShortDay(iso: string, timeZone: string): string {
  return fmt({ month: 'short', day: 'numeric' }, timeZone).format(new Date(iso));
}

/** "9:20 AM" */
export function formatTime(iso: string, timeZone: string): string {
  return fmt({ hour: 'numeric', minute: '2-digit' }, timeZone).format(new Date(iso));
}

/** "9:20 – 9:40 AM" style range (the browser's own formatting of a range when it has one). */
export function formatTimeRange(startIso: string, endIso: string, timeZone: string): string {
  const f = fmt({ hour: 'numeric', minute: '2-digit' }, timeZone);
  const start = new Date(startIso);
  const end = new Date(endIso);
  return typeof f.formatRange === 'function' ? f.formatRange(start, end) : `${f.format(start)} – ${f.format(end)}`;
}

/** "Dec 1 at 9:20 AM" */
export function formatShortDateTime(iso: string, timeZone: string): string {
  const day = formatShortDay(iso, timeZone);
  const time = formatTime(iso, timeZone);
  return t`${day} at ${time}`;
}

function zonePart(iso: string, timeZone: string, style: 'short' | 'long' | 'longGeneric'): string | null {
  try {
    const parts = fmt({ timeZoneName: style }, timeZone).formatToParts(new Date(iso));
    return parts.find((p) => p.type === 'timeZoneName')?.value ?? null;
  } catch {
    return null;
  }
}

/**
 * The clinic's zone named for people: "Central Time (CST)"; falls back to the IANA name.
 * Shown next to every time, so nobody has to guess which zone a time is in.
 */
export function zoneLabel(timeZone: string, iso: string = new Date().toISOString()): string {
  const generic = zonePart(iso, timeZone, 'longGeneric');
  const short = zonePart(iso, timeZone, 'short');
  if (generic && short && generic !== short && !/^GMT[+-]/.test(generic)) return `${generic} (${short})`;
  return generic ?? short ?? timeZone.replace(/_/g, ' ');
}

/** Just the abbreviation ("CST"), for compact places. */
export function zoneShort(timeZone: string, iso: string): string {
  return zonePart(iso, timeZone, 'short') ?? timeZone;
}

/** The accessible name of a time choice: "Tuesday, December 1, 9:20 AM with Dr. Priya Rivera". */
export function slotLabel(slot: AppointmentSlot, timeZone: string, now: Date = new Date()): string {
  const day = formatDay(slot.starts_at, timeZone, now);
  const time = formatTime(slot.starts_at, timeZone);
  const provider = slot.provider.name;
  return t`${day}, ${time} with ${provider}`;
}

export interface SlotDay {
  day: string;
  slots: AppointmentSlot[];
}

/** Open times grouped by clinic day, days and times in order. */
export function groupByDay(slots: AppointmentSlot[]): SlotDay[] {
  const days = new Map<string, AppointmentSlot[]>();
  for (const slot of [...slots].sort((a, b) => Date.parse(a.starts_at) - Date.parse(b.starts_at))) {
    const key = clinicDay(slot.starts_at);
    const list = days.get(key);
    if (list) list.push(slot);
    else days.set(key, [slot]);
  }
  return [...days.entries()].map(([day, list]) => ({ day, slots: list }));
}

/**
 * With "any provider", one choice per start time (the first provider with that time), so the list stays
 * short; choosing a provider shows all of that provider's times.
 */
export function onePerTime(slots: AppointmentSlot[]): AppointmentSlot[] {
  const seen = new Set<string>();
  return slots.filter((s) => {
    const key = Date.parse(s.starts_at).toString();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Today's date in the clinic's zone, as YYYY-MM-DD (what <input type="date"> uses). */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  return isoDayIn(timeZone, now);
}

/** Calendar arithmetic on YYYY-MM-DD, free of time zones. */
export function addDays(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

export function isValidDay(day: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return false;
  return addDays(day, 0) === day;
}

export function providerLine(p: AppointmentProvider): string {
  const name = p.credentials && !p.name.startsWith('Dr.') ? `${p.name}, ${p.credentials}` : p.name;
  return p.specialty ? `${name} · ${p.specialty}` : name;
}

const MODALITY_MESSAGES: Record<Modality, MessageDescriptor> = { in_person: msg`In person`, video: msg`Video visit` };

/** "In person" / "Video visit" in the active language (read at render time, so a language switch follows). */
export const MODALITY_LABEL: Readonly<Record<Modality, string>> = {
  get in_person() {
    return i18n._(MODALITY_MESSAGES.in_person);
  },
  get video() {
    return i18n._(MODALITY_MESSAGES.video);
  },
};

/** Words for an appointment's state; never colour alone. */
export function statusLabel(a: Pick<Appointment, 'status'>, past = false): string {
  const labels: Record<AppointmentStatus, string> = {
    booked: past ? t`Past visit` : t`Confirmed`,
    requested: past ? t`Request not confirmed` : t`Requested: waiting for the clinic to confirm`,
    cancelled: t`Cancelled`,
    declined: t`Not confirmed by the clinic`,
    rescheduled: t`Moved to another time`,
  };
  return labels[a.status];
}

export function statusTone(status: AppointmentStatus): 'ok' | 'pending' | 'off' {
  return status === 'booked' ? 'ok' : status === 'requested' ? 'pending' : 'off';
}

/** Upcoming appointments worth showing first: booked or requested, soonest first. */
export function activeFirst(items: Appointment[]): { active: Appointment[]; inactive: Appointment[] } {
  return {
    active: items.filter((a) => a.status === 'booked' || a.status === 'requested'),
    inactive: items.filter((a) => a.status === 'cancelled' || a.status === 'declined'),
  };
}

/** Sentence case for the backend's lower-case reasons ("please call …" -> "Please call …."). */
export function sentence(text: string): string {
  const t = text.trim();
  if (!t) return t;
  const first = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}

/** Save a Blob as a file through a temporary object URL (no token or data in any URL we build). */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** "appointment-2026-12-01.ics" */
export function calendarFilename(a: Pick<Appointment, 'starts_at'>): string {
  return `appointment-${clinicDay(a.starts_at)}.ics`;
}
