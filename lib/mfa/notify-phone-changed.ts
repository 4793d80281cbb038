import 'server-only';
import { eq } from 'drizzle-orm';
import { schema } from '@/db/client';
import { getDb } from '@/lib/db';
import { sendEmail } from '@/lib/email';
import type { Actor } from '@/lib/events';
import { errorFields, log } from '@/lib/log';
import { maskPhone } from '@/lib/phone';
import type { ClientInfo } from '@/lib/request';
import { getAccountSettings } from '@/lib/settings';
import { insertSmsRecord, sendRecordedSms } from './send-recorded-sms';
import { checkSmsNumber } from './validate-sms-number';

interface PhoneChange {
  userId: string;
  /** The number replaced, or null when there was none (the notice goes by email then). */
  oldPhone: string | null;
  newPhone: string;
  challengeId: string;
  actor: Actor;
  client: ClientInfo;
}

/** The notice text: the new number appears masked only. */
export function phoneChangedNotice(organisationName: string, newPhone: string): string {
  return `${organisationName}: the phone number for your two-factor verification was changed to ${maskPhone(newPhone)}. If you did not do this, contact your administrator at once.`;
}

/**
 * Tells the user their 2FA number changed, through the channel an attacker who changed it does not
 * hold: an SMS to the old number (purpose phone_changed_notice, recorded in sms_messages), or an email
 * when there was no old number (or it can no longer get SMS). A failure is logged, never thrown.
 */
export async function notifyPhoneChanged(change: PhoneChange): Promise<void> {
  const { organisationName, smsAllowedCountries } = await getAccountSettings();
  const text = phoneChangedNotice(organisationName, change.newPhone);
  try {
    if (change.oldPhone && checkSmsNumber(change.oldPhone, smsAllowedCountries).ok) {
      const record = { userId: change.userId, challengeId: change.challengeId, purpose: 'phone_changed_notice', to: change.oldPhone, ip: change.client.ip };
      const smsId = await insertSmsRecord(getDb(), record, 'queued');
      await sendRecordedSms(smsId, record, text, { actor: change.actor, userAgent: change.client.userAgent });
      return;
    }
    const u = schema.users;
    const [user] = await getDb().select({ email: u.email, firstName: u.firstName }).from(u).where(eq(u.id, change.userId));
    if (!user) return;
    await sendEmail({
      to: user.email,
      subject: `${organisationName}: your two-factor verification number was changed`,
      text: `Hello ${user.firstName || user.email},\n\n${text}\n`,
    });
  } catch (error) {
    log.warn('phone change notice not sent', { userId: change.userId, ...errorFields(error) });
  }
}
