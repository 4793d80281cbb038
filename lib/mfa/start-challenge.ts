import 'server-only';
import { randomUUID } from 'node:crypto';
import { and, eq, isNull, ne } from 'drizzle-orm';
import { schema } from '@/db/client';
import { addSeconds, now } from '@/lib/clock';
import { getDb, type Executor } from '@/lib/db';
import { EVENT, writeEvent, type Actor } from '@/lib/events';
import { maskPhone } from '@/lib/phone';
import { getAccountSettings } from '@/lib/settings';
import { generateSmsCode, hashSmsCode } from './code-hash';
import { CODE_TTL_SECONDS, RESEND_COOLDOWN_SECONDS } from './constants';
import type { ChallengePurpose, StartChallengeInput, StartChallengeResult } from './contract';
import { readFactorRow, verifiedPhone, type FactorRow } from './factor-row';
import { LOCKED_MESSAGE } from './messages';
import { checkSendLimits, countIpSend } from './send-limits';
import { insertSmsRecord, sendRecordedSms, type SmsRecordInput } from './send-recorded-sms';
import { checkSmsNumber } from './validate-sms-number';

/** The text of a code message (no other secret in it; the code is never stored or logged in plain). */
export function codeMessageBody(code: string): string {
  return `Your Onramp verification code is ${code}. It expires in ${CODE_TTL_SECONDS / 60} minutes.`;
}

const NO_NUMBER: Record<ChallengePurpose, string> = {
  sign_in: 'There is no verified phone number to send a code to. Ask your administrator to reset two-factor verification.',
  enrol: 'There is no phone number to send a code to. Enter your mobile number with its country code.',
  change_phone: 'Enter the new mobile number with its country code.',
};

/** Where the code goes: sign_in → the verified number; enrol → the number given, the previous one, or the one on file; change_phone → the number given. */
function destinationOf(input: StartChallengeInput, factor: FactorRow | undefined, onFile: string | null): string | null {
  if (input.purpose === 'sign_in') return verifiedPhone(factor);
  if (input.purpose === 'change_phone') return input.phoneE164?.trim() || null;
  return input.phoneE164?.trim() || factor?.previousPhoneE164 || onFile;
}

async function readUser(db: Executor, userId: string) {
  const u = schema.users;
  const [user] = await db.select({ id: u.id, email: u.email, phoneE164: u.phoneE164, phoneStatus: u.phoneStatus }).from(u).where(eq(u.id, userId));
  return user;
}

/** Locks the user row (serialising sends per user) and checks the session is this user's live session. */
async function lockUserSession(db: Executor, userId: string, sessionId: string): Promise<void> {
  const u = schema.users;
  const s = schema.authSessions;
  await db.select({ id: u.id }).from(u).where(eq(u.id, userId)).for('no key update');
  const [session] = await db
    .select({ id: s.id })
    .from(s)
    .where(and(eq(s.id, sessionId), eq(s.realm, 'user'), eq(s.principalId, userId), isNull(s.revokedAt)));
  if (!session) throw new Error('startChallenge: the session is not a live session of this user');
}

/**
 * Sends a new 6-digit code by SMS for one purpose, bound to the session that asked. Checks the number
 * (valid, SMS-capable, allow-list), the lock, the 30-second cooldown of this session and purpose, and
 * the per-number, per-user and per-IP caps; records the attempt in sms_messages; on success the
 * session's earlier open challenges of that purpose stop working. Twilio errors come back as
 * { ok: false, problem: 'send_failed' } in plain words, never as a throw.
 */
export async function startChallenge(input: StartChallengeInput): Promise<StartChallengeResult> {
  const { userId, sessionId, purpose, client } = input;
  const db = getDb();
  const user = await readUser(db, userId);
  if (!user) throw new Error('startChallenge: unknown user');
  const factor = await readFactorRow(db, userId);
  if (factor?.lockedAt) return { ok: false, problem: 'locked', message: LOCKED_MESSAGE };
  const onFile = user.phoneE164 && (user.phoneStatus === 'ok' || user.phoneStatus === 'country_assumed') ? user.phoneE164 : null;
  const destination = destinationOf(input, factor, onFile);
  if (!destination) return { ok: false, problem: 'no_number', message: NO_NUMBER[purpose] };

  const actor: Actor = { type: 'user', id: user.id, label: user.email };
  const settings = await getAccountSettings(db);
  const check = checkSmsNumber(destination, settings.smsAllowedCountries);
  const record: SmsRecordInput = { userId, purpose: 'mfa_code', to: check.ok ? check.e164 : destination, ip: client.ip };
  if (!check.ok) {
    await insertSmsRecord(db, record, 'refused', { errorMessage: check.message });
    return { ok: false, problem: check.problem, message: check.message };
  }

  const code = generateSmsCode();
  const challengeId = randomUUID();
  const createdAt = now();
  const expiresAt = addSeconds(createdAt, CODE_TTL_SECONDS);
  const c = schema.mfaChallenges;
  const reserved = await db.transaction(async (tx) => {
    await lockUserSession(tx, userId, sessionId);
    const refused = await checkSendLimits(tx, { userId, sessionId, purpose, to: check.e164, ip: client.ip, ipLimit: settings.smsSendsPerIpPerHour });
    if (refused) return refused;
    await tx.insert(c).values({ id: challengeId, userId, sessionId, purpose, phoneE164: check.e164, codeHash: hashSmsCode(challengeId, code), createdAt, expiresAt });
    return { ok: true as const, smsId: await insertSmsRecord(tx, { ...record, challengeId }, 'queued') };
  });
  if (!reserved.ok) return reserved;
  // After the commit: incrementCounter may prune old counters on the process-wide connection.
  await countIpSend(client.ip);

  const maskedPhone = maskPhone(check.e164);
  const sent = await sendRecordedSms(reserved.smsId, { ...record, challengeId }, codeMessageBody(code), {
    actor,
    userAgent: client.userAgent,
    onSent: async (tx) => {
      await tx
        .update(c)
        .set({ invalidatedAt: now() })
        .where(and(eq(c.sessionId, sessionId), eq(c.purpose, purpose), ne(c.id, challengeId), isNull(c.consumedAt), isNull(c.invalidatedAt)));
      await writeEvent(tx, {
        kind: EVENT.mfaChallengeSent,
        actor,
        subjectUserId: userId,
        ip: client.ip,
        userAgent: client.userAgent,
        details: { purpose, maskedPhone, challengeId, smsMessageId: reserved.smsId },
      });
    },
    onFailed: async (tx) => {
      await tx.update(c).set({ invalidatedAt: now() }).where(eq(c.id, challengeId));
    },
  });
  if (!sent.ok) return { ok: false, problem: 'send_failed', message: sent.message };
  return { ok: true, challengeId, maskedPhone, resendAvailableAt: addSeconds(createdAt, RESEND_COOLDOWN_SECONDS), expiresAt };
}
