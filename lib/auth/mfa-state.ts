import 'server-only';
import { getMfaRequirement, isBrowserTrusted, TRUSTED_BROWSER_COOKIE } from '@/lib/mfa';
import type { SessionMfaState } from './types';

/**
 * The second-factor state a new user session starts in, decided once at the password step (a policy
 * or override change applies from the next sign-in): not required → 'none'; required and this
 * browser is trusted ("remember this device") → 'passed'; otherwise 'pending' until the SMS code.
 */
export async function decideSignInMfaState(userId: string, trustedBrowserToken: string | undefined): Promise<SessionMfaState> {
  const requirement = await getMfaRequirement(userId);
  if (!requirement.required) return 'none';
  return (await isBrowserTrusted(userId, trustedBrowserToken)) ? 'passed' : 'pending';
}

/** The trusted-browser token from a request's Cookie header, if any. */
export function readTrustedBrowserToken(cookieHeader: string | null | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(';')) {
    const at = part.indexOf('=');
    if (at < 0 || part.slice(0, at).trim() !== TRUSTED_BROWSER_COOKIE) continue;
    const value = part.slice(at + 1).trim();
    try {
      return decodeURIComponent(value) || undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}
