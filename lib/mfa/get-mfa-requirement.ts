import 'server-only';
import { eq } from 'drizzle-orm';
import { schema } from '@/db/client';
import { getDb, type Executor } from '@/lib/db';
import { getAccountSettings } from '@/lib/settings';
import type { MfaRequirement } from './contract';

/**
 * Whether the user must pass an SMS code at sign-in: the user's override wins ('required' → required,
 * 'exempt' → not); otherwise the account policy decides.
 */
export async function getMfaRequirement(userId: string, db: Executor = getDb()): Promise<MfaRequirement> {
  const u = schema.users;
  const [user] = await db.select({ override: u.mfaOverride }).from(u).where(eq(u.id, userId));
  if (user?.override === 'required') return { required: true, reason: 'override' };
  if (user?.override === 'exempt') return { required: false, reason: 'exempt' };
  const { mfaPolicy } = await getAccountSettings(db);
  return mfaPolicy === 'sms_required' ? { required: true, reason: 'policy' } : { required: false, reason: 'off' };
}
