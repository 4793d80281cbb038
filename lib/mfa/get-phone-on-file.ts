import 'server-only';
import { eq } from 'drizzle-orm';
import { schema } from '@/db/client';
import { getDb } from '@/lib/db';
import { PHONE_PROBLEMS } from '@/lib/phone';
import { getAccountSettings } from '@/lib/settings';
import type { PhoneOnFile } from './contract';
import { checkSmsNumber } from './validate-sms-number';

/**
 * The number on file for enrolment (users.phone_e164, from the directory for directory users), with
 * `problem` in plain words when it can't receive SMS.
 */
export async function getPhoneOnFile(userId: string): Promise<PhoneOnFile> {
  const u = schema.users;
  const [user] = await getDb()
    .select({ e164: u.phoneE164, raw: u.phoneRaw, status: u.phoneStatus, source: u.source })
    .from(u)
    .where(eq(u.id, userId));
  if (!user) return { e164: null, raw: null, fromDirectory: false, problem: PHONE_PROBLEMS.missing };
  const fromDirectory = user.source === 'directory';
  if (!user.e164) {
    const status = user.status === 'ok' || user.status === 'country_assumed' ? 'invalid' : user.status;
    return { e164: null, raw: user.raw, fromDirectory, problem: PHONE_PROBLEMS[status] };
  }
  const check = checkSmsNumber(user.e164, (await getAccountSettings()).smsAllowedCountries);
  return { e164: user.e164, raw: user.raw, fromDirectory, problem: check.ok ? null : check.message };
}
