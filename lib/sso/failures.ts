/** Why an SSO sign-in was refused: the `sso_error` of /login?sso_error=<reason>. Client-safe (no server imports). */
export const SSO_FAILURE_REASONS = [
  'not_configured',
  'provider_unreachable',
  'provider_error',
  'invalid_response',
  'missing_email',
  'email_not_verified',
  'unknown_user',
  'disabled',
  'username_taken',
] as const;

export type SsoFailureReason = (typeof SSO_FAILURE_REASONS)[number];

export const isSsoFailureReason = (value: unknown): value is SsoFailureReason => SSO_FAILURE_REASONS.includes(value as SsoFailureReason);

/** The sign-in page's notice for each reason, in plain words. */
export function describeSsoFailure(reason: SsoFailureReason, providerName: string): string {
  const idp = providerName || 'your identity provider';
  switch (reason) {
    case 'not_configured':
      return 'Single sign-on is not available right now. Sign in with your password, or contact your administrator.';
    case 'provider_unreachable':
      return `${idp} could not be reached, so you could not be signed in. Try again in a few minutes; if it keeps happening, contact your administrator.`;
    case 'provider_error':
      return `${idp} did not sign you in (it returned an error, or the sign-in was cancelled). Try again.`;
    case 'invalid_response':
      return `The answer from ${idp} could not be verified, so you were not signed in. Start again from this page.`;
    case 'missing_email':
      return `${idp} did not tell us your email address, so we could not find your account. Contact your administrator.`;
    case 'email_not_verified':
      return `${idp} says your email address is not verified. Verify it there, then try again.`;
    case 'unknown_user':
      return `There is no VPN account for the email address ${idp} gave us. Contact your administrator to be added.`;
    case 'disabled':
      return 'This account is disabled. Contact your administrator if you need access.';
    case 'username_taken':
      return 'An account could not be created for you because its username is already taken. Contact your administrator.';
  }
}
