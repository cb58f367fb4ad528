// The printable health summary's client and its words: statuses, flags and ranges said in the reader's
// language (the clinic's entries themselves are shown as written).

import { t } from '@lingui/core/macro';
import type { Api, Schemas } from '../../shared/api/client';
import { formatNumber } from '../../shared/format';

export type PrintableHealthSummary = Schemas['PrintableHealthSummary'];
export type PrintedResult = Schemas['PrintedResult'];
export type PrintedComponent = Schemas['ComponentOut'];
export type PrintedAppointment = Schemas['PrintedAppointment'];
type Flag = NonNullable<PrintedComponent['flag']>;

export const HEALTH_SUMMARY_PATH = '/record/summary';

export function healthSummaryApi(api: Api) {
  return {
    printable: (pid: string, signal?: AbortSignal) =>
      api.request<PrintableHealthSummary>(`/patients/${encodeURIComponent(pid)}/health-summary`, signal ? { signal } : {}),
  };
}

/** A flag in words, never by colour alone. */
export function flagWords(flag: Flag | null | undefined): string {
  switch (flag) {
    case 'normal':
      return t`Normal`;
    case 'low':
      return t`Low: below the normal range`;
    case 'high':
      return t`High: above the normal range`;
    case 'critical_low':
      return t`Very low: far below the normal range`;
    case 'critical_high':
      return t`Very high: far above the normal range`;
    case 'abnormal':
      return t`Not normal`;
    default:
      return t`No range given`;
  }
}

export function isAbnormal(flag: Flag | null | undefined): boolean {
  return !!flag && flag !== 'normal';
}

function num(value: number): string {
  return formatNumber(value, { maximumFractionDigits: 3 });
}

/** The value as printed: number and unit, or the text the lab gave. */
export function valueText(c: PrintedComponent): string {
  if (c.value !== null && c.value !== undefined) return c.unit ? `${num(c.value)} ${c.unit}` : num(c.value);
  return c.value_text ?? '';
}

/** The reference range as printed: "70–99 mg/dL", "at least 40", or the lab's own words. */
export function rangeText(c: PrintedComponent): string {
  const unit = c.unit ? ` ${c.unit}` : '';
  const low = c.ref_low ?? null;
  const high = c.ref_high ?? null;
  if (low !== null && high !== null) return `${num(low)}–${num(high)}${unit}`;
  if (low !== null) {
    const value = `${num(low)}${unit}`;
    return t`${value} or more`;
  }
  if (high !== null) {
    const value = `${num(high)}${unit}`;
    return t`${value} or less`;
  }
  return c.ref_text ?? t`None given`;
}

export function problemStatus(status: Schemas['Problem']['status']): string {
  return status === 'active' ? t`Active` : status === 'resolved' ? t`Resolved` : t`Inactive`;
}

export function medicationStatus(status: Schemas['Medication']['status']): string {
  return status === 'active' ? t`Taking` : t`Stopped`;
}

export function allergyStatus(status: Schemas['Allergy']['status']): string {
  return status === 'active' ? t`Active` : status === 'resolved' ? t`Resolved` : t`Inactive`;
}

export function severityWords(severity: Schemas['Allergy']['severity']): string {
  if (severity === 'mild') return t`Mild`;
  if (severity === 'moderate') return t`Moderate`;
  if (severity === 'severe') return t`Severe`;
  return t`Not recorded`;
}

export function visitTypeWords(type: Schemas['Visit']['visit_type']): string {
  if (type === 'telehealth') return t`Video visit`;
  if (type === 'urgent_care') return t`Urgent care`;
  if (type === 'hospital') return t`Hospital`;
  return t`Office visit`;
}

export function modalityWords(modality: PrintedAppointment['modality']): string {
  return modality === 'video' ? t`Video visit` : t`At the clinic`;
}
