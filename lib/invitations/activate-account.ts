import 'server-only';
import { now } from '@/lib/clock';
import { EVENT, writeEvent } from '@/lib/events';
import { findLinkUser, redeemPasswordLink, type LinkProblem } from '@/lib/passwords/redeem-password-link';
import type { ClientInfo } from '@/lib/request';
import { getAccountSettings } from '@/lib/settings';
import { recordInvitationExpired } from './record-invitation-expired';

export type ActivationLink =
  | { state: 'valid'; organisationName: string; username: string }
  | { state: LinkProblem };

/**
 * What the activation page shows for a link, without using it. Only a usable link reveals the
 * account (organisation and username). Opening an expired link records Invitation Expired once.
 */
export async function inspectInvitation(token: string, client: ClientInfo | null = null): Promise<ActivationLink> {
  const found = await findLinkUser('invitation', token, 'invited');
  if (found.state === 'expired' && found.subjectId && found.expiresAt) {
    await recordInvitationExpired(found.subjectId, found.expiresAt, client);
  }
  if (found.state !== 'valid') return { state: found.state };
  const { organisationName } = await getAccountSettings();
  return { state: 'valid', organisationName, username: found.user.username };
}

export type ActivationResult = { ok: true; username: string } | { ok: false; state: LinkProblem } | { ok: false; passwordProblem: string };

/**
 * Activates an invited account with its link, in one transaction: the link is used up, the password
 * (checked against every rule) is stored, the user becomes active, and Invitation Accepted and
 * User Activated are recorded. The caller then signs the user in with the new password.
 */
export async function activateAccount(input: { token: string; password: string }, client: ClientInfo | null): Promise<ActivationResult> {
  const result = await redeemPasswordLink({
    purpose: 'invitation',
    token: input.token,
    password: input.password,
    status: 'invited',
    changes: { status: 'active', activatedAt: now() },
    async record(tx, user) {
      const actor = { type: 'user', id: user.id, label: user.email } as const;
      const common = { actor, subjectUserId: user.id, ip: client?.ip, userAgent: client?.userAgent };
      await writeEvent(tx, { kind: EVENT.invitationAccepted, ...common, details: { email: user.email } });
      await writeEvent(tx, { kind: EVENT.userActivated, ...common, details: { email: user.email, username: user.username } });
    },
  });
  return result.ok ? { ok: true, username: result.user.username } : result;
}
