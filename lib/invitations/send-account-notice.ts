import 'server-only';
import { sendEmail } from '@/lib/email';
import { log } from '@/lib/log';
import { getAccountSettings } from '@/lib/settings';
import { composeAccountNotice, type AccountNoticeKind } from './account-notice-email';
import { describeSendFailure, type DeliveryResult } from './deliver-invitation';
import { findInvitee } from './find-invitee';

/** Emails the user a notice about their account (e.g. that an admin disabled it). */
export async function sendAccountNotice(userId: string, kind: AccountNoticeKind): Promise<DeliveryResult> {
  const user = await findInvitee(userId);
  if (!user) return { ok: false, reason: 'The user no longer exists.' };
  const { organisationName } = await getAccountSettings();
  try {
    await sendEmail({ to: user.email, ...composeAccountNotice(kind, { organisationName, firstName: user.firstName, username: user.username }) });
    return { ok: true };
  } catch (error) {
    const reason = describeSendFailure(user.email, error);
    log.warn('account notice not sent', { userId: user.id, kind, reason });
    return { ok: false, reason };
  }
}
