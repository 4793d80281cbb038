import 'server-only';
import { getDb } from '@/lib/db';
import { maskPhone } from '@/lib/phone';
import type { MfaFactorView } from './contract';
import { readFactorRow, verifiedPhone } from './factor-row';

/** The user's SMS factor as pages show it: state, masked numbers, failures and lock. */
export async function getMfaFactor(userId: string): Promise<MfaFactorView> {
  const row = await readFactorRow(getDb(), userId);
  const phone = verifiedPhone(row);
  return {
    state: row?.lockedAt ? 'locked' : phone ? 'verified' : 'none',
    maskedPhone: phone ? maskPhone(phone) : null,
    maskedPreviousPhone: row?.previousPhoneE164 ? maskPhone(row.previousPhoneE164) : null,
    verifiedAt: phone ? (row?.verifiedAt ?? null) : null,
    failureCount: row?.failureCount ?? 0,
    lockedAt: row?.lockedAt ?? null,
  };
}
