// The states every loaded list shows: failed (with Try again), loading, empty, the items, and the button that
// loads the next page. Kept out of ui.tsx so the main bundle doesn't carry them: the lists load on demand.

import { t } from '@lingui/core/macro';
import type { ComponentChildren } from 'preact';
import { Notice } from './ui';
import { Skeleton } from './Skeleton';

/** A load that failed: what went wrong, announced, and a button to try again. */
export function LoadFailed({ error, onRetry }: { error: string; onRetry: () => void }) {
  return (
    <Notice tone="error" role="alert">
      <p>{error}</p>
      <button type="button" class="button button--secondary" onClick={onRetry}>
        {t`Try again`}
      </button>
    </Notice>
  );
}

/** A loaded list's states in order: failed (with Try again), loading, empty (a card), else the items. */
export function ListBody<T>({
  error,
  onRetry,
  items,
  loadingLabel,
  empty,
  children,
}: {
  error: string | null;
  onRetry: () => void;
  items: T[] | null;
  loadingLabel: string;
  empty: ComponentChildren;
  children: (items: T[]) => ComponentChildren;
}) {
  if (error) return <LoadFailed error={error} onRetry={onRetry} />;
  if (items === null) return <Skeleton label={loadingLabel} />;
  if (items.length === 0) return <div class="card empty">{empty}</div>;
  return <>{children(items)}</>;
}

/** The centred button under a list that loads its next page; it says "Loading…" while `busy`. */
export function ShowMore({
  shown,
  onClick,
  busy,
  label,
  wrapper: Wrapper = 'p',
}: {
  shown: boolean;
  onClick: () => void;
  busy?: boolean;
  label: string;
  wrapper?: 'p' | 'div';
}) {
  if (!shown) return null;
  return (
    <Wrapper class="center">
      <button type="button" class="button button--secondary" onClick={onClick} aria-disabled={busy ? 'true' : undefined}>
        {busy ? t`Loading…` : label}
      </button>
    </Wrapper>
  );
}

/**
 * A paged list's part of the page: the error (with Try again while nothing is shown), loading, the empty
 * card or the items, "Load more" under them, and the polite status line that says what "Load more" did.
 */
export function PagedListBody<T>({
  error,
  onRetry,
  items,
  loadingLabel,
  empty,
  hasMore,
  onMore,
  busy,
  announce,
  children,
}: {
  error: string | null;
  onRetry: () => void;
  items: T[] | null;
  loadingLabel: string;
  empty: ComponentChildren;
  hasMore: boolean;
  onMore: () => void;
  busy?: boolean;
  announce: string;
  children: (items: T[]) => ComponentChildren;
}) {
  return (
    <>
      {!error ? null : items === null ? (
        <LoadFailed error={error} onRetry={onRetry} />
      ) : (
        <Notice tone="error" role="alert">
          <p>{error}</p>
        </Notice>
      )}
      {items === null ? (
        error ? null : <Skeleton label={loadingLabel} />
      ) : items.length === 0 ? (
        <div class="card empty">{empty}</div>
      ) : (
        children(items)
      )}
      <ShowMore shown={items !== null && hasMore} onClick={onMore} busy={busy} label={t`Load more`} wrapper="div" />
      <p class="visually-hidden" role="status" aria-live="polite">
        {announce}
      </p>
    </>
  );
}
