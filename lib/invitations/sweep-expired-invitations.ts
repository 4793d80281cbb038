import 'server-only';
import { and, asc, eq, gte, inArray, isNull, lte, notExists, sql } from 'drizzle-orm';
import { schema } from '@/db/client';
import { now } from '@/lib/clock';
import { getDb, type Transaction } from '@/lib/db';
import { EVENT, SYSTEM_ACTOR, writeEvents } from '@/lib/events';
import { invitationExpiryLock } from './record-invitation-expired';

const BATCH = 500;

/**
 * Records Invitation › Expired for every invitation whose link lapsed unused while its user is still
 * invited, so the event log shows it even if nobody opens the link. Once per link: a link already
 * recorded (here or when someone opened it late) is skipped. Batches of 500, each its own
 * transaction holding the same per-user locks as the link-opening path. Returns how many it recorded.
 */
export async function sweepExpiredInvitations(): Promise<number> {
  let recorded = 0;
  for (;;) {
    const batch = await getDb().transaction(async (tx) => {
      const candidates = await findLapsed(tx);
      if (candidates.length === 0) return { found: 0, written: 0 };
      for (const userId of [...new Set(candidates.map((c) => c.userId))].sort()) {
        await tx.execute(invitationExpiryLock(userId));
      }
      // Re-read under the locks: a late link opening may have recorded some meanwhile.
      const due = await findLapsed(tx, candidates.map((c) => c.tokenId));
      await writeEvents(
        tx,
        due.map((d) => ({
          kind: EVENT.invitationExpired,
          actor: SYSTEM_ACTOR,
          subjectUserId: d.userId,
          details: { email: d.email, expiresAt: d.expiresAt.toISOString(), noticedBy: 'expiry sweep' },
        })),
      );
      return { found: candidates.length, written: due.length };
    });
    recorded += batch.written;
    if (batch.found < BATCH) return recorded;
  }
}

/** Lapsed, unused, still-current invitation links of invited users with no Expired event since. */
async function findLapsed(tx: Transaction, onlyTokenIds?: string[]) {
  const t = schema.singleUseTokens;
  const u = schema.users;
  const e = schema.events;
  return tx
    .select({ tokenId: t.id, userId: u.id, email: u.email, expiresAt: t.expiresAt })
    .from(t)
    .innerJoin(u, eq(u.id, t.subjectId))
    .where(
      and(
        eq(t.purpose, 'invitation'),
        isNull(t.usedAt),
        isNull(t.invalidatedAt),
        lte(t.expiresAt, now()),
        eq(u.status, 'invited'),
        onlyTokenIds ? inArray(t.id, onlyTokenIds) : undefined,
        notExists(
          tx
            .select({ one: sql`1` })
            .from(e)
            .where(
              and(
                eq(e.subjectUserId, t.subjectId),
                eq(e.type, EVENT.invitationExpired.type),
                eq(e.subType, EVENT.invitationExpired.subType),
                gte(e.occurredAt, t.expiresAt),
              ),
            ),
        ),
      ),
    )
    .orderBy(asc(t.expiresAt), asc(t.id))
    .limit(BATCH);
}
