// A tiny client for Cognito's JSON API (the same calls the AWS SDK makes), so the bundle stays small.
// The browser talks to Cognito directly; our API only ever sees the resulting access token.

import { t } from '@lingui/core/macro';
import { currentLocale } from './i18n';

export interface AuthTokens {
  accessToken: string;
  idToken: string;
  refreshToken: string;
  /** Seconds the access token lives for, as Cognito reports it. */
  expiresIn: number;
}

export type AuthResult =
  | { kind: 'tokens'; tokens: AuthTokens }
  | { kind: 'challenge'; challenge: string; session: string; parameters: Record<string, string> };

export interface CodeDelivery {
  destination: string | null;
  medium: string | null;
}

/** A failure reported by Cognito (`__type`) or by the network (`NetworkError`). */
export class CognitoError extends Error {
  readonly type: string;
  constructor(type: string, message: string) {
    super(message);
    this.name = 'CognitoError';
    this.type = type;
  }
}

export interface CognitoClient {
  signIn(username: string, password: string): Promise<AuthResult>;
  refresh(refreshToken: string): Promise<AuthTokens>;
  respondNewPassword(username: string, session: string, newPassword: string): Promise<AuthResult>;
  respondMfaCode(username: string, session: string, code: string): Promise<AuthResult>;
  globalSignOut(accessToken: string): Promise<void>;
  forgotPassword(username: string): Promise<CodeDelivery>;
  confirmForgotPassword(username: string, code: string, password: string): Promise<void>;
}

export interface CognitoOptions {
  endpoint: string;
  clientId: string;
  fetch?: typeof fetch;
}

export interface RawAuthResponse {
  AuthenticationResult?: {
    AccessToken: string;
    IdToken: string;
    RefreshToken?: string;
    ExpiresIn: number;
  } | null;
  ChallengeName?: string | null;
  Session?: string | null;
  ChallengeParameters?: Record<string, string>;
}

/** Cognito's InitiateAuth / RespondToAuthChallenge answer as tokens or the next challenge. */
export function toAuthResult(raw: RawAuthResponse, previousRefreshToken?: string): AuthResult {
  const auth = raw.AuthenticationResult;
  if (auth) {
    return {
      kind: 'tokens',
      tokens: {
        accessToken: auth.AccessToken,
        idToken: auth.IdToken,
        refreshToken: auth.RefreshToken ?? previousRefreshToken ?? '',
        expiresIn: auth.ExpiresIn,
      },
    };
  }
  if (raw.ChallengeName && raw.Session) {
    return {
      kind: 'challenge',
      challenge: raw.ChallengeName,
      session: raw.Session,
      parameters: raw.ChallengeParameters ?? {},
    };
  }
  throw new CognitoError('UnexpectedResponse', 'The sign-in service gave an unexpected answer.');
}

export function createCognito({ endpoint, clientId, fetch: fetchImpl }: CognitoOptions): CognitoClient {
  const url = endpoint.replace(/\/+$/, '') + '/';
  const doFetch = fetchImpl ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));

  async function call<T>(operation: string, body: unknown): Promise<T> {
    let response: Response;
    try {
      response = await doFetch(url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-amz-json-1.1',
          'X-Amz-Target': `AWSCognitoIdentityProviderService.${operation}`,
        },
        body: JSON.stringify(body),
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch {
      throw new CognitoError('NetworkError', 'The sign-in service could not be reached.');
    }
    const text = await response.text();
    let data: Record<string, unknown> = {};
    if (text) {
      try {
        data = JSON.parse(text) as Record<string, unknown>;
      } catch {
        data = {};
      }
    }
    if (!response.ok) {
      // `__type` may carry a namespace prefix ("com.amazonaws...#NotAuthorizedException").
      const rawType = typeof data.__type === 'string' ? data.__type : `Http${response.status}`;
      const type = rawType.split('#').pop() ?? rawType;
      const message =
        typeof data.message === 'string' ? data.message : typeof data.Message === 'string' ? data.Message : '';
      throw new CognitoError(type, message);
    }
    return data as T;
  }

  return {
    async signIn(username, password) {
      const raw = await call<RawAuthResponse>('InitiateAuth', {
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: clientId,
        AuthParameters: { USERNAME: username, PASSWORD: password },
      });
      return toAuthResult(raw);
    },

    async refresh(refreshToken) {
      const raw = await call<RawAuthResponse>('InitiateAuth', {
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        ClientId: clientId,
        AuthParameters: { REFRESH_TOKEN: refreshToken },
      });
      const result = toAuthResult(raw, refreshToken);
      if (result.kind !== 'tokens') {
        throw new CognitoError('UnexpectedResponse', 'Refreshing the session needs another step.');
      }
      return result.tokens;
    },

    async respondNewPassword(username, session, newPassword) {
      const raw = await call<RawAuthResponse>('RespondToAuthChallenge', {
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        ClientId: clientId,
        Session: session,
        ChallengeResponses: { USERNAME: username, NEW_PASSWORD: newPassword },
      });
      return toAuthResult(raw);
    },

    async respondMfaCode(username, session, code) {
      const raw = await call<RawAuthResponse>('RespondToAuthChallenge', {
        ChallengeName: 'SOFTWARE_TOKEN_MFA',
        ClientId: clientId,
        Session: session,
        ChallengeResponses: { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: code },
      });
      return toAuthResult(raw);
    },

    async globalSignOut(accessToken) {
      await call<unknown>('GlobalSignOut', { AccessToken: accessToken });
    },

    async forgotPassword(username) {
      const raw = await call<{ CodeDeliveryDetails?: { Destination?: string; DeliveryMedium?: string } }>(
        'ForgotPassword',
        { ClientId: clientId, Username: username },
      );
      return {
        destination: raw.CodeDeliveryDetails?.Destination ?? null,
        medium: raw.CodeDeliveryDetails?.DeliveryMedium ?? null,
      };
    },

    async confirmForgotPassword(username, code, password) {
      await call<unknown>('ConfirmForgotPassword', {
        ClientId: clientId,
        Username: username,
        ConfirmationCode: code,
        Password: password,
      });
    },
  };
}

/** Text that is an email address rather than a username: it signs in through the portal API. */
export function looksLikeEmail(login: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(login.trim());
}

export type EmailSignIn = (email: string, password: string) => Promise<AuthResult>;

/**
 * Signing in with an email address. The user pool takes usernames only, so the portal API looks the
 * address up and answers with Cognito's own answer for the account the password opens (tokens, or the
 * next challenge for that account's username, which the browser then answers to Cognito as usual). Its
 * refusals become the errors a username sign-in gives, so the page words them alike.
 */
export function createEmailSignIn({ apiBase, fetch: fetchImpl }: { apiBase: string; fetch?: typeof fetch }): EmailSignIn {
  const url = apiBase.replace(/\/+$/, '') + '/account/sign-in';
  const doFetch = fetchImpl ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  return async (email, password) => {
    let response: Response;
    try {
      response = await doFetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ email, password }),
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch {
      throw new CognitoError('NetworkError', 'The sign-in service could not be reached.');
    }
    if (response.ok) return toAuthResult((await response.json()) as RawAuthResponse);
    if (response.status === 401) throw new CognitoError('NotAuthorizedException', 'Incorrect email or password.');
    if (response.status === 400) throw new CognitoError('InvalidParameterException', 'Check the email address.');
    throw new CognitoError(`Http${response.status}`, '');
  };
}

/** What a new password needs, in the active language. */
export function passwordPolicy(): string {
  return t`Use at least 12 characters, with an uppercase letter, a lowercase letter, a number and a symbol.`;
}

/** "a, b and c" / "a, b y c", in the active language. */
export function joinList(items: string[]): string {
  return new Intl.ListFormat(currentLocale(), { type: 'conjunction' }).format(items);
}

/** Which policy rules a candidate password breaks (empty when it meets them all). */
export function passwordProblems(password: string): string[] {
  const problems: string[] = [];
  if (password.length < 12) problems.push(t`at least 12 characters`);
  if (!/[A-Z]/.test(password)) problems.push(t`an uppercase letter`);
  if (!/[a-z]/.test(password)) problems.push(t`a lowercase letter`);
  if (!/[0-9]/.test(password)) problems.push(t`a number`);
  if (!/[^A-Za-z0-9\s]/.test(password)) problems.push(t`a symbol`);
  return problems;
}

/**
 * A message for people, never revealing whether an account exists.
 * `context` picks wording for the step the person is on.
 */
export function describeAuthError(
  error: unknown,
  context: 'signIn' | 'signInEmail' | 'newPassword' | 'reset' = 'signIn',
): string {
  const type = error instanceof CognitoError ? error.type : 'Unknown';
  const message = error instanceof CognitoError ? error.message : '';
  switch (type) {
    case 'NotAuthorizedException':
      if (/attempts exceeded/i.test(message)) {
        return t`Too many unsuccessful attempts. Please wait a few minutes and try again.`;
      }
      if (context === 'newPassword') return t`Your sign-in took too long. Please start again.`;
      return context === 'signInEmail' ? t`Incorrect email or password.` : t`Incorrect username or password.`;
    case 'UserNotFoundException':
      return context === 'signInEmail' ? t`Incorrect email or password.` : t`Incorrect username or password.`;
    case 'InvalidPasswordException':
      return `${t`That password doesn't meet the rules.`} ${passwordPolicy()}`;
    case 'PasswordResetRequiredException':
      return t`You need to set a new password. Choose “Forgot password?” to get a code.`;
    case 'UserNotConfirmedException':
      return t`Your account is not active yet. Please contact the clinic.`;
    case 'TooManyRequestsException':
    case 'LimitExceededException':
    case 'TooManyFailedAttemptsException':
      return t`Too many attempts. Please wait a few minutes and try again.`;
    case 'CodeMismatchException':
      return context === 'reset'
        ? t`That code isn't right. Check the code we sent you and try again.`
        : t`That code isn't right. Please try again.`;
    case 'ExpiredCodeException':
      return t`That code has expired. Please ask for a new one.`;
    case 'InvalidParameterException':
      return t`Please check what you entered and try again.`;
    case 'NetworkError':
      return t`We couldn't reach the sign-in service. Check your internet connection and try again.`;
    default:
      return t`Something went wrong. Please try again in a moment.`;
  }
}
