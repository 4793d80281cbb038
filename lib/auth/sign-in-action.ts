import 'server-only';
import { AuthError } from 'next-auth';
import { redirect } from 'next/navigation';
import type { ActionResult } from '@/lib/actions/result';
import { log, errorFields } from '@/lib/log';
import { getMfaFactor, startChallenge } from '@/lib/mfa';
import { getClientInfo, type ClientInfo } from '@/lib/request';
import { signIn } from './next-auth';
import { safeNextPath, type SignInInput } from './schemas';
import type { SignInResult } from './sign-in';
import { describeSignInFailure } from './sign-in-messages';
import { captureSignIn } from './sign-in-outcome';
import { verifyPathFor } from './verify-paths';
import type { Realm } from './types';

export { describeSignInFailure };

/**
 * An enrolled user whose session owes the SMS code gets it now, once per password step (the verify
 * page never sends on its own, so a refresh sends nothing). A refusal (limits, Twilio) is not an
 * error here: the verify page offers "Send code", which says why.
 */
export async function sendSignInCode(result: SignInResult, client: ClientInfo): Promise<void> {
  try {
    const factor = await getMfaFactor(result.principalId);
    if (factor.state !== 'verified') return;
    await startChallenge({ userId: result.principalId, sessionId: result.sessionId, purpose: 'sign_in', client });
  } catch (error) {
    log.error('sending the sign-in code failed', errorFields(error));
  }
}

/**
 * Runs a credentials sign-in for a realm and redirects (throws NEXT_REDIRECT) on success: to the
 * safe `next` or the realm's home, or, when the user's session owes its SMS code, to /login/verify.
 */
export async function runSignIn(realm: Realm, input: SignInInput, client?: ClientInfo): Promise<ActionResult> {
  let result: SignInResult | undefined;
  try {
    ({ result } = await captureSignIn(() => signIn(realm, { identifier: input.identifier, password: input.password, redirect: false })));
  } catch (error) {
    if (error instanceof AuthError && error.type === 'CredentialsSignin') {
      return { ok: false, formError: describeSignInFailure((error as { code?: string }).code, realm) };
    }
    throw error;
  }
  if (realm === 'user' && result?.mfaState === 'pending') {
    await sendSignInCode(result, client ?? (await getClientInfo()));
    redirect(verifyPathFor(input.next));
  }
  redirect(safeNextPath(realm, input.next));
}
