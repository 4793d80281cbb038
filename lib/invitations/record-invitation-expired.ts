import 'server-only';
import { and, eq, gte, sql } from 'drizzle-orm';
import { schema } from '@/db/client';
import { getDb } from '@/lib/db';
import { EVENT, writeEvent } from '@/lib/events';
import type { ClientInfo } from '@/lib/request';
import { findInvitee } from './find-invitee';

/** The per-user lock both the link-opening path and the expiry sweep hold while recording Expired. */
export const invitationExpiryLock = (userId: string) => sql`select pg_advisory_xact_lock(hashtext(${`invitation-expired:${userId}`}))`;

/**
 * Someone opened an expired invitation link: records Invitation Expired for its user, once (not
 * again while an Expired event since that link's expiry exists). Serialised per user, so two
 * views at once still write one event.
 */
export async function recordInvitationExpired(userId: string, expiresAt: Date, client: ClientInfo | null): Promise<void> {
  const e = schema.events;
  await getDb().transaction(async (tx) => {
    await tx.execute(invitationExpiryLock(userId));
    const [seen] = await tx
      .select({ id: e.id })
      .from(e)
      .where(
        and(
          eq(e.type, EVENT.invitationExpired.type),
          eq(e.subType, EVENT.invitationExpired.subType),
          eq(e.subjectUserId, userId),
          gte(e.occurredAt, expiresAt),
        ),
      )
      .limit(1);
    if (seen) return;
    const user = await findInvitee(userId, tx);
    if (!user) return;
    await writeEvent(tx, {
      kind: EVENT.invitationExpired,
      actor: { type: 'anonymous' },
      subjectUserId: user.id,
      ip: client?.ip,
      userAgent: client?.userAgent,
      details: { email: user.email, expiresAt: expiresAt.toISOString() },
    });
  });
}
