import 'server-only';
import { and, desc, eq, gt, isNull, lt, ne, sql } from 'drizzle-orm';
import { schema } from '@/db/client';
import { now } from '@/lib/clock';
import { getDb, type Transaction } from '@/lib/db';
import { EVENT, writeEvent, type Actor } from '@/lib/events';
import { maskPhone } from '@/lib/phone';
import { incrementCounter, readCounter } from '@/lib/rate-limit';
import { getAccountSettings } from '@/lib/settings';
import { normaliseSmsCode, smsCodeMatches } from './code-hash';
import { LOCK_AFTER_FAILURES, MAX_ATTEMPTS_PER_CODE } from './constants';
import type { VerifyChallengeInput, VerifyChallengeResult } from './contract';
import { readFactorRow } from './factor-row';
import { LOCKED_MESSAGE } from './messages';
import { notifyPhoneChanged } from './notify-phone-changed';
import { waitWords } from './retry-words';

const HOUR = 3_600;
/** The rate-limit counter key of wrong codes from one IP (per hour). */
export const mfaFailureIpKey = (ip: string) => `mfa:fail:ip:${ip}`;

type Challenge = typeof schema.mfaChallenges.$inferSelect;

const MESSAGES = {
  noChallenge: 'There is no code waiting to be entered. Ask for a new code.',
  used: 'This code was already used. Ask for a new code.',
  expired: 'This code has expired: codes are valid for 10 minutes. Ask for a new code.',
  tooMany: 'Too many wrong codes. This code no longer works: ask for a new code.',
  alreadyEnrolled:
    'Two-factor authentication was already set up for your account with another number, so this code can’t replace it. To change the number, use your 2FA settings.',
} as const;

/** An enrolment code whose factor got verified meanwhile (another session): it must not replace that number. */
class StaleEnrolmentError extends Error {}

function wrongCodeMessage(attemptsLeft: number): string {
  return `That code is not correct. ${attemptsLeft} ${attemptsLeft === 1 ? 'try' : 'tries'} left for this code.`;
}

/**
 * Checks a typed code against the latest open challenge of this session and purpose (a code is bound to
 * the session that asked for it). A wrong code costs one of its 5 tries and adds to the factor's
 * consecutive failures (100 lock it); a correct one resets them and, in the same transaction,
 * sign_in: passes the session; enrol: verifies the factor with that number and passes the session;
 * change_phone: replaces the number (keeping the old one as previous), then notifies the old number.
 * Two parallel checks of one code give one success.
 */
export async function verifyChallenge(input: VerifyChallengeInput): Promise<VerifyChallengeResult> {
  const { userId, sessionId, purpose, client } = input;
  const db = getDb();
  const settings = await getAccountSettings(db);
  const ipFailures = await readCounter(mfaFailureIpKey(client.ip), HOUR, db);
  if (ipFailures.count >= settings.mfaFailuresPerIpPerHour) {
    return {
      ok: false,
      problem: 'ip_limit',
      message: `Too many wrong codes were entered from your network in the last hour. Try again in ${waitWords(ipFailures.retryAfterSeconds)}.`,
    };
  }
  const factor = await readFactorRow(db, userId);
  if (factor?.lockedAt) return { ok: false, problem: 'locked', message: LOCKED_MESSAGE };

  const c = schema.mfaChallenges;
  const [challenge] = await db
    .select()
    .from(c)
    .where(and(eq(c.userId, userId), eq(c.sessionId, sessionId), eq(c.purpose, purpose), isNull(c.consumedAt), isNull(c.invalidatedAt)))
    .orderBy(desc(c.createdAt))
    .limit(1);
  if (!challenge) return { ok: false, problem: 'no_challenge', message: MESSAGES.noChallenge };
  if (challenge.expiresAt.getTime() <= now().getTime()) return { ok: false, problem: 'expired', message: MESSAGES.expired };
  if (challenge.attempts >= MAX_ATTEMPTS_PER_CODE) return { ok: false, problem: 'too_many_attempts', message: MESSAGES.tooMany, attemptsLeft: 0 };

  const actor: Actor = { type: 'user', id: userId, label: await userEmail(userId) };
  const code = normaliseSmsCode(input.code);
  if (!code || !smsCodeMatches(challenge.id, code, challenge.codeHash)) {
    return recordWrongCode(challenge, actor, input);
  }
  let passed: Awaited<ReturnType<typeof applyPassed>> | undefined;
  try {
    passed = await db.transaction(async (tx) => {
    const [consumed] = await tx
      .update(c)
      .set({ consumedAt: now() })
      .where(
        and(eq(c.id, challenge.id), isNull(c.consumedAt), isNull(c.invalidatedAt), lt(c.attempts, MAX_ATTEMPTS_PER_CODE), gt(c.expiresAt, now())),
      )
      .returning({ id: c.id });
    if (!consumed) return undefined;
    return applyPassed(tx, challenge, actor, input);
    });
  } catch (error) {
    if (!(error instanceof StaleEnrolmentError)) throw error;
    await db.update(c).set({ invalidatedAt: now() }).where(eq(c.id, challenge.id));
    return { ok: false, problem: 'no_challenge', message: MESSAGES.alreadyEnrolled };
  }
  if (!passed) return { ok: false, problem: 'no_challenge', message: MESSAGES.used };
  if (passed.oldPhone !== undefined) await notifyPhoneChanged({ userId, oldPhone: passed.oldPhone, newPhone: challenge.phoneE164, challengeId: challenge.id, actor, client });
  return { ok: true, purpose };
}

async function userEmail(userId: string): Promise<string | null> {
  const u = schema.users;
  const [row] = await getDb().select({ email: u.email }).from(u).where(eq(u.id, userId));
  return row?.email ?? null;
}

/** The success side, inside the transaction that consumed the code. Returns the replaced number for change_phone. */
async function applyPassed(tx: Transaction, challenge: Challenge, actor: Actor, input: VerifyChallengeInput): Promise<{ oldPhone?: string | null }> {
  const { userId, sessionId, purpose, client } = input;
  const f = schema.mfaFactors;
  const at = now();
  const event = { actor, subjectUserId: userId, ip: client.ip, userAgent: client.userAgent };
  const maskedPhone = maskPhone(challenge.phoneE164);
  const passSession = () =>
    tx
      .update(schema.authSessions)
      .set({ mfaState: 'passed' })
      .where(and(eq(schema.authSessions.id, sessionId), eq(schema.authSessions.principalId, userId)));

  // A code for a number (enrolment, change) ends every other open code of the user: none sent before
  // this change — to an old number, or for a competing enrolment — can be used after it.
  const closeOtherChallenges = () =>
    tx
      .update(schema.mfaChallenges)
      .set({ invalidatedAt: at })
      .where(
        and(
          eq(schema.mfaChallenges.userId, userId),
          ne(schema.mfaChallenges.id, challenge.id),
          isNull(schema.mfaChallenges.consumedAt),
          isNull(schema.mfaChallenges.invalidatedAt),
        ),
      );

  await tx.update(f).set({ failureCount: 0, updatedAt: at }).where(eq(f.userId, userId));
  await writeEvent(tx, { kind: EVENT.mfaChallengePassed, ...event, details: { purpose, maskedPhone, challengeId: challenge.id } });

  if (purpose === 'sign_in') {
    await passSession();
    return {};
  }
  if (purpose === 'enrol') {
    const existing = await readFactorRow(tx, userId, true);
    if (existing?.phoneE164 && existing.verifiedAt) throw new StaleEnrolmentError();
    await closeOtherChallenges();
    await tx
      .insert(f)
      .values({ userId, phoneE164: challenge.phoneE164, verifiedAt: at, failureCount: 0, updatedAt: at })
      .onConflictDoUpdate({ target: f.userId, set: { phoneE164: challenge.phoneE164, verifiedAt: at, failureCount: 0, updatedAt: at } });
    await passSession();
    await writeEvent(tx, { kind: EVENT.mfaEnrolled, ...event, details: { maskedPhone } });
    return {};
  }
  const current = await readFactorRow(tx, userId, true);
  await closeOtherChallenges();
  const oldPhone = current?.phoneE164 ?? null;
  const previousPhoneE164 = oldPhone ?? current?.previousPhoneE164 ?? null;
  await tx
    .insert(f)
    .values({ userId, phoneE164: challenge.phoneE164, verifiedAt: at, previousPhoneE164, failureCount: 0, updatedAt: at })
    .onConflictDoUpdate({ target: f.userId, set: { phoneE164: challenge.phoneE164, verifiedAt: at, previousPhoneE164, failureCount: 0, updatedAt: at } });
  await passSession();
  await writeEvent(tx, {
    kind: EVENT.mfaPhoneChanged,
    ...event,
    details: { maskedPhone, previousMaskedPhone: oldPhone ? maskPhone(oldPhone) : null, noticeSentBy: oldPhone ? 'sms' : 'email' },
  });
  return { oldPhone };
}

/** A wrong code: one try used on the challenge, one more consecutive failure on the factor (locking it at 100). */
async function recordWrongCode(challenge: Challenge, actor: Actor, input: VerifyChallengeInput): Promise<VerifyChallengeResult> {
  // Outside the transaction: incrementCounter may prune old counters on the process-wide connection.
  await incrementCounter(mfaFailureIpKey(input.client.ip), HOUR);
  const { userId, purpose, client } = input;
  const c = schema.mfaChallenges;
  const f = schema.mfaFactors;
  return getDb().transaction(async (tx) => {
    const [counted] = await tx
      .update(c)
      .set({ attempts: sql`${c.attempts} + 1` })
      .where(and(eq(c.id, challenge.id), isNull(c.consumedAt), isNull(c.invalidatedAt), lt(c.attempts, MAX_ATTEMPTS_PER_CODE)))
      .returning({ attempts: c.attempts });
    if (!counted) return { ok: false, problem: 'too_many_attempts', message: MESSAGES.tooMany, attemptsLeft: 0 } as const;
    const at = now();
    const [factor] = await tx
      .insert(f)
      .values({ userId, failureCount: 1, updatedAt: at })
      .onConflictDoUpdate({ target: f.userId, set: { failureCount: sql`${f.failureCount} + 1`, updatedAt: at } })
      .returning({ failureCount: f.failureCount, lockedAt: f.lockedAt });
    const attemptsLeft = MAX_ATTEMPTS_PER_CODE - counted.attempts;
    const event = { actor, subjectUserId: userId, ip: client.ip, userAgent: client.userAgent };
    await writeEvent(tx, {
      kind: EVENT.mfaChallengeFailed,
      ...event,
      outcome: 'failure',
      details: { purpose, challengeId: challenge.id, attemptsLeft, failureCount: factor!.failureCount },
    });
    if (factor!.failureCount >= LOCK_AFTER_FAILURES && !factor!.lockedAt) {
      await tx.update(f).set({ lockedAt: at }).where(and(eq(f.userId, userId), isNull(f.lockedAt)));
      await tx.update(c).set({ invalidatedAt: at }).where(and(eq(c.userId, userId), isNull(c.consumedAt), isNull(c.invalidatedAt)));
      await writeEvent(tx, { kind: EVENT.mfaLocked, ...event, outcome: 'failure', details: { failureCount: factor!.failureCount } });
      return { ok: false, problem: 'locked', message: LOCKED_MESSAGE, attemptsLeft: 0 } as const;
    }
    if (attemptsLeft === 0) return { ok: false, problem: 'too_many_attempts', message: MESSAGES.tooMany, attemptsLeft: 0 } as const;
    return { ok: false, problem: 'wrong_code', message: wrongCodeMessage(attemptsLeft), attemptsLeft } as const;
  });
}
