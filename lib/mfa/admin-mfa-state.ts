import 'server-only';
import { and, count, eq, gt, isNull } from 'drizzle-orm';
import { schema } from '@/db/client';
import { now } from '@/lib/clock';
import { getDb } from '@/lib/db';

/** The user's SMS factor as the admin's user page shows it: the full number (not a secret; admins correct it). */
export interface AdminMfaState {
  state: 'none' | 'verified' | 'locked';
  phoneE164: string | null;
  verifiedAt: Date | null;
  previousPhoneE164: string | null;
  failureCount: number;
  lockedAt: Date | null;
  /** Browsers the user chose to remember that are still trusted. */
  trustedBrowsers: number;
}

export async function getAdminMfaState(userId: string): Promise<AdminMfaState> {
  const f = schema.mfaFactors;
  const b = schema.trustedBrowsers;
  const db = getDb();
  const [factor] = await db.select().from(f).where(eq(f.userId, userId));
  const [browsers] = await db
    .select({ n: count() })
    .from(b)
    .where(and(eq(b.userId, userId), isNull(b.revokedAt), gt(b.expiresAt, now())));
  const verified = !!(factor?.phoneE164 && factor.verifiedAt);
  return {
    state: factor?.lockedAt ? 'locked' : verified ? 'verified' : 'none',
    phoneE164: verified ? factor!.phoneE164 : null,
    verifiedAt: verified ? factor!.verifiedAt : null,
    previousPhoneE164: factor?.previousPhoneE164 ?? null,
    failureCount: factor?.failureCount ?? 0,
    lockedAt: factor?.lockedAt ?? null,
    trustedBrowsers: browsers?.n ?? 0,
  };
}
