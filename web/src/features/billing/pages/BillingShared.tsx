// billing (issue 4): small pieces every billing page shares: loading with retry, status badges, money.

import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError } from '../../../shared/api/client';
import { billingApi, type BillingApi, formatCents, STATE_LABELS, type StatementState } from '../billing';
import { Loading, Notice } from '../../../shared/ui/ui';
import { useApp } from '../../../shared/context';

export function useBilling(): BillingApi {
  const { api } = useApp();
  return useMemo(() => billingApi(api), [api]);
}

export interface Loaded<T> {
  data: T | null;
  error: string | null;
  reload: () => void;
  set: (value: T) => void;
}

/** Load once per `deps`, abort on change, and offer a retry; the error is a sentence for people. */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: unknown[], what: string): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    setError(null);
    load(controller.signal)
      .then((value) => {
        if (!controller.signal.aborted) setData(value);
      })
      .catch((e: unknown) => {
        if (controller.signal.aborted) return;
        if (e instanceof ApiError && e.code === 'unauthorized') return;
        if (e instanceof ApiError && e.code === 'not_found') setError(`We couldn't find ${what}.`);
        else setError(e instanceof ApiError && e.code === 'network' ? e.message : `We couldn't load ${what}. Please try again.`);
      });
    return () => controller.abort();
  }, [...deps, attempt]);
  return { data, error, reload: () => setAttempt((n) => n + 1), set: setData };
}

export function Loader<T>({ state, label, children }: { state: Loaded<T>; label: string; children: (data: T) => ComponentChildren }) {
  if (state.error) {
    return (
      <Notice tone="error" role="alert" title="Something went wrong">
        <p>{state.error}</p>
        <button type="button" class="button button--secondary" onClick={state.reload}>
          Try again
        </button>
      </Notice>
    );
  }
  if (state.data === null) return <Loading label={label} />;
  return <>{children(state.data)}</>;
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
  const t = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(t) ? t : `${t}.`;
}
