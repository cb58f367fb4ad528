// Formatting and small display helpers shared by the pages. Dates, times, money and numbers go through
// Intl in the portal's active language (never the browser's), so a Spanish date never lands in an English
// sentence; each formatter takes the locale, defaulting to the active one.

import { msg } from '@lingui/core/macro';
import type { MessageDescriptor } from '@lingui/core';
import type { LanguageCode, Role } from './api/client';
import { currentLocale, i18n, type Locale } from './i18n';

export const ROLE_LABELS: Record<Role, MessageDescriptor> = {
  patient: msg`Patient`,
  clinician: msg`Clinician`,
  front_desk: msg`Front desk`,
  billing: msg`Billing`,
  admin: msg`Administrator`,
};

export function roleLabel(role: string): string {
  const label = (ROLE_LABELS as Record<string, MessageDescriptor>)[role];
  return label ? i18n._(label) : role;
}

/** The Intl locale for a portal language: US English and US Spanish (dollars, month-day order, a.m./p.m.). */
export function intlLocale(locale: Locale = currentLocale()): string {
  return locale === 'es' ? 'es-US' : 'en-US';
}

/** Languages offered for the preferred-language setting, each named in its own language. */
export const LANGUAGES: ReadonlyArray<{ code: LanguageCode; label: string; lang: string }> = [
  { code: 'en', label: 'English', lang: 'en' },
  { code: 'es', label: 'Español', lang: 'es' },
  { code: 'zh', label: '中文', lang: 'zh' },
  { code: 'vi', label: 'Tiếng Việt', lang: 'vi' },
  { code: 'ko', label: '한국어', lang: 'ko' },
  { code: 'tl', label: 'Tagalog', lang: 'tl' },
  { code: 'ar', label: 'العربية', lang: 'ar' },
  { code: 'fr', label: 'Français', lang: 'fr' },
  { code: 'ru', label: 'Русский', lang: 'ru' },
  { code: 'ht', label: 'Kreyòl ayisyen', lang: 'ht' },
  { code: 'pt', label: 'Português', lang: 'pt' },
  { code: 'de', label: 'Deutsch', lang: 'de' },
];

export const US_STATES: ReadonlyArray<[string, string]> = [
  ['AL', 'Alabama'], ['AK', 'Alaska'], ['AZ', 'Arizona'], ['AR', 'Arkansas'], ['CA', 'California'],
  ['CO', 'Colorado'], ['CT', 'Connecticut'], ['DE', 'Delaware'], ['DC', 'District of Columbia'],
  ['FL', 'Florida'], ['GA', 'Georgia'], ['HI', 'Hawaii'], ['ID', 'Idaho'], ['IL', 'Illinois'],
  ['IN', 'Indiana'], ['IA', 'Iowa'], ['KS', 'Kansas'], ['KY', 'Kentucky'], ['LA', 'Louisiana'],
  ['ME', 'Maine'], ['MD', 'Maryland'], ['MA', 'Massachusetts'], ['MI', 'Michigan'], ['MN', 'Minnesota'],
  ['MS', 'Mississippi'], ['MO', 'Missouri'], ['MT', 'Montana'], ['NE', 'Nebraska'], ['NV', 'Nevada'],
  ['NH', 'New Hampshire'], ['NJ', 'New Jersey'], ['NM', 'New Mexico'], ['NY', 'New York'],
  ['NC', 'North Carolina'], ['ND', 'North Dakota'], ['OH', 'Ohio'], ['OK', 'Oklahoma'], ['OR', 'Oregon'],
  ['PA', 'Pennsylvania'], ['RI', 'Rhode Island'], ['SC', 'South Carolina'], ['SD', 'South Dakota'],
  ['TN', 'Tennessee'], ['TX', 'Texas'], ['UT', 'Utah'], ['VT', 'Vermont'], ['VA', 'Virginia'],
  ['WA', 'Washington'], ['WV', 'West Virginia'], ['WI', 'Wisconsin'], ['WY', 'Wyoming'],
  ['AS', 'American Samoa'], ['GU', 'Guam'], ['MP', 'Northern Mariana Islands'], ['PR', 'Puerto Rico'],
  ['VI', 'U.S. Virgin Islands'],
];

// Spanish names where they differ from the English ones (the codes never change).
const US_STATE_NAMES_ES: Readonly<Record<string, string>> = {
  DC: 'Distrito de Columbia', HI: 'Hawái', LA: 'Luisiana', MI: 'Míchigan', MS: 'Misisipi', MO: 'Misuri',
  NH: 'Nuevo Hampshire', NJ: 'Nueva Jersey', NM: 'Nuevo México', NY: 'Nueva York', NC: 'Carolina del Norte',
  ND: 'Dakota del Norte', OR: 'Oregón', PA: 'Pensilvania', SC: 'Carolina del Sur', SD: 'Dakota del Sur',
  WV: 'Virginia Occidental', AS: 'Samoa Estadounidense', MP: 'Islas Marianas del Norte',
  PR: 'Puerto Rico', VI: 'Islas Vírgenes de EE. UU.',
};

/** The states and territories as [code, name] options, named in the active language. */
export function usStateOptions(locale: Locale = currentLocale()): ReadonlyArray<[string, string]> {
  if (locale !== 'es') return US_STATES;
  return US_STATES.map(([code, name]) => [code, US_STATE_NAMES_ES[code] ?? name]);
}

/** A calendar date ("1984-03-09") as "March 9, 1984", without time-zone drift. */
export function formatDate(isoDate: string, locale: Locale = currentLocale()): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!match) return isoDate;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: 'long', timeZone: 'UTC' }).format(date);
}

/** An instant in the viewer's local time, e.g. "Nov 29, 2026, 9:41 AM". */
export function formatDateTime(iso: string, timeZone?: string, locale: Locale = currentLocale()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(intlLocale(locale), {
    dateStyle: 'medium',
    timeStyle: 'short',
    ...(timeZone ? { timeZone } : {}),
  }).format(date);
}

/** A day and time with a weekday, e.g. "Thursday, December 10 at 9:20 AM" / "jueves, 10 de diciembre, 9:20 a.m.". */
export function formatWeekdayDateTime(iso: string, timeZone?: string, locale: Locale = currentLocale()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(intlLocale(locale), {
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    ...(timeZone ? { timeZone } : {}),
  }).format(date);
}

/** A date-time formatter in the active language; features build their own patterns on it. */
export function dateTimeFormat(options: Intl.DateTimeFormatOptions, locale: Locale = currentLocale()): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat(intlLocale(locale), options);
}

/** Today's calendar day in a time zone as YYYY-MM-DD (the form <input type="date"> uses; not for display). */
export function isoDayIn(timeZone: string, now: Date = new Date()): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** The browser's own time zone (where the person is, as opposed to the clinic). */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** An amount of money in cents, e.g. 123450 -> "$1,234.50". */
export function formatMoney(cents: number, currency = 'USD', locale: Locale = currentLocale()): string {
  return new Intl.NumberFormat(intlLocale(locale), { style: 'currency', currency }).format(cents / 100);
}

/** A number with the language's grouping and decimal marks. */
export function formatNumber(value: number, options: Intl.NumberFormatOptions = {}, locale: Locale = currentLocale()): string {
  return new Intl.NumberFormat(intlLocale(locale), options).format(value);
}

/** E.164 North American numbers as (555) 010-0123; anything else unchanged. */
export function formatPhone(e164: string | null | undefined): string {
  if (!e164) return '';
  const match = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164);
  return match ? `(${match[1]}) ${match[2]}-${match[3]}` : e164;
}

/** Best-effort E.164 form of what someone typed, used only to tell whether the number changed. */
export function normalizePhone(input: string): string {
  const trimmed = input.trim();
  if (!trimmed) return '';
  const digits = trimmed.replace(/\D/g, '');
  if (trimmed.startsWith('+')) return `+${digits}`;
  if (digits.length === 10) return `+1${digits}`;
  if (digits.length === 11 && digits.startsWith('1')) return `+${digits}`;
  return digits;
}

export function capitalize(text: string): string {
  return text ? text.charAt(0).toUpperCase() + text.slice(1) : text;
}

/** Given name for greetings: preferred name if set, else the legal given name. */
export function firstName(displayName: string): string {
  return displayName.trim().split(/\s+/)[0] ?? displayName;
}

function channel(c: number): number {
  const s = c / 255;
  return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
}

function luminance(hex: string): number {
  const n = Number.parseInt(hex.slice(1), 16);
  return 0.2126 * channel((n >> 16) & 255) + 0.7152 * channel((n >> 8) & 255) + 0.0722 * channel(n & 255);
}

export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/**
 * The clinic's colour, darkened until white text on it (and it as text on white) reaches `target`
 * contrast, so a pale brand colour can't make buttons or links unreadable.
 */
export function accessibleBrand(hex: string, target = 4.5): string {
  if (!/^#[0-9a-fA-F]{6}$/.test(hex)) return '#0f5f8c';
  let n = Number.parseInt(hex.slice(1), 16);
  let [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  let color = hex.toLowerCase();
  for (let i = 0; i < 40 && contrastRatio(color, '#ffffff') < target; i++) {
    [r, g, b] = [Math.floor(r * 0.92), Math.floor(g * 0.92), Math.floor(b * 0.92)];
    n = (r << 16) | (g << 8) | b;
    color = `#${n.toString(16).padStart(6, '0')}`;
  }
  return color;
}

/** A clock time in the viewer's time zone, e.g. "3:05 PM" / "3:05 p.m.". */
export function formatTime(iso: string, locale: Locale = currentLocale()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(intlLocale(locale), { hour: 'numeric', minute: '2-digit' }).format(date);
}

/** A short day for lists, e.g. "Nov 3" / "3 nov", with the year when asked ("Nov 3, 2024"). */
export function formatShortDate(iso: string, withYear = false, locale: Locale = currentLocale()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(intlLocale(locale), {
    month: 'short',
    day: 'numeric',
    ...(withYear ? { year: 'numeric' } : {}),
  }).format(date);
}

/** The calendar day of an instant, in the viewer's (or the given) time zone: "March 3, 2026" / "3 de marzo de 2026". */
export function formatDay(instant: string | Date, timeZone?: string, locale: Locale = currentLocale()): string {
  const date = typeof instant === 'string' ? new Date(instant) : instant;
  if (Number.isNaN(date.getTime())) return String(instant);
  return new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: 'long', ...(timeZone ? { timeZone } : {}) }).format(date);
}

/** Pairs of a value and its label, the label read in the language on screen each time it is used. */
export function labelled<T>(pairs: ReadonlyArray<readonly [T, () => string]>): readonly [T, string][] {
  return pairs.map(([value, label]) => {
    const pair: [T, string] = [value, ''];
    Object.defineProperty(pair, 1, { get: label, enumerable: true });
    return pair;
  });
}
