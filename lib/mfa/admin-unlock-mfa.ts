import 'server-only';
import { eq } from 'drizzle-orm';
import { schema } from '@/db/client';
import { now } from '@/lib/clock';
import { getDb } from '@/lib/db';
import { EVENT, writeEvent } from '@/lib/events';
import type { Actor, ClientInfo } from './contract';

/**
 * Admin "Unlock": clears the lock that 100 consecutive wrong codes put on the factor, and the failure
 * count, with EVENT.mfaUnlocked in the same transaction. Refused (nothing written) when not locked.
 */
export async function unlockMfa(userId: string, actor: Actor, client: ClientInfo): Promise<{ ok: true } | { ok: false; message: string }> {
  const f = schema.mfaFactors;
  return getDb().transaction(async (tx) => {
    const [factor] = await tx.select({ lockedAt: f.lockedAt, failureCount: f.failureCount }).from(f).where(eq(f.userId, userId)).for('update');
    if (!factor?.lockedAt) return { ok: false, message: "This user's two-factor authentication is not locked." };
    await tx.update(f).set({ lockedAt: null, failureCount: 0, updatedAt: now() }).where(eq(f.userId, userId));
    await writeEvent(tx, {
      kind: EVENT.mfaUnlocked,
      actor,
      subjectUserId: userId,
      ip: client.ip,
      userAgent: client.userAgent,
      details: {
        lockedAt: factor.lockedAt.toISOString(),
        failureCount: factor.failureCount,
        changes: { locked: { before: true, after: false }, failureCount: { before: factor.failureCount, after: 0 } },
      },
    });
    return { ok: true };
  });
}
