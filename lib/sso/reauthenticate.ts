import 'server-only';
import { eq } from 'drizzle-orm';
import { schema } from '@/db/client';
import { markReauthenticated } from '@/lib/auth/reauthenticate';
import type { UserPrincipal } from '@/lib/auth/types';
import { now } from '@/lib/clock';
import { getDb } from '@/lib/db';
import { EVENT, writeEvent } from '@/lib/events';
import type { ClientInfo } from '@/lib/request';
import type { SsoReauthFailure } from './reauth-failures';
import { getSsoSignInOptions, type SsoConfig } from './settings';

/** The provider's sign-in must be at most this old (id token `auth_time`) to count as re-authentication. */
export const SSO_REAUTH_MAX_AGE_SECONDS = 5 * 60;
/** Clock skew tolerated for an `auth_time` slightly in the future. */
const CLOCK_SKEW_SECONDS = 60;

/** How /account/2fa re-authenticates this user before a new number is bound. */
export type ReauthenticationMethod = { method: 'password' } | { method: 'sso'; providerName: string } | { method: 'unavailable' };

/**
 * Password when the user has one and may use it; the identity provider when SSO is on and the user
 * has no password (activated or created by SSO) or password sign-in is off for users; otherwise
 * nothing works (an admin resets their two-factor authentication).
 */
export function chooseReauthenticationMethod(hasPassword: boolean, sso: { enabled: boolean; providerName: string; allowPasswordSignIn: boolean }): ReauthenticationMethod {
  if (sso.enabled && (!hasPassword || !sso.allowPasswordSignIn)) return { method: 'sso', providerName: sso.providerName };
  return hasPassword ? { method: 'password' } : { method: 'unavailable' };
}

export async function getReauthenticationMethod(userId: string): Promise<ReauthenticationMethod> {
  const u = schema.users;
  const [[row], sso] = await Promise.all([getDb().select({ passwordHash: u.passwordHash }).from(u).where(eq(u.id, userId)), getSsoSignInOptions()]);
  return chooseReauthenticationMethod(Boolean(row?.passwordHash), sso);
}

export type SsoReauthResult = { ok: true; validUntil: Date } | { ok: false; reason: SsoReauthFailure };

type Who = Pick<UserPrincipal, 'id' | 'email' | 'sessionId'>;

/** Records a refused re-authentication at the provider (SSO Re-Authentication, failure). */
export async function recordSsoReauthFailure(user: Who, reason: SsoReauthFailure, details: Record<string, unknown>, client: ClientInfo): Promise<void> {
  await writeEvent(getDb(), {
    kind: EVENT.ssoReauthenticated,
    outcome: 'failure',
    actor: { type: 'user', id: user.id, label: user.email },
    subjectUserId: user.id,
    ip: client.ip,
    userAgent: client.userAgent,
    details: { reason, sessionId: user.sessionId, ...details },
  });
}

/**
 * The provider answered a re-authentication (prompt=login, max_age=0) with verified id token claims:
 * the email claim must be the signed-in user's (case-insensitively, and not `email_verified: false`)
 * and `auth_time` at most 5 minutes old (the provider really asked again). Then the session is marked
 * re-authenticated exactly like a re-entered password (markReauthenticated: same column, same 10-minute
 * window) and SSO Re-Authentication is recorded in the same transaction; otherwise the refusal is recorded.
 */
export async function confirmSsoReauthentication(config: SsoConfig, user: Who, claims: Record<string, unknown>, client: ClientInfo): Promise<SsoReauthResult> {
  const claimed = claims[config.emailClaim];
  const email = typeof claimed === 'string' ? claimed.trim() : null;
  const subject = typeof claims.sub === 'string' ? claims.sub : null;
  const authTime = typeof claims.auth_time === 'number' ? claims.auth_time : null;
  const base = { issuer: config.issuerUrl, subject, ...(authTime !== null ? { authTime: new Date(authTime * 1000).toISOString() } : {}) };
  const refuse = async (reason: SsoReauthFailure): Promise<SsoReauthResult> => {
    await recordSsoReauthFailure(user, reason, { ...base, ...(email ? { email } : {}) }, client);
    return { ok: false, reason };
  };

  if (!email || email.toLowerCase() !== user.email.toLowerCase() || claims.email_verified === false) return refuse('account_mismatch');
  const ageSeconds = authTime === null ? Infinity : now().getTime() / 1000 - authTime;
  if (ageSeconds > SSO_REAUTH_MAX_AGE_SECONDS || ageSeconds < -CLOCK_SKEW_SECONDS) return refuse('not_recent');

  const validUntil = await getDb().transaction(async (tx) => {
    const until = await markReauthenticated(tx, user);
    await writeEvent(tx, {
      kind: EVENT.ssoReauthenticated,
      actor: { type: 'user', id: user.id, label: user.email },
      subjectUserId: user.id,
      ip: client.ip,
      userAgent: client.userAgent,
      details: { sessionId: user.sessionId, ...base },
    });
    return until;
  });
  return { ok: true, validUntil };
}
