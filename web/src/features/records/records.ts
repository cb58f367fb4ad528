// Pure helpers for the health record, test results, trends and documents.

import { plural, t } from '@lingui/core/macro';
import type { DocumentCategory, ResultComponent, ResultFlag, TrendPoint } from './api';
import { dateTimeFormat, formatNumber as formatLocaleNumber, labelled } from '../../shared/format';

/** What a document is, in the language on screen. */
export const DOCUMENT_CATEGORIES: ReadonlyArray<readonly [DocumentCategory, string]> = labelled<DocumentCategory>([
  ['insurance_card_front', () => t`Insurance card (front)`],
  ['insurance_card_back', () => t`Insurance card (back)`],
  ['form', () => t`Form`],
  ['outside_record', () => t`Record from another provider`],
  ['other', () => t`Other document`],
]);

/** A document's type in the language on screen; the server's label for a type this page doesn't know. */
export function documentCategoryWords(d: { category: DocumentCategory; category_label: string }): string {
  return DOCUMENT_CATEGORIES.find(([category]) => category === d.category)?.[1] ?? d.category_label;
}

/** Short flag words shown next to a number (never colour alone). */
export const FLAG_LABELS: Record<ResultFlag, string> = {
  get normal() {
    return t`Normal`;
  },
  get low() {
    return t`Low`;
  },
  get high() {
    return t`High`;
  },
  get critical_low() {
    return t`Critical low`;
  },
  get critical_high() {
    return t`Critical high`;
  },
  get abnormal() {
    return t`Abnormal`;
  },
};

/** Longer plain-language meaning, used when the API sent none. */
export const FLAG_MEANINGS: Record<ResultFlag, string> = {
  get normal() {
    return t`Within the normal range`;
  },
  get low() {
    return t`Below the normal range`;
  },
  get high() {
    return t`Above the normal range`;
  },
  get critical_low() {
    return t`Far below the normal range (critical)`;
  },
  get critical_high() {
    return t`Far above the normal range (critical)`;
  },
  get abnormal() {
    return t`Outside the normal result`;
  },
};

export type FlagTone = 'normal' | 'out' | 'critical' | 'none';

export function flagTone(flag: ResultFlag | null | undefined): FlagTone {
  if (!flag) return 'none';
  if (flag === 'normal') return 'normal';
  if (flag === 'critical_low' || flag === 'critical_high') return 'critical';
  return 'out';
}

export function isOutOfRange(flag: ResultFlag | null | undefined): boolean {
  return flag != null && flag !== 'normal';
}

/** A measured value as people read it: "121", "1.04", "6.5" (locale separators, no float noise). */
export function formatNumber(value: number): string {
  return formatLocaleNumber(value, { maximumFractionDigits: 4 });
}

export function formatValue(value: number | null, valueText: string | null, unit: string | null): string {
  if (value === null) return valueText ?? '';
  return unit ? `${formatNumber(value)} ${unit}` : formatNumber(value);
}

/** The reference range in words: "70 to 99 mg/dL", "5.6 % or lower", "40 mg/dL or higher". */
export function rangeText(
  c: Pick<ResultComponent, 'ref_low' | 'ref_high' | 'ref_text' | 'unit'>,
): string | null {
  if (c.ref_text) return c.ref_text;
  const unit = c.unit ? ` ${c.unit}` : '';
  if (c.ref_low !== null && c.ref_high !== null) {
    const low = formatNumber(c.ref_low);
    const high = `${formatNumber(c.ref_high)}${unit}`;
    return t`${low} to ${high}`;
  }
  if (c.ref_high !== null) {
    const value = `${formatNumber(c.ref_high)}${unit}`;
    return t`${value} or lower`;
  }
  if (c.ref_low !== null) {
    const value = `${formatNumber(c.ref_low)}${unit}`;
    return t`${value} or higher`;
  }
  return null;
}

const shortDate = (iso: string) => dateTimeFormat({ dateStyle: 'medium' }).format(new Date(iso));

/**
 * The whole trend in one or two sentences, for everyone (and what screen readers get instead of the
 * picture): how many results over what period, the latest value against the range, the highest and
 * lowest, and which way it went.
 */
export function trendSummary(name: string, unit: string | null, points: TrendPoint[]): string {
  if (points.length === 0) return t`There are no results for ${name} to show yet.`;
  const u = unit ? ` ${unit}` : '';
  const valueOf = (p: TrendPoint) => `${formatNumber(p.value)}${u}${p.flag ? ` (${FLAG_LABELS[p.flag].toLowerCase()})` : ''}`;
  const first = points[0]!;
  const last = points[points.length - 1]!;
  if (points.length === 1) {
    const value = valueOf(last);
    const day = shortDate(last.collected_at);
    return t`${name}: one result, ${value} on ${day}.`;
  }
  let low = first;
  let high = first;
  for (const p of points) {
    if (p.value < low.value) low = p;
    if (p.value > high.value) high = p;
  }
  const count = points.length;
  const outside = points.filter((p) => isOutOfRange(p.flag)).length;
  const change = last.value - first.value;
  const tolerance = Math.abs(first.value) * 0.02;
  const firstValue = `${formatNumber(first.value)}${u}`;
  const direction =
    Math.abs(change) <= tolerance
      ? t`about the same as the first`
      : change < 0
        ? t`down from ${firstValue} at the first`
        : t`up from ${firstValue} at the first`;
  const from = shortDate(first.collected_at);
  const to = shortDate(last.collected_at);
  const latest = valueOf(last);
  const highest = `${formatNumber(high.value)}${u}`;
  const highDay = shortDate(high.collected_at);
  const lowest = `${formatNumber(low.value)}${u}`;
  const lowDay = shortDate(low.collected_at);
  const range = rangeText({ ref_low: last.ref_low, ref_high: last.ref_high, ref_text: null, unit });
  const sentences = [
    t`${name}: ${count} results from ${from} to ${to}.`,
    t`Latest ${latest}, ${direction}.`,
    t`Highest ${highest} (${highDay}), lowest ${lowest} (${lowDay}).`,
    ...(range ? [t`Normal range: ${range}.`] : []),
    outside === 0
      ? t`All were within the normal range.`
      : plural(outside, {
          one: `# of ${count} was outside the normal range.`,
          other: `# of ${count} were outside the normal range.`,
        }),
  ];
  return sentences.join(' ');
}

/** The y-axis extent for a trend: every value and the range band, with a little room around them. */
export function trendExtent(points: TrendPoint[]): [number, number] {
  const values: number[] = [];
  for (const p of points) {
    values.push(p.value);
    if (p.ref_low !== null) values.push(p.ref_low);
    if (p.ref_high !== null) values.push(p.ref_high);
  }
  if (values.length === 0) return [0, 1];
  let min = Math.min(...values);
  let max = Math.max(...values);
  if (min === max) {
    min -= Math.abs(min) * 0.1 || 1;
    max += Math.abs(max) * 0.1 || 1;
  }
  const pad = (max - min) * 0.12;
  return [min - pad < 0 && min >= 0 ? 0 : min - pad, max + pad];
}

// --- documents ------------------------------------------------------------------------------------

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

const TYPES_BY_EXTENSION: Record<string, string> = {
  pdf: 'application/pdf',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
};
const ACCEPTED = new Set(Object.values(TYPES_BY_EXTENSION));

export type FileCheck = { ok: true; contentType: string } | { ok: false; message: string };

/** What the backend will accept, checked before anything is sent, with a message a person can act on. */
export function checkUpload(file: { name: string; size: number; type: string }): FileCheck {
  const declared = file.type === 'image/jpg' ? 'image/jpeg' : file.type.toLowerCase();
  const extension = file.name.includes('.') ? file.name.split('.').pop()!.toLowerCase() : '';
  const contentType = ACCEPTED.has(declared) ? declared : (TYPES_BY_EXTENSION[extension] ?? '');
  if (!contentType) {
    return {
      ok: false,
      message: `“${file.name}” can't be uploaded: only PDF, JPEG and PNG files are accepted. Save or scan it as one of these and try again.`,
    };
  }
  if (file.size === 0) return { ok: false, message: `“${file.name}” is empty. Choose another file.` };
  if (file.size > MAX_UPLOAD_BYTES) {
    return {
      ok: false,
      message: `“${file.name}” is ${formatBytes(file.size)}; files can be at most 10 MB. Try a smaller scan or photo.`,
    };
  }
  return { ok: true, contentType };
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB`;
}

/** The export's file name, as the backend names it: health-record-YYYY-MM-DD.json. */
export function exportFilename(timestamp: string | undefined, now: Date = new Date()): string {
  const day = timestamp && /^\d{4}-\d{2}-\d{2}/.test(timestamp) ? timestamp.slice(0, 10) : now.toISOString().slice(0, 10);
  return `health-record-${day}.json`;
}

/** Save data as a file in the browser (no URL carries a token: the data is already here). */
export function saveFile(data: BlobPart, filename: string, type: string): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

/** "In 3 days", "tomorrow", "today": for the time until a waiting result is released. */
export function untilText(iso: string, now: Date = new Date()): string {
  const days = Math.ceil((new Date(iso).getTime() - now.getTime()) / 86_400_000);
  if (days <= 0) return 'today';
  if (days === 1) return 'within a day';
  return `within ${days} days`;
}
