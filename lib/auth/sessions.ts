import 'server-only';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { schema } from '@/db/client';
import { addSeconds, now } from '@/lib/clock';
import { getDb, type Executor } from '@/lib/db';
import { revokeTrustedBrowsers } from '@/lib/mfa';
import type { AdminPrincipal, Principal, Realm, SessionClaims, SessionMfaState, SessionProblem, UserPrincipal } from './types';

export const SESSION_ABSOLUTE_SECONDS = 12 * 3600;
export const SESSION_IDLE_SECONDS = 30 * 60;
/** last_seen_at is written at most this often per session, to keep reads cheap. */
const TOUCH_INTERVAL_SECONDS = 60;

export async function createSession(
  db: Executor,
  input: {
    realm: Realm;
    principalId: string;
    sessionVersion: number;
    ip: string | null;
    userAgent: string | null;
    /** The user realm's second-factor state at sign-in (admins: always 'none'). */
    mfaState?: SessionMfaState;
  },
): Promise<string> {
  const at = now();
  const [row] = await db
    .insert(schema.authSessions)
    .values({
      realm: input.realm,
      principalId: input.principalId,
      sessionVersion: input.sessionVersion,
      createdAt: at,
      lastSeenAt: at,
      expiresAt: addSeconds(at, SESSION_ABSOLUTE_SECONDS),
      ip: input.ip,
      userAgent: input.userAgent,
      mfaState: input.realm === 'user' ? (input.mfaState ?? 'none') : 'none',
    })
    .returning({ id: schema.authSessions.id });
  return row!.id;
}

type Validation = { ok: true; principal: Principal } | { ok: false; problem: SessionProblem };

async function loadPrincipal(
  realm: Realm,
  principalId: string,
  sessionId: string,
  mfaState: SessionMfaState = 'none',
): Promise<{ principal: Principal; sessionVersion: number; active: boolean; disabled: boolean } | undefined> {
  const db = getDb();
  if (realm === 'admin') {
    const a = schema.admins;
    const [row] = await db
      .select({ id: a.id, email: a.email, name: a.name, sessionVersion: a.sessionVersion })
      .from(a)
      .where(eq(a.id, principalId));
    if (!row) return undefined;
    const principal: AdminPrincipal = { realm, id: row.id, email: row.email, name: row.name, sessionId };
    return { principal, sessionVersion: row.sessionVersion, active: true, disabled: false };
  }
  const u = schema.users;
  const [row] = await db
    .select({
      id: u.id,
      email: u.email,
      username: u.username,
      firstName: u.firstName,
      lastName: u.lastName,
      status: u.status,
      sessionVersion: u.sessionVersion,
    })
    .from(u)
    .where(eq(u.id, principalId));
  if (!row) return undefined;
  const principal: UserPrincipal = {
    realm,
    id: row.id,
    email: row.email,
    username: row.username,
    firstName: row.firstName,
    lastName: row.lastName,
    sessionId,
    mfaState,
  };
  return { principal, sessionVersion: row.sessionVersion, active: row.status === 'active', disabled: row.status === 'disabled' };
}

/**
 * Checks a session against the database: the session row is live (not revoked, not idle for
 * 30 minutes, not older than 12 hours), the principal exists and is active, and its session version
 * still matches (disabling a user or resetting a password bumps it). A user principal carries the
 * session's MFA state; callers decide what a 'pending' session may reach (see guards).
 */
export async function validateSession(claims: SessionClaims | undefined, expected?: Realm): Promise<Validation> {
  if (!claims?.sessionId || !claims.principalId) return { ok: false, problem: 'missing' };
  if (expected && claims.realm !== expected) return { ok: false, problem: 'wrong-realm' };
  const s = schema.authSessions;
  const [session] = await getDb()
    .select()
    .from(s)
    .where(and(eq(s.id, claims.sessionId), eq(s.principalId, claims.principalId), eq(s.realm, claims.realm)));
  if (!session) return { ok: false, problem: 'missing' };
  if (session.revokedAt) {
    // Say "disabled" when that is why the session ended, so the sign-in page can explain it.
    const who = await loadPrincipal(claims.realm, claims.principalId, claims.sessionId);
    return { ok: false, problem: who?.disabled ? 'disabled' : 'revoked' };
  }
  const at = now();
  if (session.expiresAt <= at) return { ok: false, problem: 'expired' };
  if (at.getTime() - session.lastSeenAt.getTime() > SESSION_IDLE_SECONDS * 1000) return { ok: false, problem: 'idle' };
  const found = await loadPrincipal(claims.realm, claims.principalId, claims.sessionId, session.mfaState);
  if (!found) return { ok: false, problem: 'missing' };
  // A disabled account says so (it also bumped the version), rather than a generic "revoked".
  if (found.disabled) return { ok: false, problem: 'disabled' };
  if (found.sessionVersion !== session.sessionVersion || found.sessionVersion !== claims.sessionVersion) {
    return { ok: false, problem: 'revoked' };
  }
  if (!found.active) return { ok: false, problem: 'revoked' };
  if (at.getTime() - session.lastSeenAt.getTime() > TOUCH_INTERVAL_SECONDS * 1000) {
    await getDb().update(s).set({ lastSeenAt: at }).where(eq(s.id, session.id));
  }
  return { ok: true, principal: found.principal };
}

export async function revokeSession(sessionId: string, db: Executor = getDb()): Promise<void> {
  const s = schema.authSessions;
  await db.update(s).set({ revokedAt: now() }).where(and(eq(s.id, sessionId), isNull(s.revokedAt)));
}

/**
 * Ends every session of a principal at once: bumps its session version (so even a JWT whose row
 * was missed is refused) and marks its session rows revoked; for a user, also forgets every browser
 * trusted to skip the SMS code. Call inside the change's transaction.
 */
export async function revokeAllSessions(db: Executor, realm: Realm, principalId: string): Promise<void> {
  if (realm === 'user') return endUserSessions(db, [principalId]);
  const table = schema.admins;
  await db
    .update(table)
    .set({ sessionVersion: sql`${table.sessionVersion} + 1` })
    .where(eq(table.id, principalId));
  const s = schema.authSessions;
  await db
    .update(s)
    .set({ revokedAt: now() })
    .where(and(eq(s.realm, realm), eq(s.principalId, principalId), isNull(s.revokedAt)));
}

const END_CHUNK = 1000;

/**
 * Ends everything that lets these users in without their password and code: session versions bumped,
 * session rows revoked, trusted browsers forgotten. For disabling, password resets and the directory
 * sync; call inside the change's transaction. Works in chunks, so any number of users is fine.
 */
export async function endUserSessions(db: Executor, userIds: readonly string[]): Promise<void> {
  const u = schema.users;
  const s = schema.authSessions;
  for (let i = 0; i < userIds.length; i += END_CHUNK) {
    const part = userIds.slice(i, i + END_CHUNK);
    await db.update(u).set({ sessionVersion: sql`${u.sessionVersion} + 1` }).where(inArray(u.id, part));
    await db.update(s).set({ revokedAt: now() }).where(and(eq(s.realm, 'user'), inArray(s.principalId, part), isNull(s.revokedAt)));
    await revokeTrustedBrowsers(db, part);
  }
}
