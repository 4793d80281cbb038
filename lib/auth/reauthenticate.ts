import 'server-only';
import { and, eq, isNull } from 'drizzle-orm';
import { schema } from '@/db/client';
import { addSeconds, now } from '@/lib/clock';
import { getDb, type Executor } from '@/lib/db';
import { EVENT, writeEvent } from '@/lib/events';
import { verifyPassword } from '@/lib/passwords';
import { clearCounter, incrementCounter, readCounter } from '@/lib/rate-limit';
import type { ClientInfo } from '@/lib/request';
import { describeSignInFailure } from './sign-in-messages';
import { ACCOUNT_FAILURE_LIMIT, IP_FAILURE_LIMIT, SIGN_IN_WINDOW_SECONDS } from './sign-in';
import { accountCounterKey, ipCounterKey, slowDownAfterFailure } from './sign-in-counters';
import type { SignInErrorCode, UserPrincipal } from './types';

/** A re-entered password unlocks sensitive changes (the 2FA number) in this session for this long. */
export const REAUTHENTICATION_VALID_SECONDS = 10 * 60;

/*
 * The same counters as the sign-in (lib/auth/sign-in.ts), so a wrong password here counts towards
 * the account's and the IP's sign-in limits, and a locked account can't be probed through this form.
 */
const accountKey = (userId: string) => accountCounterKey('user', userId);
const ipKey = ipCounterKey;

export type ReauthenticateResult =
  | { ok: true; validUntil: Date }
  | { ok: false; code: Exclude<SignInErrorCode, 'disabled'>; message: string; retryAfterSeconds?: number };

type Who = Pick<UserPrincipal, 'id' | 'email' | 'sessionId'>;

/**
 * Checks the signed-in user's password again. On success the session is marked re-authenticated
 * (auth_sessions.reauthenticated_at) for 10 minutes; a wrong password is counted and slowed like a
 * failed sign-in, and refused once the account or the IP is over the sign-in limits. Every outcome
 * is a User Sign-In event with `step: 'reauthenticate'`.
 */
export async function reauthenticate(user: Who, password: string, client: ClientInfo): Promise<ReauthenticateResult> {
  const event = (outcome: 'success' | 'failure', details: Record<string, unknown>) => ({
    kind: EVENT.userSignIn,
    outcome,
    actor: { type: 'user' as const, id: user.id, label: user.email },
    subjectUserId: user.id,
    ip: client.ip,
    userAgent: client.userAgent,
    details: { step: 'reauthenticate', sessionId: user.sessionId, ...details },
  });
  const refuse = async (code: 'invalid' | 'locked' | 'rate_limited', retryAfterSeconds?: number): Promise<ReauthenticateResult> => {
    await writeEvent(getDb(), event('failure', { reason: code }));
    const message =
      code === 'invalid' ? 'The password is incorrect.' : describeSignInFailure(retryAfterSeconds ? `${code}:${retryAfterSeconds}` : code, 'user');
    return { ok: false, code, message, ...(retryAfterSeconds ? { retryAfterSeconds } : {}) };
  };

  const ipState = await readCounter(ipKey(client.ip), SIGN_IN_WINDOW_SECONDS);
  if (ipState.count >= IP_FAILURE_LIMIT) return refuse('rate_limited', ipState.retryAfterSeconds);
  const acctState = await readCounter(accountKey(user.id), SIGN_IN_WINDOW_SECONDS);
  if (acctState.count >= ACCOUNT_FAILURE_LIMIT) return refuse('locked', acctState.retryAfterSeconds);

  const u = schema.users;
  const [row] = await getDb().select({ passwordHash: u.passwordHash }).from(u).where(eq(u.id, user.id));
  if (!(await verifyPassword(row?.passwordHash, password))) {
    const [acct] = await Promise.all([
      incrementCounter(accountKey(user.id), SIGN_IN_WINDOW_SECONDS),
      incrementCounter(ipKey(client.ip), SIGN_IN_WINDOW_SECONDS),
    ]);
    await slowDownAfterFailure(acct.count);
    return refuse('invalid');
  }

  await clearCounter(accountKey(user.id));
  const validUntil = await getDb().transaction(async (tx) => {
    const until = await markReauthenticated(tx, user);
    await writeEvent(tx, event('success', {}));
    return until;
  });
  return { ok: true, validUntil };
}

/**
 * Marks the session re-authenticated now (auth_sessions.reauthenticated_at), for
 * REAUTHENTICATION_VALID_SECONDS: what a re-entered password does, and what a fresh sign-in at the
 * identity provider does for a user without a password (lib/sso/reauthenticate.ts). Returns the end of the window.
 */
export async function markReauthenticated(tx: Executor, user: Pick<UserPrincipal, 'id' | 'sessionId'>): Promise<Date> {
  const at = now();
  const s = schema.authSessions;
  await tx
    .update(s)
    .set({ reauthenticatedAt: at })
    .where(and(eq(s.id, user.sessionId), eq(s.realm, 'user'), eq(s.principalId, user.id), isNull(s.revokedAt)));
  return addSeconds(at, REAUTHENTICATION_VALID_SECONDS);
}

/** Whether this session re-entered the password within the last 10 minutes. */
export async function isRecentlyReauthenticated(user: Pick<UserPrincipal, 'id' | 'sessionId'>): Promise<boolean> {
  const s = schema.authSessions;
  const [row] = await getDb()
    .select({ at: s.reauthenticatedAt })
    .from(s)
    .where(and(eq(s.id, user.sessionId), eq(s.realm, 'user'), eq(s.principalId, user.id), isNull(s.revokedAt)));
  if (!row?.at) return false;
  const age = now().getTime() - row.at.getTime();
  return age >= 0 && age <= REAUTHENTICATION_VALID_SECONDS * 1000;
}

/** Ends the re-authentication window early (after the change it unlocked), so the next change asks again. */
export async function clearReauthentication(user: Pick<UserPrincipal, 'id' | 'sessionId'>): Promise<void> {
  const s = schema.authSessions;
  await getDb()
    .update(s)
    .set({ reauthenticatedAt: null })
    .where(and(eq(s.id, user.sessionId), eq(s.principalId, user.id)));
}
