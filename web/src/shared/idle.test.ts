import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { formatCountdown, IdleTimer } from './idle';

const MIN = 60_000;

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2026-11-29T10:00:00Z'));
});
afterEach(() => vi.useRealTimers());

function setup(options: { warnAfterMs?: number; signOutAfterMs?: number; lastActivity?: number } = {}) {
  const onWarn = vi.fn();
  const onTimeout = vi.fn();
  const timer = new IdleTimer({ ...options, onWarn, onTimeout });
  timer.start();
  return { timer, onWarn, onTimeout };
}

describe('idle timer', () => {
  it('warns at 13 minutes with a 2-minute deadline and signs out at 15', () => {
    const { onWarn, onTimeout } = setup();
    const start = Date.now();
    vi.advanceTimersByTime(13 * MIN - 1);
    expect(onWarn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onWarn).toHaveBeenCalledWith(start + 15 * MIN);
    expect(formatCountdown(start + 15 * MIN - Date.now())).toBe('2:00');
    vi.advanceTimersByTime(2 * MIN - 1);
    expect(onTimeout).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onTimeout).toHaveBeenCalledTimes(1);
  });

  it('activity before the warning pushes both deadlines back', () => {
    const { timer, onWarn, onTimeout } = setup();
    vi.advanceTimersByTime(10 * MIN);
    timer.activity();
    vi.advanceTimersByTime(12 * MIN);
    expect(onWarn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1 * MIN);
    expect(onWarn).toHaveBeenCalledTimes(1);
    expect(onTimeout).not.toHaveBeenCalled();
  });

  it('ordinary activity after the warning does not cancel it; only "Stay signed in" does', () => {
    const { timer, onWarn, onTimeout } = setup();
    vi.advanceTimersByTime(13 * MIN);
    expect(onWarn).toHaveBeenCalledTimes(1);
    timer.activity();
    vi.advanceTimersByTime(2 * MIN);
    expect(onTimeout).toHaveBeenCalledTimes(1);
  });

  it('"Stay signed in" restarts the full period', () => {
    const { timer, onWarn, onTimeout } = setup();
    vi.advanceTimersByTime(14 * MIN);
    timer.stayActive();
    expect(timer.warning).toBe(false);
    vi.advanceTimersByTime(13 * MIN - 1);
    expect(onWarn).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(onWarn).toHaveBeenCalledTimes(2);
    expect(onTimeout).not.toHaveBeenCalled();
  });

  it('signs out at once when the clock jumped past the limit (sleep, or a reload after a long break)', () => {
    const { onTimeout } = setup({ lastActivity: Date.now() - 20 * MIN });
    expect(onTimeout).toHaveBeenCalledTimes(1);
  });

  it('catches up after the device slept through the timers', () => {
    const { timer, onTimeout } = setup();
    vi.setSystemTime(Date.now() + 16 * MIN); // time passes, no timers fire
    timer.check(); // e.g. on visibilitychange
    expect(onTimeout).toHaveBeenCalledTimes(1);
  });

  it('takes custom timings', () => {
    const { onWarn, onTimeout } = setup({ warnAfterMs: 1_000, signOutAfterMs: 3_000 });
    vi.advanceTimersByTime(1_000);
    expect(onWarn).toHaveBeenCalled();
    vi.advanceTimersByTime(2_000);
    expect(onTimeout).toHaveBeenCalled();
  });

  it('stop() cancels everything', () => {
    const { timer, onWarn, onTimeout } = setup();
    timer.stop();
    vi.advanceTimersByTime(60 * MIN);
    expect(onWarn).not.toHaveBeenCalled();
    expect(onTimeout).not.toHaveBeenCalled();
  });

  it('formats the countdown', () => {
    expect(formatCountdown(120_000)).toBe('2:00');
    expect(formatCountdown(119_001)).toBe('2:00');
    expect(formatCountdown(61_000)).toBe('1:01');
    expect(formatCountdown(9_000)).toBe('0:09');
    expect(formatCountdown(-5)).toBe('0:00');
  });
});
