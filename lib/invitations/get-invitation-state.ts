import 'server-only';
import { and, desc, eq, sql } from 'drizzle-orm';
import { schema } from '@/db/client';
import { now } from '@/lib/clock';
import { getDb } from '@/lib/db';

export interface InvitationState {
  state: 'none' | 'pending' | 'expired' | 'accepted';
  sentAt?: Date;
  expiresAt?: Date;
}

/**
 * The user's latest invitation: none sent, pending (the link still works), expired (it no longer
 * does: past its date, or withdrawn) or accepted (used to activate).
 */
export async function getInvitationState(userId: string): Promise<InvitationState> {
  const t = schema.singleUseTokens;
  const [row] = await getDb()
    .select({ createdAt: t.createdAt, expiresAt: t.expiresAt, usedAt: t.usedAt, invalidatedAt: t.invalidatedAt })
    .from(t)
    .where(and(eq(t.purpose, 'invitation'), eq(t.subjectId, userId)))
    // The live link first (there is at most one), then the newest.
    .orderBy(desc(sql`(${t.usedAt} is null and ${t.invalidatedAt} is null)`), desc(t.createdAt), desc(t.usedAt))
    .limit(1);
  if (!row) return { state: 'none' };
  const dates = { sentAt: row.createdAt, expiresAt: row.expiresAt };
  if (row.usedAt) return { state: 'accepted', ...dates };
  if (row.invalidatedAt || row.expiresAt <= now()) return { state: 'expired', ...dates };
  return { state: 'pending', ...dates };
}
