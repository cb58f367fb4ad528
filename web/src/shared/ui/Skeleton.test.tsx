import { render } from 'preact';
import { describe, expect, it } from 'vitest';
import { Skeleton } from './Skeleton';
import { mountPoint } from '../test/fakes';

const mount = mountPoint();


describe('Skeleton', () => {
  it('holds the loaded rows’ space and says it is busy, without announcing', () => {
    render(<Skeleton label="Loading appointments…" rows={2} rowHeight="5rem" />, mount());
    const region = mount().firstElementChild as HTMLElement;
    expect(region.getAttribute('aria-busy')).toBe('true');
    expect(region.textContent).toBe('Loading appointments…');
    // Not a live region: a page of skeletons would otherwise chatter.
    expect(mount().querySelector('[role="status"], [aria-live]')).toBeNull();
    const blocks = [...mount().querySelectorAll<HTMLElement>('.skeleton-block')];
    expect(blocks.map((b) => b.style.height)).toEqual(['5rem', '5rem']);
    expect(blocks.every((b) => b.getAttribute('aria-hidden') === 'true')).toBe(true);
  });
});
