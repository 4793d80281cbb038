import 'server-only';
import { and, eq, inArray, lte } from 'drizzle-orm';
import { schema } from '@/db/client';
import { now } from '@/lib/clock';
import { getDb, type Executor } from '@/lib/db';
import { EVENT, SYSTEM_ACTOR, writeEvents, type Actor } from '@/lib/events';

const BATCH = 1000;

interface ExpiredRow {
  id: string;
  userId: string;
  expiresAt: Date;
}

/**
 * Marks these valid, past-expiry codes 'expired' and writes an Expired event for each one that this
 * call changed (a concurrent sweep or redemption can't make it count twice).
 */
export async function markCodesExpired(db: Executor, ids: string[], actor: Actor = SYSTEM_ACTOR): Promise<number> {
  if (ids.length === 0) return 0;
  const rc = schema.registrationCodes;
  const rows: ExpiredRow[] = await db
    .update(rc)
    .set({ status: 'expired' })
    .where(and(inArray(rc.id, ids), eq(rc.status, 'valid'), lte(rc.expiresAt, now())))
    .returning({ id: rc.id, userId: rc.userId, expiresAt: rc.expiresAt });
  await writeEvents(
    db,
    rows.map((r) => ({
      kind: EVENT.codeExpired,
      actor,
      subjectUserId: r.userId,
      details: { registrationId: r.id, expiresAt: r.expiresAt.toISOString() },
    })),
  );
  return rows.length;
}

/**
 * Marks every valid code whose time is up as 'expired', with an Expired event each. Works in batches
 * of 1,000, each its own transaction (SKIP LOCKED, so it never waits on a redemption in progress).
 * Returns how many codes it expired. A scheduled job calls it.
 */
export async function sweepExpiredCodes(): Promise<number> {
  const rc = schema.registrationCodes;
  let expired = 0;
  for (;;) {
    const batch = await getDb().transaction(async (tx) => {
      const due = await tx
        .select({ id: rc.id })
        .from(rc)
        .where(and(eq(rc.status, 'valid'), lte(rc.expiresAt, now())))
        .limit(BATCH)
        .for('update', { skipLocked: true });
      return { found: due.length, changed: await markCodesExpired(tx, due.map((r) => r.id)) };
    });
    expired += batch.changed;
    if (batch.found < BATCH) return expired;
  }
}
