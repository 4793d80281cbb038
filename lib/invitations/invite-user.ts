import 'server-only';
import { getDb } from '@/lib/db';
import { createInvitation, type InvitationOptions } from './create-invitation';
import { deliverInvitation, type DeliveryResult } from './deliver-invitation';
import { findInvitee } from './find-invitee';

const REFUSED = {
  missing: 'The user no longer exists.',
  disabled: 'The user is disabled: enable them before sending an invitation.',
  active: 'The user has already activated their account: use Reset password to send a new activation link.',
} as const;

/**
 * Invites a user who has not activated yet (status invited): issues the link in its own transaction,
 * then emails it. Disabled and already-active users are refused with the reason.
 */
export async function inviteUser(userId: string, options: InvitationOptions): Promise<DeliveryResult> {
  const issued = await getDb().transaction(async (tx) => {
    const user = await findInvitee(userId, tx, true);
    if (!user) return { ok: false, reason: REFUSED.missing } as const;
    if (user.status !== 'invited') return { ok: false, reason: REFUSED[user.status] } as const;
    return { ok: true, ...(await createInvitation(tx, { userId, ...options })) } as const;
  });
  if (!issued.ok) return issued;
  return deliverInvitation({ userId, token: issued.token, expiresAt: issued.expiresAt });
}
