// Pure helpers for the clinician's result pages.

import { t } from '@lingui/core/macro';
import type { ReleaseState } from './api';
import { formatDateTime } from '../../shared/format';

/** A local calendar date `days` from today, as an <input type="date"> value (YYYY-MM-DD). */
export function localDateInput(days: number, now: Date = new Date()): string {
  const d = new Date(now.getFullYear(), now.getMonth(), now.getDate() + days);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The end of a local calendar day as an ISO instant (what a hold "until" date means to a person). */
export function endOfLocalDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d, 23, 59, 0).toISOString();
}

/** A number as typed ("5.6", "1,04", " 120 "), or null when it is not one. */
export function parseNumber(text: string): number | null {
  const cleaned = text.trim().replace(/\s/g, '');
  if (!/^-?\d+([.,]\d+)?$/.test(cleaned)) return null;
  return Number(cleaned.replace(',', '.'));
}

/** "components.0.value" -> "value 1, result:" for error messages. */
export function humanField(path: string): string {
  const parts = path.split('.');
  const words: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (part === 'components' && /^\d+$/.test(parts[i + 1] ?? '')) {
      const n = Number(parts[i + 1]) + 1;
      words.push(t`value ${n}`);
      i++;
    } else if (part !== 'body') {
      words.push(part.replace(/_/g, ' '));
    }
  }
  return `${words.join(' ') || t`a field`}:`;
}

/** When a waiting result reaches the patient, in words. */
export function releaseStateText(r: { state: ReleaseState; visible_from: string }): string {
  if (r.state === 'released') return t`The patient can see it.`;
  if (!r.visible_from) return r.state === 'held' ? t`Released automatically later unless you release it sooner.` : t`Released when a clinician releases it, or automatically later.`;
  const when = formatDateTime(r.visible_from);
  return r.state === 'held'
    ? t`Released automatically on ${when} unless you release it sooner.`
    : t`Released when a clinician releases it, or automatically on ${when}.`;
}
