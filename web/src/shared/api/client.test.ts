import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, createApi } from './client';
import { CognitoError } from '../cognito';
import { Session } from '../session';
import { fakeCognito, jsonResponse, MemoryStorage, tokens } from '../test/fakes';
import { accountApi } from '../../features/account/api';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

async function signedIn(overrides = {}) {
  const cognito = fakeCognito(overrides);
  const session = new Session({ cognito: cognito.client, storage: new MemoryStorage() });
  await session.signIn('alex', 'pw');
  return { session, cognito };
}

function authOf(init: RequestInit | undefined): string | undefined {
  return (init?.headers as Record<string, string> | undefined)?.Authorization;
}

describe('api client', () => {
  it('attaches the bearer token and parses JSON', async () => {
    const { session } = await signedIn();
    const fetch = vi.fn(async (_u: RequestInfo | URL, _i?: RequestInit) =>
      jsonResponse(200, { user: { sub: 's', username: 'alex', display_name: 'Alex Morgan', role: 'patient' }, patients: [] }),
    );
    const api = createApi({ base: '/api/', session, fetch });
    const me = await api.me();
    expect(me.user.display_name).toBe('Alex Morgan');
    expect(fetch.mock.calls[0]![0]).toBe('/api/me');
    expect(authOf(fetch.mock.calls[0]![1])).toBe(`Bearer ${tokens(0).accessToken}`);
  });

  it('calls public endpoints without a token', async () => {
    const session = new Session({ cognito: fakeCognito().client, storage: new MemoryStorage() });
    const fetch = vi.fn(async (_u: RequestInfo | URL, _i?: RequestInit) => jsonResponse(200, { status: 'ok' }));
    const api = createApi({ base: '/api', session, fetch });
    expect(await api.health()).toEqual({ status: 'ok' });
    expect(authOf(fetch.mock.calls[0]![1])).toBeUndefined();
  });

  it('on a 401 refreshes once and retries with the new token', async () => {
    const { session, cognito } = await signedIn();
    const fetch = vi
      .fn(async (_u: RequestInfo | URL, _i?: RequestInit) => jsonResponse(200, {}))
      .mockResolvedValueOnce(jsonResponse(401, { error: { code: 'unauthorized', message: 'token expired' } }))
      .mockResolvedValueOnce(jsonResponse(200, { items: [], next_cursor: null }));
    const api = createApi({ base: '/api', session, fetch });
    expect(await accountApi(api).accessLog('pat-1')).toEqual({ items: [], next_cursor: null });
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(authOf(fetch.mock.calls[1]![1])).toBe(`Bearer ${tokens(1).accessToken}`);
    expect(cognito.calls.filter((c) => c.op === 'refresh')).toHaveLength(1);
    expect(session.signedIn).toBe(true);
  });

  it('signs out when the retry is also refused', async () => {
    const { session } = await signedIn();
    const fetch = vi.fn(async () => jsonResponse(401, { error: { code: 'unauthorized', message: 'no' } }));
    const api = createApi({ base: '/api', session, fetch });
    await expect(api.me()).rejects.toMatchObject({ status: 401, code: 'unauthorized' });
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(session.signedIn).toBe(false);
  });

  it('signs out when the refresh itself fails', async () => {
    const { session } = await signedIn({
      refresh: async () => {
        throw new CognitoError('NotAuthorizedException', 'Refresh Token has been revoked');
      },
    });
    const fetch = vi.fn(async () => jsonResponse(401, { error: { code: 'unauthorized', message: 'no' } }));
    const api = createApi({ base: '/api', session, fetch });
    await expect(api.me()).rejects.toBeInstanceOf(ApiError);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(session.signedIn).toBe(false);
  });

  it('exposes field errors, code and request id from the error body', async () => {
    const { session } = await signedIn();
    const fetch = vi.fn(async () =>
      jsonResponse(400, {
        error: {
          code: 'bad_request',
          message: 'invalid fields: phone',
          fields: { phone: 'not a valid phone number', 'address.postal_code': 'bad' },
          request_id: 'req-1',
        },
      }),
    );
    const api = createApi({ base: '/api', session, fetch });
    const error = await accountApi(api).updateProfile('pat-1', { version: 3, phone: '12345' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 400,
      code: 'bad_request',
      fields: { phone: 'not a valid phone number', 'address.postal_code': 'bad' },
      requestId: 'req-1',
    });
  });

  it('sends PATCH bodies as JSON', async () => {
    const { session } = await signedIn();
    const fetch = vi.fn(async (_u: RequestInfo | URL, _i?: RequestInit) => jsonResponse(200, { id: 'pat-1' }));
    const api = createApi({ base: '/api', session, fetch });
    await accountApi(api).updateProfile('pat-1', { version: 3, phone: null });
    const init = fetch.mock.calls[0]![1]!;
    expect(init.method).toBe('PATCH');
    expect((init.headers as Record<string, string>)['Content-Type']).toBe('application/json');
    expect(JSON.parse(init.body as string)).toEqual({ version: 3, phone: null });
    expect(fetch.mock.calls[0]![0]).toBe('/api/patients/pat-1/profile');
  });

  it('encodes the access-log cursor', async () => {
    const { session } = await signedIn();
    const fetch = vi.fn(async (_u: RequestInfo | URL, _i?: RequestInit) => jsonResponse(200, { items: [], next_cursor: null }));
    const api = createApi({ base: '/api', session, fetch });
    await accountApi(api).accessLog('pat-1', 'a b/c=');
    expect(fetch.mock.calls[0]![0]).toBe('/api/patients/pat-1/access-log?cursor=a%20b%2Fc%3D');
  });

  it("asks for the caller's own access-log entries only when the toggle is on", async () => {
    const { session } = await signedIn();
    const fetch = vi.fn(async (_u: RequestInfo | URL, _i?: RequestInit) => jsonResponse(200, { items: [], next_cursor: null }));
    const api = createApi({ base: '/api', session, fetch });
    await accountApi(api).accessLog('pat-1');
    await accountApi(api).accessLog('pat-1', 'c+1', undefined, true);
    expect(fetch.mock.calls.map((call) => call[0])).toEqual([
      '/api/patients/pat-1/access-log',
      '/api/patients/pat-1/access-log?include_own=true&cursor=c%2B1',
    ]);
  });

  it('turns network failures into a friendly ApiError', async () => {
    const { session } = await signedIn();
    const api = createApi({
      base: '/api',
      session,
      fetch: async () => {
        throw new TypeError('Failed to fetch');
      },
    });
    await expect(api.me()).rejects.toMatchObject({ code: 'network' });
    expect(session.signedIn).toBe(true);
  });
});
