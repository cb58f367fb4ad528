// The portal's language: English or Spanish. Messages are written in English with Lingui's macros
// (t`…`, plural(), <Trans>); each language's compiled catalog is split at build time into the shell's
// messages (loaded before first render) and each lazy area's (loaded with the area's code, see LazyArea).
//
// Which language: before sign-in, the one chosen with the switch on the sign-in page (remembered in
// localStorage), else the browser's (es* -> Spanish); after sign-in, the patient's saved preference.

import { i18n, type MessageDescriptor } from '@lingui/core';
import { areas, core } from 'virtual:lingui-catalogs';

export type Locale = 'en' | 'es';
export const LOCALES: readonly Locale[] = ['en', 'es'];
/** Each language named in itself, for the language switch. */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', es: 'Español' };
export const LOCALE_KEY = 'portal.language';

/** Areas whose messages the page has asked for: a language switch loads them in the new language too. */
const wantedAreas = new Set<string>();
const loadedParts = new Set<string>(); // `${locale}:${area}`
let switchingTo: Locale | null = null; // a language being loaded: areas opened meanwhile need it too

async function loadPart(locale: Locale, area: string): Promise<void> {
  const key = `${locale}:${area}`;
  if (loadedParts.has(key)) return;
  const loader = area === 'core' ? core[locale] : areas[area]?.[locale];
  if (!loader) throw new Error(`unknown message area: ${area}`);
  const { messages } = await loader();
  i18n.load(locale, messages);
  loadedParts.add(key);
}

export function isLocale(value: unknown): value is Locale {
  return value === 'en' || value === 'es';
}

/** The browser's first language we offer: any Spanish (es, es-MX, es-US…) -> es; everything else -> en. */
export function browserLocale(languages: readonly string[] = navigator.languages ?? [navigator.language]): Locale {
  for (const tag of languages) {
    const base = tag.toLowerCase().split('-')[0];
    if (base === 'es') return 'es';
    if (base === 'en') return 'en';
  }
  return 'en';
}

export function storedLocale(): Locale | null {
  try {
    const value = localStorage.getItem(LOCALE_KEY);
    return isLocale(value) ? value : null;
  } catch {
    return null; // storage blocked: fall back to the browser's language
  }
}

/** The language before sign-in: the switch's remembered choice, else the browser's. */
export function initialLocale(): Locale {
  return storedLocale() ?? browserLocale();
}

/** The active language (English until a catalog is loaded). */
export function currentLocale(): Locale {
  return isLocale(i18n.locale) ? i18n.locale : 'en';
}

/** Load a language's catalog (once) and make it the active one; `<html lang>` follows. */
export async function activateLocale(locale: Locale): Promise<void> {
  if (i18n.locale === locale) return;
  switchingTo = locale;
  await Promise.all([loadPart(locale, 'core'), ...[...wantedAreas].map((area) => loadPart(locale, area))]);
  i18n.activate(locale);
  document.documentElement.lang = locale;
}

/** Load a lazy area's messages in the active language (before the area renders, so no ids show). */
export async function loadAreaMessages(area: string): Promise<void> {
  wantedAreas.add(area);
  const locales = new Set([currentLocale(), switchingTo ?? currentLocale()]);
  await Promise.all([...locales].map((locale) => loadPart(locale, area)));
}

/** The language switch on the sign-in page: remembered for this browser. */
export async function chooseLocale(locale: Locale): Promise<void> {
  try {
    localStorage.setItem(LOCALE_KEY, locale);
  } catch {
    // storage blocked: the choice lasts until the page is reloaded
  }
  await activateLocale(locale);
}

/** Called when the active language changes (the shell re-renders in the new language). */
export function onLocaleChange(listener: () => void): () => void {
  return i18n.on('change', listener);
}

/**
 * Labels keyed by a value (a status, a kind…) that read in the language on screen each time they are used:
 * `msg` descriptors are translated on access, never once at import time.
 */
export function translated<K extends string>(messages: Record<K, MessageDescriptor>): Readonly<Record<K, string>> {
  const labels = {} as Record<K, string>;
  for (const key of Object.keys(messages) as K[]) {
    Object.defineProperty(labels, key, { enumerable: true, get: () => i18n._(messages[key]) });
  }
  return labels;
}

export { i18n };
