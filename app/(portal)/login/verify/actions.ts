'use server';

import { refresh } from 'next/cache';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { pendingUserAction, type ActionResult } from '@/lib/actions';
import { getChallengePhone } from '@/lib/mfa';
import { describeVerifyProblem, LOCKED_MESSAGE } from '@/lib/auth/mfa-messages';
import { resendCodeSchema, sendEnrolCodeSchema, verifyCodeSchema } from '@/lib/auth/mfa-schemas';
import { safeNextPath } from '@/lib/auth/schemas';
import { signOutPrincipal } from '@/lib/auth/sign-out';
import { setupPathFor, verifyPathFor } from '@/lib/auth/verify-paths';
import {
  getMfaFactor,
  getPhoneOnFile,
  startChallenge,
  trustBrowser,
  trustedBrowserCookieOptions,
  TRUSTED_BROWSER_COOKIE,
  validateSmsNumber,
  verifyChallenge,
} from '@/lib/mfa';
import { getAccountSettings } from '@/lib/settings';

/** Checks the code; on success the session has passed (lib/mfa) and the browser may be remembered. */
export const verifyCodeAction = pendingUserAction(verifyCodeSchema, async (input, { principal, client }): Promise<ActionResult> => {
  const result = await verifyChallenge({ userId: principal.id, sessionId: principal.sessionId, purpose: input.purpose, code: input.code, client });
  if (!result.ok) {
    const message = describeVerifyProblem(result);
    return result.problem === 'locked' ? { ok: false, formError: message } : { ok: false, fieldErrors: { code: [message] } };
  }
  if (input.remember === 'on' && (await getAccountSettings()).mfaRememberDays > 0) {
    const trusted = await trustBrowser(principal.id, client);
    if (trusted) (await cookies()).set(TRUSTED_BROWSER_COOKIE, trusted.token, trustedBrowserCookieOptions(trusted.expiresAt));
  }
  redirect(safeNextPath('user', input.next));
});

/**
 * Enrolment's first code, to the number typed (checked for SMS first) or, for a directory user, to
 * the directory's number whatever the form sent.
 */
export const sendEnrolCodeAction = pendingUserAction(sendEnrolCodeSchema, async (input, { principal, client }): Promise<ActionResult> => {
  const factor = await getMfaFactor(principal.id);
  if (factor.state === 'locked') return { ok: false, formError: LOCKED_MESSAGE };
  if (factor.state === 'verified') redirect(verifyPathFor(input.next));
  const onFile = await getPhoneOnFile(principal.id);
  let phone: string;
  if (onFile.fromDirectory) {
    if (!onFile.e164 || onFile.problem) return { ok: false, formError: onFile.problem ?? 'There is no mobile number on file for your account.' };
    phone = onFile.e164;
  } else {
    if (!input.phone) return { ok: false, fieldErrors: { phone: ['Enter your mobile number, with its country.'] } };
    const check = await validateSmsNumber(input.phone);
    if (!check.ok) return { ok: false, fieldErrors: { phone: [check.message] } };
    phone = input.phone;
  }
  const sent = await startChallenge({ userId: principal.id, sessionId: principal.sessionId, purpose: 'enrol', phoneE164: phone, client });
  if (!sent.ok) return onFile.fromDirectory ? { ok: false, formError: sent.message } : { ok: false, fieldErrors: { phone: [sent.message] } };
  redirect(setupPathFor(input.next));
});

/** A new code for this session's sign-in or enrolment, to the same number; the server keeps the 30 s cooldown. */
export const resendCodeAction = pendingUserAction(resendCodeSchema, async (input, { principal, client }): Promise<ActionResult> => {
  const base = { userId: principal.id, sessionId: principal.sessionId, client };
  let phoneE164: string | undefined;
  if (input.purpose === 'enrol') {
    phoneE164 = (await getChallengePhone(principal.sessionId, 'enrol')) ?? undefined;
    if (!phoneE164) redirect(setupPathFor(input.next, 'number'));
  }
  const sent = await startChallenge({ ...base, purpose: input.purpose, phoneE164 });
  if (!sent.ok) return { ok: false, formError: sent.message };
  refresh();
  return { ok: true, message: `We sent a new code to ${sent.maskedPhone}.` };
});

/** "Sign out" from the second step: ends the half-signed-in session. */
export const signOutPendingAction = pendingUserAction(z.object({}), async (_input, { principal, client }) =>
  signOutPrincipal(principal, client),
);
