import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CognitoError } from './cognito';
import { Session, SESSION_KEY, type SessionEvent } from './session';
import { fakeCognito, MemoryStorage, tokens } from './test/fakes';

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2026-11-29T10:00:00Z'));
});
afterEach(() => vi.useRealTimers());

describe('session', () => {
  it('keeps tokens in sessionStorage-like storage and restores them', async () => {
    const storage = new MemoryStorage();
    const { client } = fakeCognito();
    const session = new Session({ cognito: client, storage });
    expect(await session.signIn('alex', 'pw')).toEqual({ kind: 'signedIn' });
    expect(session.username).toBe('alex');
    expect(JSON.parse(storage.getItem(SESSION_KEY)!).refreshToken).toBe('refresh-0');

    const reloaded = new Session({ cognito: client, storage });
    expect(reloaded.signedIn).toBe(true);
    expect(await reloaded.getAccessToken()).toBe(tokens(0).accessToken);
  });

  it('reports a new-password challenge without storing anything', async () => {
    const storage = new MemoryStorage();
    const { client } = fakeCognito({
      signIn: async () => ({ kind: 'challenge', challenge: 'NEW_PASSWORD_REQUIRED', session: 'S', parameters: {} }),
    });
    const session = new Session({ cognito: client, storage });
    expect(await session.signIn('newbie', 'Temp')).toEqual({ kind: 'newPasswordRequired', username: 'newbie', session: 'S' });
    expect(session.signedIn).toBe(false);
    expect(storage.getItem(SESSION_KEY)).toBeNull();
    expect(await session.completeNewPassword('newbie', 'S', 'N3w-Password!!')).toEqual({ kind: 'signedIn' });
    expect(session.signedIn).toBe(true);
  });

  it('refreshes shortly before the access token expires', async () => {
    const { client, calls } = fakeCognito({
      signIn: async () => ({ kind: 'tokens', tokens: tokens(0, 3600) }),
    });
    const session = new Session({ cognito: client, storage: new MemoryStorage(), refreshLeadMs: 120_000 });
    await session.signIn('alex', 'pw');
    await vi.advanceTimersByTimeAsync(3600_000 - 121_000);
    expect(calls.filter((c) => c.op === 'refresh')).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(calls.filter((c) => c.op === 'refresh')).toHaveLength(1);
    expect(await session.getAccessToken()).toBe(tokens(1).accessToken);
  });

  it('shares one refresh among concurrent callers', async () => {
    const { client, calls } = fakeCognito();
    const session = new Session({ cognito: client, storage: new MemoryStorage() });
    await session.signIn('alex', 'pw');
    const results = await Promise.all([session.refresh(), session.refresh(), session.refresh()]);
    expect(results).toEqual([true, true, true]);
    expect(calls.filter((c) => c.op === 'refresh')).toHaveLength(1);
  });

  it('signs out when the refresh token is rejected at expiry', async () => {
    const { client } = fakeCognito({
      signIn: async () => ({ kind: 'tokens', tokens: tokens(0, 60) }),
      refresh: async () => {
        throw new CognitoError('NotAuthorizedException', 'Refresh Token has expired');
      },
    });
    const events: SessionEvent[] = [];
    const session = new Session({ cognito: client, storage: new MemoryStorage(), refreshLeadMs: 5_000 });
    session.subscribe((e) => events.push(e));
    await session.signIn('alex', 'pw');
    await vi.advanceTimersByTimeAsync(120_000);
    expect(session.signedIn).toBe(false);
    expect(events.at(-1)).toEqual({ type: 'signedOut', reason: 'expired' });
  });

  it('signs out globally, clears storage and tolerates GlobalSignOut failing', async () => {
    const storage = new MemoryStorage();
    const globalSignOut = vi.fn(async (_token: string) => {
      throw new CognitoError('NotAuthorizedException', 'revoked');
    });
    const { client } = fakeCognito({ globalSignOut });
    const endApiSession = vi.fn(async (_token: string) => {
      throw new TypeError('offline');
    });
    const events: SessionEvent[] = [];
    const session = new Session({ cognito: client, storage, endApiSession });
    session.subscribe((e) => events.push(e));
    await session.signIn('alex', 'pw');
    session.signOut('user');
    await vi.runOnlyPendingTimersAsync();
    expect(session.signedIn).toBe(false);
    expect(storage.getItem(SESSION_KEY)).toBeNull();
    expect(events.map((e) => e.type)).toEqual(['signedIn', 'signedOut']);
    expect(globalSignOut).toHaveBeenCalledWith(tokens(0).accessToken);
    expect(endApiSession).toHaveBeenCalledWith(tokens(0).accessToken); // the API refuses old tokens too
  });

  it('ignores corrupt stored sessions', () => {
    const storage = new MemoryStorage();
    storage.setItem(SESSION_KEY, '{"accessToken": 1}');
    const session = new Session({ cognito: fakeCognito().client, storage });
    expect(session.signedIn).toBe(false);
    expect(storage.getItem(SESSION_KEY)).toBeNull();
  });
});
