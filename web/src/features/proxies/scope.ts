// What the person signed in may use of the record they are viewing: the web offers only that (the API
// refuses the rest with a 404 anyway). A patient's own record, and a whole-record grant, offer everything.

import { t } from '@lingui/core/macro';
import type { PatientRef } from '../../shared/api/client';
import { areaLabel, type ProxyArea } from './proxies';

// Each page of the patient's navigation and the areas that open it (any one of them).
const PAGE_AREAS: Record<string, readonly ProxyArea[] | 'full'> = {
  '/record': ['health_record', 'documents'],
  '/appointments': ['appointments'],
  '/messages': ['messages', 'refills'],
  '/billing': ['billing'],
  '/access-log': 'full',
};

export function actingForSomeoneElse(patient: PatientRef | null | undefined): boolean {
  return Boolean(patient && patient.relationship !== 'self');
}

export function mayUse(patient: PatientRef | null | undefined, area: ProxyArea): boolean {
  return !patient || !patient.areas || patient.areas.includes(area);
}

/** Whether the page at `href` has anything this person may use of the record they are viewing. */
export function offers(patient: PatientRef | null | undefined, href: string): boolean {
  const needs = PAGE_AREAS[href];
  if (!needs || !patient || !patient.areas) return true;
  if (needs === 'full') return false;
  return needs.some((area) => patient.areas!.includes(area));
}

// Each patient page by its address, and the areas that open it: a caregiver who types or bookmarks the
// address of a page outside their grant gets a plain "not part of your access" page, never a failed load.
const PATH_AREAS: readonly [RegExp, readonly ProxyArea[] | 'full'][] = [
  [/^\/(record|record\/summary)$/, ['health_record', 'documents']],
  [/^\/results(\/|$)/, ['health_record']],
  [/^\/documents$/, ['documents']],
  [/^\/refills$/, ['refills']],
  [/^\/messages(\/|$)/, ['messages']],
  [/^\/appointments(\/|$)/, ['appointments']],
  [/^\/billing(\/|$)/, ['billing']],
  [/^\/access-log$/, 'full'],
];

// A teenager's parent whose clinic opens only the vaccines of the health record: the record page (that
// list), and nothing under it.
const BEYOND_VACCINES = /^\/(results|documents)(\/|$)|^\/record\/summary$/;

/** Whether the page at this address is within what this person may use of the record they are viewing. */
export function offersPath(patient: PatientRef | null | undefined, path: string): boolean {
  if (!patient || !patient.areas) return true;
  if (patient.immunizations_only && BEYOND_VACCINES.test(path)) return false;
  const needs = PATH_AREAS.find(([pattern]) => pattern.test(path))?.[1];
  if (!needs) return true;
  if (needs === 'full') return false;
  return needs.some((area) => patient.areas!.includes(area));
}

/** "Appointments and Billing, view only" / "Whole record" for the banner. */
export function scopeWords(patient: PatientRef): string {
  const label = (area: ProxyArea) =>
    area === 'health_record' && patient.immunizations_only ? t`Vaccines` : areaLabel(area);
  const what = patient.areas ? listWords(patient.areas.map(label)) : t`Whole record`;
  return patient.access === 'read' ? t`${what}, view only` : what;
}

function listWords(items: string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  const first = items.slice(0, -1).join(', ');
  const last = items[items.length - 1];
  return t`${first} and ${last}`;
}
