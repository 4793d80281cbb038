import 'server-only';
import { desc, eq } from 'drizzle-orm';
import { schema } from '@/db/client';
import { getDb } from '@/lib/db';
import { describeTwilioError } from '@/lib/sms';
import type { SmsMessageView } from './contract';

const m = schema.smsMessages;

/** The sms_messages columns an admin view needs (never the message body: it may hold a code). */
export const smsViewColumns = {
  id: m.id,
  purpose: m.purpose,
  to: m.toE164,
  status: m.status,
  errorCode: m.errorCode,
  errorMessage: m.errorMessage,
  createdAt: m.createdAt,
  updatedAt: m.updatedAt,
};

type SmsViewRow = Omit<SmsMessageView, 'problem'> & { errorMessage: string | null };

/** A row as admins see it: the Twilio error in plain words, else the reason recorded when the send was refused. */
export function toSmsMessageView({ errorMessage, ...row }: SmsViewRow): SmsMessageView {
  return { ...row, problem: describeTwilioError(row.errorCode) ?? errorMessage ?? null };
}

/** The user's latest SMS (newest first), with delivery status. */
export async function listUserSmsMessages(userId: string, limit = 20): Promise<SmsMessageView[]> {
  const rows = await getDb()
    .select(smsViewColumns)
    .from(m)
    .where(eq(m.userId, userId))
    .orderBy(desc(m.createdAt), desc(m.id))
    .limit(Math.min(Math.max(limit, 1), 100));
  return rows.map(toSmsMessageView);
}
