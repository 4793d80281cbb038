import 'server-only';
import { and, eq, isNull } from 'drizzle-orm';
import { schema } from '@/db/client';
import { now } from '@/lib/clock';
import { getDb } from '@/lib/db';
import { EVENT, writeEvent } from '@/lib/events';
import { maskPhone } from '@/lib/phone';
import type { Actor, ClientInfo } from './contract';

export interface ResetMfaResult {
  factorRemoved: boolean;
  trustedBrowsersRevoked: number;
  challengesInvalidated: number;
}

/** The factor as the admin page names it: none, verified or locked. */
function factorState(factor: { verifiedAt: Date | null; lockedAt: Date | null } | undefined): 'none' | 'verified' | 'locked' {
  if (factor?.lockedAt) return 'locked';
  return factor?.verifiedAt ? 'verified' : 'none';
}

/**
 * Admin "Reset MFA": removes the user's SMS factor (number, verification, failures and lock: the user
 * sets it up again at the next sign-in), revokes their trusted browsers and invalidates their open
 * challenges, in one transaction with EVENT.mfaReset.
 */
export async function resetMfa(userId: string, actor: Actor, client: ClientInfo): Promise<ResetMfaResult> {
  const f = schema.mfaFactors;
  const b = schema.trustedBrowsers;
  const c = schema.mfaChallenges;
  return getDb().transaction(async (tx) => {
    const at = now();
    const [factor] = await tx.delete(f).where(eq(f.userId, userId)).returning({ phoneE164: f.phoneE164, verifiedAt: f.verifiedAt, lockedAt: f.lockedAt });
    const browsers = await tx
      .update(b)
      .set({ revokedAt: at })
      .where(and(eq(b.userId, userId), isNull(b.revokedAt)))
      .returning({ id: b.id });
    const challenges = await tx
      .update(c)
      .set({ invalidatedAt: at })
      .where(and(eq(c.userId, userId), isNull(c.consumedAt), isNull(c.invalidatedAt)))
      .returning({ id: c.id });
    const result = { factorRemoved: !!factor?.verifiedAt, trustedBrowsersRevoked: browsers.length, challengesInvalidated: challenges.length };
    await writeEvent(tx, {
      kind: EVENT.mfaReset,
      actor,
      subjectUserId: userId,
      ip: client.ip,
      userAgent: client.userAgent,
      details: { ...result, maskedPhone: factor?.phoneE164 ? maskPhone(factor.phoneE164) : null, changes: { mfaFactor: { before: factorState(factor), after: 'none' } } },
    });
    return result;
  });
}
