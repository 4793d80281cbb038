import 'server-only';
import { eq } from 'drizzle-orm';
import { schema } from '@/db/client';
import { now } from '@/lib/clock';
import { getDb } from '@/lib/db';
import { EVENT, writeEvent, type Actor } from '@/lib/events';
import type { ClientInfo } from '@/lib/request';
import { MFA_NEEDS_INVITATIONS } from '@/lib/settings';
import type { MfaOverride } from './schemas';
import { UserInputError } from './user-errors';

/**
 * Sets whether this user must use two-factor authentication whatever the policy says ('required' / 'exempt'),
 * or follows the policy ('default'). Works for directory users too: it is not a directory attribute.
 * 'required' is refused while the provisioning method is Registration Code (the settings row is read
 * FOR SHARE, so a concurrent switch of the method waits for this change and then counts it).
 */
export async function setMfaOverride(userId: string, override: MfaOverride, actor: Actor, client: ClientInfo): Promise<{ changed: boolean }> {
  const u = schema.users;
  const s = schema.accountSettings;
  return getDb().transaction(async (tx) => {
    const [settings] = await tx.select({ method: s.provisioningMethod }).from(s).where(eq(s.id, 1)).for('share');
    const [current] = await tx.select({ mfaOverride: u.mfaOverride, email: u.email }).from(u).where(eq(u.id, userId)).for('update');
    if (!current) throw new UserInputError('form', 'This user no longer exists.');
    if (current.mfaOverride === override) return { changed: false };
    if (override === 'required' && settings?.method === 'registration_code') throw new UserInputError('mfaOverride', MFA_NEEDS_INVITATIONS);
    await tx.update(u).set({ mfaOverride: override, updatedAt: now() }).where(eq(u.id, userId));
    await writeEvent(tx, {
      kind: EVENT.userUpdated,
      actor,
      subjectUserId: userId,
      ip: client.ip,
      userAgent: client.userAgent,
      details: { email: current.email, changes: { mfaOverride: { before: current.mfaOverride, after: override } } },
    });
    return { changed: true };
  });
}
