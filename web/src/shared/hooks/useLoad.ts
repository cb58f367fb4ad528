// Data for a page: load when the inputs change, abort the request the page no longer needs, and offer a retry.

import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/client';

export interface LoadState<T> {
  /** The last value loaded; null before the first load (and while reloading, unless keepData). */
  data: T | null;
  /** Why the last load failed (an ApiError, usually); null when it did not. Aborted loads never land here. */
  error: unknown;
  loading: boolean;
  /** Load again with the same inputs ("Try again"). */
  reload: () => void;
  /** Replace the data in place, e.g. with what a save returned. */
  set: (update: T | null | ((previous: T | null) => T | null)) => void;
}

export interface LoadOptions {
  /** False: wait (e.g. until a patient is chosen); nothing is loaded and the state is left as it is. */
  enabled?: boolean;
  /** Keep showing the last data while new inputs load (a filter change) instead of starting from nothing. */
  keepData?: boolean;
}

export function useLoad<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: readonly unknown[],
  { enabled = true, keepData = false }: LoadOptions = {},
): LoadState<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(enabled);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (!enabled) return undefined;
    const controller = new AbortController();
    if (!keepData) setData(null);
    setError(null);
    setLoading(true);
    load(controller.signal)
      .then((value) => {
        if (controller.signal.aborted) return;
        setData(() => value);
        setLoading(false);
      })
      .catch((e: unknown) => {
        if (controller.signal.aborted) return;
        setError(e);
        setLoading(false);
      });
    return () => controller.abort();
  }, [enabled, ...deps, attempt]);
  return { data, error, loading, reload: () => setAttempt((n) => n + 1), set: setData };
}

/** A sentence for a failed load: the network's own message, else the page's; null when nothing failed. */
export function loadFailure(error: unknown, fallback: string): string | null {
  if (!error) return null;
  return error instanceof ApiError && error.code === 'network' ? error.message : fallback;
}
