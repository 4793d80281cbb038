/** Why a re-authentication at the identity provider was refused: the `sso_error` of /account/2fa. Client-safe (no server imports). */
export const SSO_REAUTH_FAILURES = ['not_configured', 'provider_unreachable', 'provider_error', 'invalid_response', 'account_mismatch', 'not_recent', 'session_changed'] as const;

export type SsoReauthFailure = (typeof SSO_REAUTH_FAILURES)[number];

export const isSsoReauthFailure = (value: unknown): value is SsoReauthFailure => SSO_REAUTH_FAILURES.includes(value as SsoReauthFailure);

/** The /account/2fa notice for each reason, in plain words. */
export function describeSsoReauthFailure(reason: SsoReauthFailure, providerName: string): string {
  const idp = providerName || 'your identity provider';
  switch (reason) {
    case 'not_configured':
      return 'Single sign-on is not available right now, so you cannot confirm it is you. Try again later, or contact your administrator.';
    case 'provider_unreachable':
      return `${idp} could not be reached. Try again in a few minutes; if it keeps happening, contact your administrator.`;
    case 'provider_error':
      return `${idp} did not confirm it is you (it returned an error, or you cancelled). Try again.`;
    case 'invalid_response':
      return `The answer from ${idp} could not be verified. Try again.`;
    case 'account_mismatch':
      return `You signed in to ${idp} with a different account than the one signed in here. Confirm with your own account to change your number.`;
    case 'not_recent':
      return `${idp} did not ask you to sign in again, so we could not confirm it is you. Try again; if it keeps happening, contact your administrator.`;
    case 'session_changed':
      return 'Your session changed while you were away. Start again from this page.';
  }
}
