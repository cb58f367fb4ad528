// The signed-in session: tokens in memory, mirrored to sessionStorage so a reload keeps this tab signed in.
// Tokens never go to localStorage or URLs. Refresh happens shortly before expiry and on demand (after a 401).

import { clearAllDrafts } from './drafts';
import { type AuthResult, type AuthTokens, type CognitoClient, type EmailSignIn, looksLikeEmail } from './cognito';

export interface StoredSession {
  accessToken: string;
  idToken: string;
  refreshToken: string;
  /** Epoch ms when the access token expires. */
  expiresAt: number;
  username: string;
}

/** Why the session ended; the sign-in page words its notice from this. */
export type SignOutReason = 'user' | 'idle' | 'expired' | 'passwordChanged';

export type SessionEvent = { type: 'signedIn' } | { type: 'refreshed' } | { type: 'signedOut'; reason: SignOutReason };

export type SignInStep =
  | { kind: 'signedIn' }
  | { kind: 'newPasswordRequired'; username: string; session: string }
  | { kind: 'mfaRequired'; username: string; session: string }
  | { kind: 'unsupportedChallenge'; challenge: string };

export interface SessionOptions {
  cognito: CognitoClient;
  storage?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null;
  now?: () => number;
  /** Refresh this long before the access token expires. */
  refreshLeadMs?: number;
  /**
   * Tell the portal API this user signed out, so access tokens already issued (verified offline, valid
   * for 15 minutes) stop working at once, everywhere. Best effort, like GlobalSignOut.
   */
  endApiSession?: (accessToken: string) => Promise<unknown>;
  /** Sign-in with an email address (through the portal API); without it every login goes to Cognito as a username. */
  emailSignIn?: EmailSignIn;
}

export const SESSION_KEY = 'portal.session';

/** Decode a JWT's payload without verifying it (the API verifies; we only read display claims). */
export function decodeJwtPayload(token: string): Record<string, unknown> {
  const part = token.split('.')[1];
  if (!part) return {};
  try {
    const base64 = part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '=');
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const payload: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return payload && typeof payload === 'object' ? (payload as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function isStoredSession(value: unknown): value is StoredSession {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.accessToken === 'string' &&
    typeof v.idToken === 'string' &&
    typeof v.refreshToken === 'string' &&
    typeof v.expiresAt === 'number' &&
    typeof v.username === 'string'
  );
}

function defaultStorage(): SessionOptions['storage'] {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null; // storage can be blocked by browser settings; memory still works
  }
}

export class Session {
  private readonly cognito: CognitoClient;
  private readonly storage: SessionOptions['storage'];
  private readonly now: () => number;
  private readonly refreshLeadMs: number;
  private readonly endApiSession: SessionOptions['endApiSession'];
  private readonly emailSignIn: SessionOptions['emailSignIn'];
  private current: StoredSession | null = null;
  private refreshing: Promise<boolean> | null = null;
  private refreshTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly listeners = new Set<(event: SessionEvent) => void>();

  constructor(options: SessionOptions) {
    this.cognito = options.cognito;
    this.storage = options.storage === undefined ? defaultStorage() : options.storage;
    this.now = options.now ?? (() => Date.now());
    this.refreshLeadMs = options.refreshLeadMs ?? 2 * 60_000;
    this.endApiSession = options.endApiSession;
    this.emailSignIn = options.emailSignIn;
    this.restore();
  }

  get signedIn(): boolean {
    return this.current !== null;
  }

  get username(): string | null {
    return this.current?.username ?? null;
  }

  /** The current access token as held, without refreshing (for fire-and-forget uses). */
  get accessToken(): string | null {
    return this.current?.accessToken ?? null;
  }

  subscribe(listener: (event: SessionEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** `login` is a username, or an email address when the session can sign in with one. */
  async signIn(login: string, password: string): Promise<SignInStep> {
    const result =
      this.emailSignIn && looksLikeEmail(login)
        ? await this.emailSignIn(login.trim(), password)
        : await this.cognito.signIn(login, password);
    return this.accept(result, login);
  }

  async completeNewPassword(username: string, session: string, newPassword: string): Promise<SignInStep> {
    return this.accept(await this.cognito.respondNewPassword(username, session, newPassword), username);
  }

  async completeMfa(username: string, session: string, code: string): Promise<SignInStep> {
    return this.accept(await this.cognito.respondMfaCode(username, session, code), username);
  }

  /** A token fit to send now: refreshed first if it is about to expire. Null when signed out. */
  async getAccessToken(): Promise<string | null> {
    if (!this.current) return null;
    if (this.current.expiresAt - this.now() < 30_000) {
      const ok = await this.refresh();
      if (!ok) return null;
    }
    return this.current?.accessToken ?? null;
  }

  /** Refresh the tokens once, sharing one request among concurrent callers. False if it could not. */
  refresh(): Promise<boolean> {
    if (!this.current) return Promise.resolve(false);
    if (!this.refreshing) {
      const refreshToken = this.current.refreshToken;
      this.refreshing = this.cognito
        .refresh(refreshToken)
        .then((tokens) => {
          if (!this.current) return false; // signed out meanwhile
          this.store(tokens, this.current.username);
          this.emit({ type: 'refreshed' });
          return true;
        })
        .catch(() => false)
        .finally(() => {
          this.refreshing = null;
        });
    }
    return this.refreshing;
  }

  /** End the session here and, best effort, everywhere (GlobalSignOut). Safe to call twice. */
  signOut(reason: SignOutReason = 'user'): void {
    const token = this.current?.accessToken;
    if (!this.current) return;
    // Drafts survive a sign-out for inactivity (restored at the next sign-in), never an explicit one.
    if (reason === 'user') clearAllDrafts();
    this.clear();
    if (token) {
      const ignore = () => {
        /* already signed out here; the server-side revoke is best effort */
      };
      this.endApiSession?.(token).catch(ignore);
      this.cognito.globalSignOut(token).catch(ignore);
    }
    this.emit({ type: 'signedOut', reason });
  }

  private accept(result: AuthResult, username: string): SignInStep {
    if (result.kind === 'tokens') {
      this.store(result.tokens, username);
      this.emit({ type: 'signedIn' });
      return { kind: 'signedIn' };
    }
    const login = result.parameters.USER_ID_FOR_SRP || username;
    if (result.challenge === 'NEW_PASSWORD_REQUIRED') {
      return { kind: 'newPasswordRequired', username: login, session: result.session };
    }
    if (result.challenge === 'SOFTWARE_TOKEN_MFA') {
      return { kind: 'mfaRequired', username: login, session: result.session };
    }
    return { kind: 'unsupportedChallenge', challenge: result.challenge };
  }

  private store(tokens: AuthTokens, fallbackUsername: string): void {
    const claims = decodeJwtPayload(tokens.accessToken);
    const username = typeof claims.username === 'string' ? claims.username : fallbackUsername;
    this.current = {
      accessToken: tokens.accessToken,
      idToken: tokens.idToken,
      refreshToken: tokens.refreshToken,
      expiresAt: this.now() + tokens.expiresIn * 1000,
      username,
    };
    try {
      this.storage?.setItem(SESSION_KEY, JSON.stringify(this.current));
    } catch {
      /* memory-only is fine */
    }
    this.scheduleRefresh();
  }

  private restore(): void {
    let raw: string | null = null;
    try {
      raw = this.storage?.getItem(SESSION_KEY) ?? null;
    } catch {
      raw = null;
    }
    if (!raw) return;
    try {
      const parsed: unknown = JSON.parse(raw);
      if (isStoredSession(parsed)) {
        this.current = parsed;
        this.scheduleRefresh();
        return;
      }
    } catch {
      /* fall through */
    }
    this.storage?.removeItem(SESSION_KEY);
  }

  private scheduleRefresh(delayMs?: number): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = null;
    if (!this.current) return;
    const delay = delayMs ?? Math.max(1_000, this.current.expiresAt - this.now() - this.refreshLeadMs);
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = null;
      void this.refresh().then((ok) => {
        if (ok || !this.current) return;
        // A transient failure gets retried while the token still works; after that the session is over.
        if (this.current.expiresAt - this.now() > 5_000) this.scheduleRefresh(15_000);
        else this.signOut('expired');
      });
    }, delay);
  }

  private clear(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = null;
    this.current = null;
    try {
      this.storage?.removeItem(SESSION_KEY);
    } catch {
      /* ignore */
    }
  }

  private emit(event: SessionEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }
}
