import 'server-only';
import { eq, or, sql } from 'drizzle-orm';
import { caseFoldedKey, schema } from '@/db/client';
import { now } from '@/lib/clock';
import { getDb } from '@/lib/db';
import { EVENT, writeEvent } from '@/lib/events';
import { verifyPassword } from '@/lib/passwords';
import { clearCounter, incrementCounter, readCounter } from '@/lib/rate-limit';
import type { ClientInfo } from '@/lib/request';
import { decideSignInMfaState } from './mfa-state';
import { createSession } from './sessions';
import { accountCounterKey, ipCounterKey, slowDownAfterFailure, unknownNameCounterKey } from './sign-in-counters';
import type { Realm, SessionClaims, SessionMfaState, SignInErrorCode } from './types';

/** Failed sign-ins: per account and per IP, in 15-minute windows, counted in Postgres. */
export const SIGN_IN_WINDOW_SECONDS = 15 * 60;
export const ACCOUNT_FAILURE_LIMIT = 10;
export const IP_FAILURE_LIMIT = 50;

export class SignInFailure extends Error {
  constructor(
    readonly code: SignInErrorCode,
    readonly retryAfterSeconds?: number,
  ) {
    super(code);
    this.name = 'SignInFailure';
  }
}

interface Candidate {
  id: string;
  email: string;
  passwordHash: string | null;
  sessionVersion: number;
  status: 'active' | 'invited' | 'disabled';
}

async function findCandidate(realm: Realm, identifier: string): Promise<Candidate | undefined> {
  const id = identifier.trim().toLowerCase();
  if (realm === 'admin') {
    const a = schema.admins;
    const [row] = await getDb()
      .select({ id: a.id, email: a.email, passwordHash: a.passwordHash, sessionVersion: a.sessionVersion })
      .from(a)
      .where(eq(sql`lower(${a.email})`, id));
    return row ? { ...row, status: 'active' } : undefined;
  }
  const u = schema.users;
  const [row] = await getDb()
    .select({ id: u.id, email: u.email, passwordHash: u.passwordHash, sessionVersion: u.sessionVersion, status: u.status })
    .from(u)
    .where(or(eq(caseFoldedKey(u.email), id), eq(caseFoldedKey(u.username), id)))
    .limit(1);
  return row;
}

/** Per account, not per identifier: failures by email and by username count together. */
const accountKey = (realm: Realm, identifier: string, candidate: Candidate | undefined) =>
  candidate ? accountCounterKey(realm, candidate.id) : unknownNameCounterKey(realm, identifier);
const ipKey = ipCounterKey;

/** A successful password step: the session's claims and its second-factor state. */
export type SignInResult = SessionClaims & { mfaState: SessionMfaState };

/**
 * Verifies a password sign-in for one realm and opens a session. Every outcome is an event; failures
 * are counted per account and per IP, slowed, and refused once over the limit. A user session starts
 * 'pending' when MFA is required and the browser is not trusted (see decideSignInMfaState).
 */
export async function verifySignIn(
  realm: Realm,
  identifier: string,
  password: string,
  client: ClientInfo,
  options: { trustedBrowserToken?: string } = {},
): Promise<SignInResult> {
  const kind = realm === 'admin' ? EVENT.adminSignIn : EVENT.userSignIn;
  const label = identifier.trim().slice(0, 254);
  const fail = async (code: SignInErrorCode, subjectId: string | null, retryAfterSeconds?: number) => {
    await writeEvent(getDb(), {
      kind,
      outcome: 'failure',
      actor: { type: 'anonymous', label: label.includes('@') || subjectId ? label : null },
      subjectUserId: realm === 'user' ? subjectId : null,
      ip: client.ip,
      userAgent: client.userAgent,
      details: { reason: code, ...(realm === 'admin' && subjectId ? { adminId: subjectId } : {}) },
    });
    return new SignInFailure(code, retryAfterSeconds);
  };

  const ipState = await readCounter(ipKey(client.ip), SIGN_IN_WINDOW_SECONDS);
  if (ipState.count >= IP_FAILURE_LIMIT) throw await fail('rate_limited', null, ipState.retryAfterSeconds);
  const candidate = await findCandidate(realm, identifier);
  const acctKey = accountKey(realm, identifier, candidate);
  const acctState = await readCounter(acctKey, SIGN_IN_WINDOW_SECONDS);
  if (acctState.count >= ACCOUNT_FAILURE_LIMIT) {
    throw await fail('locked', candidate?.id ?? null, acctState.retryAfterSeconds);
  }

  const passwordOk = await verifyPassword(candidate?.passwordHash, password);
  if (!candidate || !passwordOk) {
    const [acct] = await Promise.all([
      incrementCounter(acctKey, SIGN_IN_WINDOW_SECONDS),
      incrementCounter(ipKey(client.ip), SIGN_IN_WINDOW_SECONDS),
    ]);
    await slowDownAfterFailure(acct.count);
    throw await fail('invalid', candidate?.id ?? null);
  }
  if (candidate.status !== 'active') throw await fail('disabled', candidate.id);

  await clearCounter(acctKey);
  const mfaState = realm === 'user' ? await decideSignInMfaState(candidate.id, options.trustedBrowserToken) : 'none';
  return getDb().transaction(async (tx) => {
    const sessionId = await createSession(tx, {
      realm,
      principalId: candidate.id,
      sessionVersion: candidate.sessionVersion,
      ip: client.ip,
      userAgent: client.userAgent,
      mfaState,
    });
    const table = realm === 'admin' ? schema.admins : schema.users;
    await tx.update(table).set({ lastSignInAt: now() }).where(eq(table.id, candidate.id));
    await writeEvent(tx, {
      kind,
      actor: { type: realm, id: candidate.id, label: candidate.email },
      subjectUserId: realm === 'user' ? candidate.id : null,
      ip: client.ip,
      userAgent: client.userAgent,
      details: { sessionId, ...(mfaState === 'none' ? {} : { mfaState }) },
    });
    return { realm, principalId: candidate.id, sessionId, sessionVersion: candidate.sessionVersion, mfaState };
  });
}
