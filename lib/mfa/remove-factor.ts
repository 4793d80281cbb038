import 'server-only';
import { and, eq, isNull } from 'drizzle-orm';
import { schema } from '@/db/client';
import { now } from '@/lib/clock';
import { getDb } from '@/lib/db';
import { EVENT, writeEvent, type Actor } from '@/lib/events';
import { maskPhone } from '@/lib/phone';
import type { ClientInfo } from '@/lib/request';
import { readFactorRow, verifiedPhone } from './factor-row';
import { getMfaRequirement } from './get-mfa-requirement';
import { revokeTrustedBrowsers } from './trusted-browsers';

/**
 * Removes the user's SMS factor (refused while MFA is required for them). The number is kept as
 * previous_phone_e164 for "set up again"; open challenges and every trusted browser stop working.
 */
export async function removeFactor(userId: string, actor: Actor, client: ClientInfo): Promise<{ ok: true } | { ok: false; message: string }> {
  const f = schema.mfaFactors;
  const c = schema.mfaChallenges;
  return getDb().transaction(async (tx) => {
    if ((await getMfaRequirement(userId, tx)).required) {
      return { ok: false, message: 'Two-factor verification is required for your account, so it can’t be removed. You can change the number instead.' };
    }
    const factor = await readFactorRow(tx, userId, true);
    const phone = verifiedPhone(factor);
    if (!phone) return { ok: false, message: 'There is no two-factor verification to remove.' };
    const at = now();
    await tx.update(f).set({ phoneE164: null, verifiedAt: null, previousPhoneE164: phone, failureCount: 0, updatedAt: at }).where(eq(f.userId, userId));
    await tx.update(c).set({ invalidatedAt: at }).where(and(eq(c.userId, userId), isNull(c.consumedAt), isNull(c.invalidatedAt)));
    const trustedBrowsersRevoked = await revokeTrustedBrowsers(tx, userId);
    await writeEvent(tx, {
      kind: EVENT.mfaFactorRemoved,
      actor,
      subjectUserId: userId,
      ip: client.ip,
      userAgent: client.userAgent,
      details: { maskedPhone: maskPhone(phone), trustedBrowsersRevoked },
    });
    return { ok: true };
  });
}
