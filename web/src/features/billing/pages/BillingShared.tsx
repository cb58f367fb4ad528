// Small pieces every billing page shares: loading with retry, status badges, money, tables.

import { t } from '@lingui/core/macro';
import type { ComponentChildren } from 'preact';
import { useMemo } from 'preact/hooks';
import { ApiError } from '../../../shared/api/client';
import { formatCents, STATE_LABELS } from '../billing';
import { billingApi, type BillingApi, type StatementState } from '../api';
import { Loading, Notice } from '../../../shared/ui/ui';
import { useApp } from '../../../shared/context';
import { useLoad } from '../../../shared/hooks/useLoad';

export function useBilling(): BillingApi {
  const { api } = useApp();
  return useMemo(() => billingApi(api), [api]);
}

export interface Loaded<T> {
  data: T | null;
  /** A sentence for people; null while loading, after success, and once the session has ended. */
  error: string | null;
  reload: () => void;
  set: (value: T) => void;
}

/** Why loading `what` failed, as a sentence (null: nothing to say, e.g. the session ended and sign-in shows). */
export function loadErrorText(e: unknown, what: string): string | null {
  if (!e || (e instanceof ApiError && e.code === 'unauthorized')) return null;
  if (e instanceof ApiError && e.code === 'not_found') return t`We couldn't find ${what}.`;
  return e instanceof ApiError && e.code === 'network' ? e.message : t`We couldn't load ${what}. Please try again.`;
}

/** The shared useLoad with billing's wording; the last data stays on screen while new inputs load. */
export function useBillingLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: unknown[], what: string): Loaded<T> {
  const state = useLoad(load, deps, { keepData: true });
  return { data: state.data, error: loadErrorText(state.error, what), reload: state.reload, set: state.set };
}

export function Loader<T>({
  state,
  label,
  children,
}: {
  state: Pick<Loaded<T>, 'data' | 'error' | 'reload'>;
  label: string;
  children: (data: T) => ComponentChildren;
}) {
  if (state.error) {
    return (
      <Notice tone="error" role="alert" title={t`Something went wrong`}>
        <p>{state.error}</p>
        <button type="button" class="button button--secondary" onClick={state.reload}>
          {t`Try again`}
        </button>
      </Notice>
    );
  }
  if (state.data === null) return <Loading label={label} />;
  return <>{children(state.data)}</>;
}

/** A column heading: `num` right-aligns it with its numbers; `hidden` keeps it for screen readers only. */
export interface Column {
  label: string;
  num?: boolean;
  hidden?: boolean;
}

/**
 * A billing table: its caption (for screen readers only unless `captionShown`), one row of column headings,
 * and the rows from `children`. `card` sets it in a flush card that scrolls sideways on narrow screens.
 */
export function BillTable({
  caption,
  captionShown = false,
  columns,
  class: extra,
  card = false,
  children,
}: {
  caption: ComponentChildren;
  captionShown?: boolean;
  columns: Column[];
  class?: string;
  card?: boolean;
  children: ComponentChildren;
}) {
  const table = (
    <table class={extra ? `bill-table ${extra}` : 'bill-table'}>
      <caption class={captionShown ? undefined : 'visually-hidden'}>{caption}</caption>
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c.label} scope="col" class={c.num ? 'num' : undefined}>
              {c.hidden ? <span class="visually-hidden">{c.label}</span> : c.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
  return card ? <div class="card card--flush bill-table-wrap">{table}</div> : table;
}

/** The card that stands where a list has nothing in it yet. */
export function EmptyCard({ children }: { children: ComponentChildren }) {
  return (
    <div class="card">
      <p>{children}</p>
    </div>
  );
}

export function StateBadge({ state }: { state: StatementState }) {
  return <span class={`bill-badge bill-badge--${state}`}>{STATE_LABELS[state]}</span>;
}

export function Money({ cents, currency }: { cents: number; currency?: string }) {
  return <span class="bill-money">{formatCents(cents, currency)}</span>;
}

/** A message from an API error, for an alert; field errors are shown at their fields by the caller. */
export function errorText(e: unknown, fallback: string): string {
  if (e instanceof ApiError) {
    if (e.code === 'network') return e.message;
    if (e.status >= 400 && e.status < 500 && e.message) return capitalizeSentence(e.message);
  }
  return fallback;
}

function capitalizeSentence(text: string): string {
  const sentence = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}
