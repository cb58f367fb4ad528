import { describe, expect, it } from 'vitest';
import { canUndo } from './pages/ClinicDay';

const event = (at: string) => ({ status: 'arrived' as const, at, by_name: 'Sam Lee' });

describe('undo a visit step', () => {
  it('offers Undo for a step marked today, in the clinic day', () => {
    expect(canUndo({ visit_status: 'arrived', visit_events: [event('2026-12-07T09:02:00-06:00')] }, '2026-12-07')).toBe(true);
    expect(canUndo({ visit_status: 'no_show', visit_events: [event('2026-12-07T23:50:00-06:00')] }, '2026-12-07')).toBe(true);
  });

  it('offers nothing for a booked visit or a step marked on an earlier day', () => {
    expect(canUndo({ visit_status: 'booked', visit_events: [] }, '2026-12-07')).toBe(false);
    expect(canUndo({ visit_status: 'seen', visit_events: [event('2026-12-06T16:00:00-06:00')] }, '2026-12-07')).toBe(false);
    expect(canUndo({ visit_status: 'cancelled', visit_events: [event('2026-12-07T09:00:00-06:00')] }, '2026-12-07')).toBe(false);
  });
});
