import { afterEach, describe, expect, it, vi } from 'vitest';
import { navigate, pagePolicy } from './router';

describe('pagePolicy', () => {
  it('names the pages the server serves with headers of their own', () => {
    expect(pagePolicy('/billing/statements/s-1/pay')).toBe('card');
    expect(pagePolicy('/billing/card')).toBe('card');
    expect(pagePolicy('/visit/p-1/apt-1')).toBe('visit');
    expect(pagePolicy('/visit/p-1/apt-1?from=appointments')).toBe('visit');
    expect(pagePolicy('/visits')).toBe('app');
    expect(pagePolicy('/appointments/p-1/apt-1')).toBe('app');
    expect(pagePolicy('/billing')).toBe('app');
  });
});

describe('navigate', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    history.replaceState(null, '', '/');
  });

  it('enters the visit page by loading its document, so its headers apply', () => {
    history.replaceState(null, '', '/appointments');
    const assign = vi.fn();
    vi.spyOn(window, 'location', 'get').mockReturnValue({ ...location, pathname: '/appointments', assign });
    navigate('/visit/p-1/apt-1');
    expect(assign).toHaveBeenCalledWith('/visit/p-1/apt-1');
  });
});
