import { describe, expect, it, vi } from 'vitest';
import { CognitoError, createCognito, describeAuthError, passwordProblems } from './cognito';
import { jsonResponse } from './test/fakes';

function setup(response: Response) {
  const fetch = vi.fn(async (_url: RequestInfo | URL, _init?: RequestInit) => response);
  const cognito = createCognito({ endpoint: 'http://localhost:4566', clientId: 'client-1', fetch });
  return { fetch, cognito };
}

describe('cognito client', () => {
  it('sends InitiateAuth as Cognito JSON 1.1 and returns tokens', async () => {
    const { fetch, cognito } = setup(
      jsonResponse(200, {
        AuthenticationResult: { AccessToken: 'a', IdToken: 'i', RefreshToken: 'r', ExpiresIn: 3600 },
      }),
    );
    const result = await cognito.signIn('alex', 'pw');
    expect(result).toEqual({ kind: 'tokens', tokens: { accessToken: 'a', idToken: 'i', refreshToken: 'r', expiresIn: 3600 } });
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('http://localhost:4566/');
    const headers = init?.headers as Record<string, string>;
    expect(headers['Content-Type']).toBe('application/x-amz-json-1.1');
    expect(headers['X-Amz-Target']).toBe('AWSCognitoIdentityProviderService.InitiateAuth');
    expect(JSON.parse(init?.body as string)).toEqual({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: 'client-1',
      AuthParameters: { USERNAME: 'alex', PASSWORD: 'pw' },
    });
  });

  it('does not double the slash of a deployed endpoint', async () => {
    const fetch = vi.fn(async (_u: RequestInfo | URL, _i?: RequestInit) => jsonResponse(200, {}));
    const cognito = createCognito({ endpoint: 'https://cognito-idp.us-east-1.amazonaws.com/', clientId: 'c', fetch });
    await cognito.globalSignOut('tok');
    expect(fetch.mock.calls[0]![0]).toBe('https://cognito-idp.us-east-1.amazonaws.com/');
  });

  it('returns a NEW_PASSWORD_REQUIRED challenge and answers it', async () => {
    const { cognito } = setup(jsonResponse(200, { ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: 's1', ChallengeParameters: {} }));
    const result = await cognito.signIn('newbie', 'Temp');
    expect(result).toMatchObject({ kind: 'challenge', challenge: 'NEW_PASSWORD_REQUIRED', session: 's1' });

    const answer = setup(jsonResponse(200, { AuthenticationResult: { AccessToken: 'a', IdToken: 'i', RefreshToken: 'r', ExpiresIn: 60 } }));
    await answer.cognito.respondNewPassword('newbie', 's1', 'N3w-Password!!');
    const init = answer.fetch.mock.calls[0]![1];
    expect((init?.headers as Record<string, string>)['X-Amz-Target']).toBe(
      'AWSCognitoIdentityProviderService.RespondToAuthChallenge',
    );
    expect(JSON.parse(init?.body as string)).toEqual({
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      ClientId: 'client-1',
      Session: 's1',
      ChallengeResponses: { USERNAME: 'newbie', NEW_PASSWORD: 'N3w-Password!!' },
    });
  });

  it('keeps the old refresh token when a refresh does not return one', async () => {
    const { fetch, cognito } = setup(jsonResponse(200, { AuthenticationResult: { AccessToken: 'a2', IdToken: 'i2', ExpiresIn: 3600 } }));
    const t = await cognito.refresh('r1');
    expect(t.refreshToken).toBe('r1');
    expect(JSON.parse(fetch.mock.calls[0]![1]?.body as string)).toEqual({
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      ClientId: 'client-1',
      AuthParameters: { REFRESH_TOKEN: 'r1' },
    });
  });

  it('turns a 400 into a CognitoError carrying __type', async () => {
    const { cognito } = setup(jsonResponse(400, { __type: 'NotAuthorizedException', message: 'Incorrect username or password.' }));
    await expect(cognito.signIn('alex', 'bad')).rejects.toMatchObject({ type: 'NotAuthorizedException' });
  });

  it('strips a namespace from __type', async () => {
    const { cognito } = setup(jsonResponse(400, { __type: 'com.amazonaws.cognito#InvalidPasswordException', message: 'x' }));
    await expect(cognito.confirmForgotPassword('u', '1', 'p')).rejects.toMatchObject({ type: 'InvalidPasswordException' });
  });

  it('reports network failures as NetworkError', async () => {
    const cognito = createCognito({
      endpoint: 'http://x',
      clientId: 'c',
      fetch: async () => {
        throw new TypeError('Failed to fetch');
      },
    });
    await expect(cognito.signIn('a', 'b')).rejects.toMatchObject({ type: 'NetworkError' });
  });
});

describe('auth error messages', () => {
  it('never reveals whether the user exists', () => {
    const wrong = describeAuthError(new CognitoError('NotAuthorizedException', 'Incorrect username or password.'));
    const missing = describeAuthError(new CognitoError('UserNotFoundException', 'User does not exist.'));
    expect(wrong).toBe('Incorrect username or password.');
    expect(missing).toBe(wrong);
  });

  it('explains the password policy', () => {
    const msg = describeAuthError(new CognitoError('InvalidPasswordException', 'Password did not conform with policy'));
    expect(msg).toMatch(/at least 12 characters/);
    expect(msg).toMatch(/uppercase/);
    expect(msg).toMatch(/symbol/);
  });

  it('lists missing password rules', () => {
    expect(passwordProblems('short')).toEqual(['at least 12 characters', 'an uppercase letter', 'a number', 'a symbol']);
    expect(passwordProblems('Correct-Horse-42')).toEqual([]);
  });
});
