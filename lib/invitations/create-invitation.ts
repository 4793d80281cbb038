import 'server-only';
import type { Executor } from '@/lib/db';
import { EVENT, writeEvent, type Actor } from '@/lib/events';
import type { ClientInfo } from '@/lib/request';
import { getAccountSettings } from '@/lib/settings';
import { invalidateTokens, issueToken } from '@/lib/tokens';
import { findInvitee } from './find-invitee';
import { invitationLifetimeSeconds } from './invitation-lifetime';

export interface InvitationOptions {
  actor: Actor;
  client: ClientInfo | null;
  /** True when the user was invited before: the event reads "Resent". */
  resend: boolean;
}

/**
 * Issues an invitation inside the caller's transaction: the user's earlier unused invitation links
 * stop working, a new one valid for the configured number of days is issued, and the Sent (or
 * Resent) event is written. The token goes back to the caller, who emails it with deliverInvitation
 * once the transaction has committed; it is never stored or logged in the clear.
 */
export async function createInvitation(
  tx: Executor,
  input: { userId: string } & InvitationOptions,
): Promise<{ token: string; expiresAt: Date }> {
  const user = await findInvitee(input.userId, tx);
  if (!user) throw new Error(`Cannot invite user ${input.userId}: no such user`);
  const { invitationLifetimeDays } = await getAccountSettings(tx);
  await invalidateTokens(tx, 'invitation', user.id);
  const issued = await issueToken(tx, { purpose: 'invitation', subjectId: user.id, ttlSeconds: invitationLifetimeSeconds(invitationLifetimeDays) });
  await writeEvent(tx, {
    kind: input.resend ? EVENT.invitationResent : EVENT.invitationSent,
    actor: input.actor,
    subjectUserId: user.id,
    ip: input.client?.ip,
    userAgent: input.client?.userAgent,
    details: { email: user.email, expiresAt: issued.expiresAt.toISOString() },
  });
  return issued;
}
