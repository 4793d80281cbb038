'use server';

import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { userAction } from '@/lib/actions';
import { clearReauthentication, isRecentlyReauthenticated, reauthenticate, type UserPrincipal } from '@/lib/auth';
import { startSsoReauthentication } from '@/lib/auth/sso-auth';
import {
  forgetTrustedBrowser,
  getMfaFactor,
  getPhoneOnFile,
  listTrustedBrowsers,
  removeFactor,
  startChallenge,
  TRUSTED_BROWSER_COOKIE,
  validateSmsNumber,
  verifyChallenge,
  type SendProblem,
} from '@/lib/mfa';
import { getReauthenticationMethod } from '@/lib/sso';
import {
  afterReauthenticationPath,
  forgetBrowserSchema,
  reauthenticateSchema,
  removeFactorSchema,
  sendCodeSchema,
  ssoReauthenticateSchema,
  twoFactorPath,
  verifyCodeSchema,
  type CodeFlow,
  type Flow,
} from './schemas';

const actorOf = (principal: UserPrincipal) => ({ type: 'user', id: principal.id, label: principal.email }) as const;
const purposeOf = (flow: CodeFlow) => (flow === 'change' ? 'change_phone' : 'enrol');
/** Problems that are about the number itself: shown next to the phone field. */
const NUMBER_PROBLEMS = new Set<SendProblem>(['invalid_number', 'not_mobile', 'country_not_allowed', 'no_number']);

/** Every step after the first needs a password re-entered in this session within 10 minutes; otherwise back to step 1. */
async function requireFreshReauthentication(principal: UserPrincipal, flow: Flow, phone?: string) {
  if (!(await isRecentlyReauthenticated(principal))) {
    redirect(twoFactorPath({ flow, step: 'password', phone, reason: 'reauth-expired' }));
  }
}

/** Step 1 of every flow: the password again (counted like a sign-in), then on to the flow's next step. */
export const reauthenticateAction = userAction(reauthenticateSchema, async ({ flow, password, phone }, { principal, client }) => {
  // With password sign-in off for users (SSO only), a password does not re-authenticate either.
  if ((await getReauthenticationMethod(principal.id)).method !== 'password') {
    return { ok: false, formError: 'Confirm it is you with your organisation’s sign-in instead. Reload the page.' };
  }
  const result = await reauthenticate(principal, password, client);
  if (!result.ok) {
    return result.code === 'invalid' ? { ok: false, fieldErrors: { password: [result.message] } } : { ok: false, formError: result.message };
  }
  redirect(afterReauthenticationPath(flow, phone));
});

/** Step 1 for users without a password: a fresh sign-in at the identity provider, then on to the flow's next step. */
export const ssoReauthenticateAction = userAction(ssoReauthenticateSchema, async ({ flow, phone }, { principal }) => {
  if ((await getReauthenticationMethod(principal.id)).method !== 'sso') {
    return { ok: false, formError: 'Confirm it is you with your password instead. Reload the page.' };
  }
  return startSsoReauthentication(principal, {
    next: afterReauthenticationPath(flow, phone),
    back: twoFactorPath({ flow, step: 'password', phone }),
  });
});

/**
 * Sends a code for the change (to the new number) or the setup (to the number entered, else the
 * previous one). Directory users can't enter a number: the code goes to the directory's number.
 * With `resend`, stays on the code step and says a new code was sent.
 */
export const sendCodeAction = userAction(sendCodeSchema, async ({ flow, phone, resend }, { principal, client }) => {
  const factor = await getMfaFactor(principal.id);
  if (flow === 'change') {
    if (factor.state === 'none') return { ok: false, formError: 'Two-factor authentication is not set up. Go back and choose Set up.' };
  } else if (factor.state !== 'none') {
    return { ok: false, formError: 'Two-factor authentication is already set up. To use another number, choose Change Settings.' };
  }
  await requireFreshReauthentication(principal, flow, phone);

  const onFile = await getPhoneOnFile(principal.id);
  let target: string | undefined = phone || undefined;
  if (onFile.fromDirectory) {
    if (!onFile.e164 || onFile.problem) return { ok: false, formError: onFile.problem ?? 'Your organisation’s directory has no mobile number for you.' };
    target = onFile.e164;
  } else if (target) {
    const check = await validateSmsNumber(target);
    if (!check.ok) return { ok: false, fieldErrors: { phone: [check.message] } };
  } else if (flow === 'change') {
    return { ok: false, fieldErrors: { phone: ['Enter your new mobile number: choose the country, then type the number.'] } };
  } else if (!factor.maskedPreviousPhone && !onFile.e164) {
    return { ok: false, fieldErrors: { phone: ['Enter your mobile number: choose the country, then type the number.'] } };
  }

  const sent = await startChallenge({ userId: principal.id, sessionId: principal.sessionId, purpose: purposeOf(flow), phoneE164: target, client });
  if (!sent.ok) {
    return NUMBER_PROBLEMS.has(sent.problem) && !resend && !onFile.fromDirectory
      ? { ok: false, fieldErrors: { phone: [sent.message] } }
      : { ok: false, formError: sent.message };
  }
  if (resend) return { ok: true, message: `A new code was sent to ${sent.maskedPhone}. It expires in 10 minutes.` };
  redirect(twoFactorPath({ flow, step: 'code', phone: target }));
});

/**
 * The last step: the code. A change swaps the number (lib/mfa notifies the old one); a setup enrols.
 * Either ends the re-authentication window, so the next change asks again.
 */
export const verifyCodeAction = userAction(verifyCodeSchema, async ({ flow, phone, code }, { principal, client }) => {
  await requireFreshReauthentication(principal, flow, phone);
  const result = await verifyChallenge({ userId: principal.id, sessionId: principal.sessionId, purpose: purposeOf(flow), code, client });
  if (!result.ok) {
    return result.problem === 'wrong_code' ? { ok: false, fieldErrors: { code: [result.message] } } : { ok: false, formError: result.message };
  }
  await clearReauthentication(principal);
  redirect(twoFactorPath({ notice: flow === 'change' ? 'phone-changed' : 'enrolled' }));
});

/**
 * Removes the factor after a re-authentication; lib/mfa refuses while the user must use two-factor
 * authentication. The window stays open, so setting up again right after needs no second password.
 */
export const removeFactorAction = userAction(removeFactorSchema, async (_input, { principal, client }) => {
  await requireFreshReauthentication(principal, 'remove');
  const result = await removeFactor(principal.id, actorOf(principal), client);
  if (!result.ok) return { ok: false, formError: result.message };
  redirect(twoFactorPath({ notice: 'removed' }));
});

/** Forgets one of the user's remembered browsers (anyone else's reads as not found); this browser also drops its cookie. */
export const forgetBrowserAction = userAction(forgetBrowserSchema, async ({ browserId }, { principal, client }) => {
  const jar = await cookies();
  const token = jar.get(TRUSTED_BROWSER_COOKIE)?.value;
  const current = token ? (await listTrustedBrowsers(principal.id, token)).find((b) => b.current)?.id : undefined;
  const forgotten = await forgetTrustedBrowser(principal.id, browserId, actorOf(principal), client);
  if (!forgotten) return { ok: false, formError: 'This browser is not in your list any more. Reload the page to see your remembered browsers.' };
  if (current === browserId) jar.delete(TRUSTED_BROWSER_COOKIE);
  redirect(twoFactorPath({ notice: 'browser-forgotten' }));
});
