// A list the API hands out a page at a time (`next_cursor`): the first page when the inputs change, then
// "Load more" appends the next one. One place for the cursor, the abort and the late-answer guard.

import { useEffect, useRef, useState } from 'preact/hooks';

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface PagedList<T, P extends Page<T> = Page<T>> {
  /** Everything loaded so far; null until the first page arrives. */
  items: T[] | null;
  /** The first page as the API sent it (for fields next to `items`, such as a summary). */
  first: P | null;
  /** There is another page to load. */
  hasMore: boolean;
  /** Why the first page failed; null when it did not. Aborted loads never land here. */
  error: unknown;
  loading: boolean;
  loadingMore: boolean;
  /** Load the next page and append it; resolves to that page (null when there is none or one is loading).
   *  A failure rejects, so the page can say so in its own words; the items already shown stay. */
  loadMore: () => Promise<P | null>;
  /** Start again from the first page. */
  reload: () => void;
  /** Change the loaded items in place (e.g. drop one that was just handled). */
  setItems: (update: (items: T[]) => T[]) => void;
}

/** `keepItems`: on a reload, keep showing what was loaded until the first page comes back.
 *  `key`: drop items of a later page that are already in the list (a list that grows while being read). */
export function usePagedList<T, P extends Page<T> = Page<T>>(
  fetchPage: (cursor: string | null, signal?: AbortSignal) => Promise<P>,
  deps: readonly unknown[],
  { enabled = true, keepItems = false, key }: { enabled?: boolean; keepItems?: boolean; key?: (item: T) => string } = {},
): PagedList<T, P> {
  const [items, setItemsState] = useState<T[] | null>(null);
  const [first, setFirst] = useState<P | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(enabled);
  const [loadingMore, setLoadingMore] = useState(false);
  const [attempt, setAttempt] = useState(0);
  // Bumped whenever the list starts again, so a "Load more" answer for the old inputs is dropped.
  const generation = useRef(0);
  const busy = useRef(false);

  useEffect(() => {
    if (!enabled) return undefined;
    const controller = new AbortController();
    const current = ++generation.current;
    busy.current = false;
    if (!keepItems) {
      setItemsState(null);
      setFirst(null);
      setCursor(null);
    }
    setError(null);
    setLoading(true);
    setLoadingMore(false);
    fetchPage(null, controller.signal)
      .then((page) => {
        if (controller.signal.aborted || current !== generation.current) return;
        setFirst(() => page);
        setItemsState(page.items);
        setCursor(page.next_cursor);
        setLoading(false);
      })
      .catch((e: unknown) => {
        if (controller.signal.aborted) return;
        setError(e);
        setLoading(false);
      });
    return () => controller.abort();
  }, [enabled, ...deps, attempt]);

  const loadMore = async (): Promise<P | null> => {
    if (!cursor || busy.current) return null;
    const current = generation.current;
    busy.current = true;
    setLoadingMore(true);
    try {
      const page = await fetchPage(cursor);
      if (current !== generation.current) return null;
      setItemsState((previous) => {
        const have = previous ?? [];
        const seen = key ? new Set(have.map(key)) : null;
        return [...have, ...(seen ? page.items.filter((item) => !seen.has(key!(item))) : page.items)];
      });
      setCursor(page.next_cursor);
      return page;
    } finally {
      if (current === generation.current) {
        busy.current = false;
        setLoadingMore(false);
      }
    }
  };

  return {
    items,
    first,
    hasMore: cursor !== null,
    error,
    loading,
    loadingMore,
    loadMore,
    reload: () => setAttempt((n) => n + 1),
    setItems: (update) => setItemsState((previous) => (previous === null ? previous : update(previous))),
  };
}

/** "Load more" for a paged list, with the page's own words when it fails: `moreError` is that text after a
 *  failure (null before), `clearMoreError` forgets it (e.g. on Try again). */
export function useLoadMore<T, P extends Page<T>>(list: PagedList<T, P>, failText: string) {
  const [moreError, setMoreError] = useState<string | null>(null);
  const loadMore = async () => {
    try {
      await list.loadMore();
    } catch {
      setMoreError(failText);
    }
  };
  return { moreError, clearMoreError: () => setMoreError(null), loadMore };
}
