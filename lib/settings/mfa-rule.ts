import 'server-only';
import { count, eq, ne } from 'drizzle-orm';
import { schema } from '@/db/client';
import type { Executor } from '@/lib/db';
import { SettingsRefusedError } from './settings-errors';

/**
 * The two-way rule "MFA is not supported with registration codes" (issue 5, item 10):
 * - the method can't become Registration Code while any user requires MFA (assertCodesAllowed);
 * - MFA can't be required — by the policy or by a user's override — while the method is Registration Code
 *   (MFA_NEEDS_INVITATIONS).
 * Callers hold a lock on the settings row (FOR UPDATE to change the method or policy, FOR SHARE to change
 * an override), so the two sides can't pass their checks at the same time.
 */

const users = (n: number) => `${new Intl.NumberFormat('en-US').format(n)} ${n === 1 ? 'user' : 'users'}`;

/** What the Two-Factor Authentication page and the user override say when the method is Registration Code. */
export const MFA_NEEDS_INVITATIONS =
  "MFA can't be required while users get access with registration codes: registration codes don't support MFA. Switch User Provisioning to Invitation Email first.";

/** Users who require MFA: every user but the exempt ones under the sms_required policy, else the 'required' overrides. */
export async function countUsersRequiringMfa(db: Executor, policy: 'off' | 'sms_required'): Promise<number> {
  const u = schema.users;
  const where = policy === 'sms_required' ? ne(u.mfaOverride, 'exempt') : eq(u.mfaOverride, 'required');
  const [row] = await db.select({ n: count() }).from(u).where(where);
  return row?.n ?? 0;
}

/** Refuses switching the method to Registration Code while any user requires MFA, saying how many. */
export async function assertCodesAllowed(db: Executor, policy: 'off' | 'sms_required'): Promise<void> {
  const n = await countUsersRequiringMfa(db, policy);
  if (n === 0) return;
  const message =
    policy === 'sms_required'
      ? `MFA is required for ${users(n)}: the Two-Factor Authentication policy requires SMS for all users who are not exempt; registration codes don't support MFA. Turn the policy off first.`
      : `MFA is required for ${users(n)}; registration codes don't support MFA. Remove the requirement first.`;
  throw new SettingsRefusedError('provisioningMethod', message, n);
}

/** Refuses requiring MFA by policy while the method is Registration Code. */
export function assertMfaPolicyAllowed(provisioningMethod: 'invitation' | 'registration_code'): void {
  if (provisioningMethod === 'registration_code') throw new SettingsRefusedError('mfaPolicy', MFA_NEEDS_INVITATIONS, 0);
}
