import 'server-only';
import { AuthError } from 'next-auth';
import type { ActionResult } from '@/lib/actions/result';
import { signIn } from './next-auth';
import { safeNextPath, type SignInInput } from './schemas';
import { describeSignInFailure } from './sign-in-messages';
import type { Realm } from './types';

export { describeSignInFailure };

/** Runs a credentials sign-in for a realm; on success next-auth redirects (throws NEXT_REDIRECT). */
export async function runSignIn(realm: Realm, input: SignInInput): Promise<ActionResult> {
  try {
    await signIn(realm, {
      identifier: input.identifier,
      password: input.password,
      redirectTo: safeNextPath(realm, input.next),
    });
    return { ok: true };
  } catch (error) {
    if (error instanceof AuthError) {
      if (error.type === 'CredentialsSignin') {
        return { ok: false, formError: describeSignInFailure((error as { code?: string }).code, realm) };
      }
      throw error;
    }
    throw error;
  }
}
