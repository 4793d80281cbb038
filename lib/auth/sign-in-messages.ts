import type { Realm } from './types';

/* Pure (no next-auth import), so the messages can be unit-tested; re-exported by sign-in-action. */

function minutes(seconds: number | undefined) {
  const m = Math.max(1, Math.ceil((seconds ?? 900) / 60));
  return `${m} minute${m === 1 ? '' : 's'}`;
}

/** Message for a failed sign-in. Wrong email and wrong password read the same on purpose. */
export function describeSignInFailure(code: string | undefined, realm: Realm): string {
  const [kind, retry] = (code ?? '').split(':');
  const retryAfter = retry ? Number(retry) : undefined;
  switch (kind) {
    case 'locked':
      return `Too many failed attempts for this account. Wait ${minutes(retryAfter)} and try again${realm === 'user' ? ', or use “Forgot password”' : ''}.`;
    case 'rate_limited':
      return `Too many failed sign-ins from your network. Wait ${minutes(retryAfter)} and try again.`;
    case 'disabled':
      return 'This account is disabled. Contact your administrator if you need access.';
    case 'sso_only':
      return 'Your organisation signs in with single sign-on: use the “Sign in with …” button above.';
    default:
      return realm === 'admin' ? 'The email or password is incorrect.' : 'The email, username or password is incorrect.';
  }
}
