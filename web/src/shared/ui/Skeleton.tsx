// A placeholder of the loaded content's size: the page keeps its layout when the data arrives (no jump
// under the reader's finger). The region says it is busy; its one label is read when reached, never
// announced (a page of skeletons must not chatter). The shimmer stops under prefers-reduced-motion.

import { t } from '@lingui/core/macro';
import type { JSX } from 'preact';

export interface SkeletonProps {
  /** What is loading, for screen readers ("Loading appointments…"). */
  label?: string;
  /** How many blocks, each the height of one loaded row or card. */
  rows?: number;
  /** One block's height, in CSS units (the loaded item's). */
  rowHeight?: string;
  class?: string;
}

export function Skeleton({ label, rows = 3, rowHeight = '4.5rem', class: className }: SkeletonProps): JSX.Element {
  return (
    <div class={`skeleton${className ? ` ${className}` : ''}`} aria-busy="true">
      <span class="visually-hidden">{label ?? t`Loading…`}</span>
      {Array.from({ length: rows }, (_, i) => (
        <span key={i} class="skeleton-block" style={{ height: rowHeight }} aria-hidden="true" />
      ))}
    </div>
  );
}
