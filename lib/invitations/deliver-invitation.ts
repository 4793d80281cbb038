import 'server-only';
import { getDb } from '@/lib/db';
import { sendEmail } from '@/lib/email';
import { getEnv } from '@/lib/env';
import { EVENT, SYSTEM_ACTOR, writeEvent } from '@/lib/events';
import { log } from '@/lib/log';
import { getAccountSettings } from '@/lib/settings';
import { findInvitee } from './find-invitee';
import { composeInvitationEmail } from './invitation-email';

export type DeliveryResult = { ok: true } | { ok: false; reason: string };

/** The link a token opens: APP_URL/activate/<token>. */
export function activationLink(token: string): string {
  return `${getEnv().APP_URL}/activate/${token}`;
}

/** Why an email was not sent, in words an admin can act on. */
export function describeSendFailure(to: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.startsWith(`Email to ${to}`) ? message : `Email to ${to} was not sent: ${message}`;
}

/**
 * Emails an invitation to the user's stored address, after the transaction that issued it has
 * committed. A failure is recorded as a Delivery Failed event and returned with its reason.
 */
export async function deliverInvitation(input: { userId: string; token: string; expiresAt: Date }): Promise<DeliveryResult> {
  const user = await findInvitee(input.userId);
  if (!user) return { ok: false, reason: 'The user no longer exists.' };
  const { organisationName } = await getAccountSettings();
  const mail = composeInvitationEmail({
    organisationName,
    firstName: user.firstName,
    username: user.username,
    link: activationLink(input.token),
    expiresAt: input.expiresAt,
  });
  try {
    await sendEmail({ to: user.email, ...mail });
    return { ok: true };
  } catch (error) {
    const reason = describeSendFailure(user.email, error);
    log.warn('invitation email not sent', { userId: user.id, reason });
    await writeEvent(getDb(), {
      kind: EVENT.invitationFailed,
      outcome: 'failure',
      actor: SYSTEM_ACTOR,
      subjectUserId: user.id,
      details: { email: user.email, reason },
    });
    return { ok: false, reason };
  }
}
