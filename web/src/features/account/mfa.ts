// Two-step sign-in (an authenticator app), changing the password and "forgot username": the account's own
// security calls.

import type { Api, Schemas } from '../../shared/api/client';

export type TotpSetup = Schemas['TotpSetupOut'];
export type MfaStatus = Schemas['MfaStatusOut'];
export type ForgotUsernameAnswer = Schemas['ForgotUsernameOut'];

export function mfaApi(api: Api) {
  const request = api.request;
  return {
    startSetup: () => request<TotpSetup>('/me/mfa/totp/setup', { method: 'POST' }),
    verify: (code: string) => request<MfaStatus>('/me/mfa/totp/verify', { method: 'POST', body: { code } }),
    turnOff: () => request<MfaStatus>('/me/mfa', { method: 'DELETE' }),
    /** 204 once changed; the API has then signed this account out everywhere, this session too. */
    changePassword: (current: string, next: string) =>
      request<void>('/me/password', { method: 'POST', body: { current_password: current, new_password: next } }),
    forgotUsername: (email: string) =>
      request<ForgotUsernameAnswer>('/account/forgot-username', { method: 'POST', body: { email }, auth: false }),
  };
}

/** The secret as an app's "enter a key" screen shows it: groups of four, easier to copy by hand. */
export function groupSecret(secret: string): string {
  return (secret.match(/.{1,4}/g) ?? []).join(' ');
}

/** One SVG path drawing every dark module of a QR matrix (1 unit per module, no quiet zone). */
export function qrPath(modules: boolean[][]): string {
  const parts: string[] = [];
  modules.forEach((row, y) =>
    row.forEach((dark, x) => {
      if (dark) parts.push(`M${x} ${y}h1v1h-1z`);
    }),
  );
  return parts.join('');
}

/** A typed code, as Cognito wants it: digits only (people paste "123 456"). */
export function cleanCode(raw: string): string {
  return raw.replace(/[\s-]/g, '');
}
