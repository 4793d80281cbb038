import 'server-only';
import { EVENT, writeEvent } from '@/lib/events';
import { findLinkUser, redeemPasswordLink, type LinkProblem } from '@/lib/passwords/redeem-password-link';
import type { ClientInfo } from '@/lib/request';

export type ResetLink = { state: 'valid'; username: string } | { state: LinkProblem };

/** What the reset page shows for a link, without using it. */
export async function inspectPasswordResetLink(token: string): Promise<ResetLink> {
  const found = await findLinkUser('password_reset', token, 'active');
  return found.state === 'valid' ? { state: 'valid', username: found.user.username } : { state: found.state };
}

export type PasswordResetResult = { ok: true } | { ok: false; state: LinkProblem } | { ok: false; passwordProblem: string };

/**
 * Sets a new password with a reset link, in one transaction: the link is used up, the password
 * (checked against every rule) stored, every session of the user ended, and Reset Completed
 * recorded. The user then signs in again.
 */
export async function completePasswordReset(input: { token: string; password: string }, client: ClientInfo | null): Promise<PasswordResetResult> {
  const result = await redeemPasswordLink({
    purpose: 'password_reset',
    token: input.token,
    password: input.password,
    status: 'active',
    async record(tx, user) {
      await writeEvent(tx, {
        kind: EVENT.passwordResetCompleted,
        actor: { type: 'user', id: user.id, label: user.email },
        subjectUserId: user.id,
        ip: client?.ip,
        userAgent: client?.userAgent,
        details: { email: user.email, sessionsEnded: true },
      });
    },
  });
  return result.ok ? { ok: true } : result;
}
