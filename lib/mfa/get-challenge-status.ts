import 'server-only';
import { and, desc, eq } from 'drizzle-orm';
import { schema } from '@/db/client';
import { addSeconds, now } from '@/lib/clock';
import { getDb } from '@/lib/db';
import { MAX_ATTEMPTS_PER_CODE, RESEND_COOLDOWN_SECONDS } from './constants';
import { maskPhone } from '@/lib/phone';
import type { ChallengePurpose } from './contract';

/** What the verify pages show about this session's latest code of one purpose. */
export interface ChallengeStatus {
  /**
   * none: no code was sent in this session; open: a code can be entered; exhausted: 5 wrong guesses;
   * expired: 10 minutes passed; closed: used or replaced.
   */
  state: 'none' | 'open' | 'exhausted' | 'expired' | 'closed';
  maskedPhone: string | null;
  attemptsLeft: number;
  /** Seconds until another code may be sent (the server's 30 s cooldown; 0 = now). */
  resendInSeconds: number;
  /** When that code was sent (ISO): identifies it, e.g. to reset forms when a new one goes out. */
  sentAt: string | null;
}

const NONE: ChallengeStatus = { state: 'none', maskedPhone: null, attemptsLeft: 0, resendInSeconds: 0, sentAt: null };

async function latestChallenge(sessionId: string, purpose: ChallengePurpose) {
  const c = schema.mfaChallenges;
  const [row] = await getDb()
    .select({
      phoneE164: c.phoneE164,
      attempts: c.attempts,
      createdAt: c.createdAt,
      expiresAt: c.expiresAt,
      consumedAt: c.consumedAt,
      invalidatedAt: c.invalidatedAt,
    })
    .from(c)
    .where(and(eq(c.sessionId, sessionId), eq(c.purpose, purpose)))
    .orderBy(desc(c.createdAt))
    .limit(1);
  return row;
}

/** The state of the session's latest challenge of a purpose (never the code or its hash). */
export async function getChallengeStatus(sessionId: string, purpose: ChallengePurpose): Promise<ChallengeStatus> {
  const row = await latestChallenge(sessionId, purpose);
  if (!row) return NONE;
  const at = now();
  const resendAt = addSeconds(row.createdAt, RESEND_COOLDOWN_SECONDS);
  const state: ChallengeStatus['state'] =
    row.consumedAt || row.invalidatedAt
      ? 'closed'
      : row.attempts >= MAX_ATTEMPTS_PER_CODE
        ? 'exhausted'
        : row.expiresAt <= at
          ? 'expired'
          : 'open';
  return {
    state,
    maskedPhone: maskPhone(row.phoneE164),
    attemptsLeft: Math.max(0, MAX_ATTEMPTS_PER_CODE - row.attempts),
    resendInSeconds: Math.max(0, Math.ceil((resendAt.getTime() - at.getTime()) / 1000)),
    sentAt: row.createdAt.toISOString(),
  };
}

/** The number the session's latest code of a purpose went to, so a resend goes to the same number. */
export async function getChallengePhone(sessionId: string, purpose: ChallengePurpose): Promise<string | null> {
  return (await latestChallenge(sessionId, purpose))?.phoneE164 ?? null;
}
