import 'server-only';
import { eq } from 'drizzle-orm';
import { schema } from '@/db/client';
import { getDb } from '@/lib/db';
import { maskPhone } from '@/lib/phone';

export type MfaSummary = { enrolled: false } | { enrolled: true; method: 'sms'; maskedPhone: string };

/** Whether the user has a verified SMS second factor, with the number masked (never the full number). */
export async function getMfaSummary(userId: string): Promise<MfaSummary> {
  const f = schema.mfaFactors;
  const [row] = await getDb().select({ phoneE164: f.phoneE164, verifiedAt: f.verifiedAt }).from(f).where(eq(f.userId, userId));
  if (!row?.phoneE164 || !row.verifiedAt) return { enrolled: false };
  return { enrolled: true, method: 'sms', maskedPhone: maskPhone(row.phoneE164) };
}
