import 'server-only';
import { eq } from 'drizzle-orm';
import { caseFoldedKey, schema } from '@/db/client';
import { decideSignInMfaState } from '@/lib/auth/mfa-state';
import { createSession } from '@/lib/auth/sessions';
import type { SessionClaims, SessionMfaState } from '@/lib/auth/types';
import { now } from '@/lib/clock';
import { getDb, type Executor } from '@/lib/db';
import { EVENT, writeEvent } from '@/lib/events';
import type { ClientInfo } from '@/lib/request';
import type { SsoFailureReason } from './failures';
import type { SsoConfig } from './settings';

/** A refused SSO sign-in: the reason the sign-in page explains, and what the event records. */
export class SsoRefusal extends Error {
  constructor(
    readonly reason: SsoFailureReason,
    readonly details: Record<string, unknown> = {},
  ) {
    super(reason);
    this.name = 'SsoRefusal';
  }
}

export type SsoSignInResult = SessionClaims & { mfaState: SessionMfaState };

type UserRow = Pick<typeof schema.users.$inferSelect, 'id' | 'email' | 'username' | 'status' | 'sessionVersion'>;

const claimText = (profile: Record<string, unknown>, claim: string): string | null => {
  const v = profile[claim];
  return typeof v === 'string' && v.trim() ? v.trim() : null;
};

/**
 * Records a refused or failed SSO sign-in (SSO Sign-In, failure) with the reason and, when the
 * provider sent one, its error. Never throws: a failed write must not hide the sign-in page.
 */
export async function recordSsoFailure(reason: SsoFailureReason, details: Record<string, unknown>, client: ClientInfo, subjectUserId: string | null = null): Promise<void> {
  const label = typeof details.email === 'string' ? details.email : null;
  await writeEvent(getDb(), {
    kind: EVENT.ssoSignIn,
    outcome: 'failure',
    actor: subjectUserId ? { type: 'user', id: subjectUserId, label } : { type: 'anonymous', label },
    subjectUserId,
    ip: client.ip,
    userAgent: client.userAgent,
    details: { reason, ...details },
  });
}

async function findUser(db: Executor, email: string): Promise<UserRow | undefined> {
  const u = schema.users;
  const [row] = await db
    .select({ id: u.id, email: u.email, username: u.username, status: u.status, sessionVersion: u.sessionVersion })
    .from(u)
    .where(eq(caseFoldedKey(u.email), email.toLowerCase()))
    .for('update');
  return row;
}

async function createSsoUser(tx: Executor, config: SsoConfig, email: string, profile: Record<string, unknown>, client: ClientInfo): Promise<UserRow> {
  const username = (claimText(profile, config.usernameClaim) ?? email.split('@')[0]!).slice(0, 64);
  const u = schema.users;
  const [taken] = await tx.select({ id: u.id }).from(u).where(eq(caseFoldedKey(u.username), username.toLowerCase())).limit(1);
  if (taken) throw new SsoRefusal('username_taken', { email, username });
  const at = now();
  const [row] = await tx
    .insert(u)
    .values({
      email,
      username,
      firstName: claimText(profile, 'given_name') ?? '',
      lastName: claimText(profile, 'family_name') ?? '',
      // source stays 'manual' (console-managed): the Created by SSO event records where it came from.
      status: 'active',
      activatedAt: at,
    })
    .returning({ id: u.id, email: u.email, username: u.username, status: u.status, sessionVersion: u.sessionVersion });
  await writeEvent(tx, {
    kind: EVENT.ssoUserCreated,
    actor: { type: 'user', id: row!.id, label: email },
    subjectUserId: row!.id,
    ip: client.ip,
    userAgent: client.userAgent,
    details: { email, username, issuer: config.issuerUrl },
  });
  return row!;
}

/**
 * Signs a user in from the identity provider's verified claims (the id token's, after next-auth
 * checked state, PKCE and nonce). The user is matched by the email claim, case-insensitively:
 * email_verified false is refused; an unknown user is refused unless "create users" is on; a
 * disabled user is refused; an invited user is activated (Activated by SSO). Opens the session and
 * records SSO Sign-In in the same transaction. Throws SsoRefusal (after recording it) otherwise.
 */
export async function completeSsoSignIn(
  config: SsoConfig,
  profile: Record<string, unknown>,
  client: ClientInfo,
  options: { trustedBrowserToken?: string } = {},
): Promise<SsoSignInResult> {
  const email = claimText(profile, config.emailClaim);
  const subject = typeof profile.sub === 'string' ? profile.sub : null;
  const base = { issuer: config.issuerUrl, subject };
  try {
    if (!email || !email.includes('@')) throw new SsoRefusal('missing_email', { claim: config.emailClaim });
    if (profile.email_verified === false) throw new SsoRefusal('email_not_verified', { email });
    const signedIn = await getDb().transaction(async (tx) => {
      let user = await findUser(tx, email);
      if (!user && !config.createUsers) throw new SsoRefusal('unknown_user', { email });
      if (!user) user = await createSsoUser(tx, config, email, profile, client);
      if (user.status === 'disabled') throw new SsoRefusal('disabled', { email, userId: user.id });
      const actor = { type: 'user', id: user.id, label: user.email } as const;
      const at = now();
      if (user.status === 'invited') {
        await tx.update(schema.users).set({ status: 'active', activatedAt: at, updatedAt: at }).where(eq(schema.users.id, user.id));
        await writeEvent(tx, {
          kind: EVENT.ssoActivated,
          actor,
          subjectUserId: user.id,
          ip: client.ip,
          userAgent: client.userAgent,
          details: { email: user.email, username: user.username, ...base },
        });
      }
      return user;
    });
    const mfaState: SessionMfaState = config.requireSmsMfa ? await decideSignInMfaState(signedIn.id, options.trustedBrowserToken) : 'none';
    return await getDb().transaction(async (tx) => {
      const sessionId = await createSession(tx, {
        realm: 'user',
        principalId: signedIn.id,
        sessionVersion: signedIn.sessionVersion,
        ip: client.ip,
        userAgent: client.userAgent,
        mfaState,
      });
      await tx.update(schema.users).set({ lastSignInAt: now() }).where(eq(schema.users.id, signedIn.id));
      await writeEvent(tx, {
        kind: EVENT.ssoSignIn,
        actor: { type: 'user', id: signedIn.id, label: signedIn.email },
        subjectUserId: signedIn.id,
        ip: client.ip,
        userAgent: client.userAgent,
        details: { sessionId, ...base, ...(mfaState === 'none' ? {} : { mfaState }) },
      });
      return { realm: 'user' as const, principalId: signedIn.id, sessionId, sessionVersion: signedIn.sessionVersion, mfaState };
    });
  } catch (error) {
    if (error instanceof SsoRefusal) {
      const userId = typeof error.details.userId === 'string' ? error.details.userId : null;
      const { userId: _u, ...details } = error.details;
      await recordSsoFailure(error.reason, { ...details, ...base }, client, userId);
    }
    throw error;
  }
}
