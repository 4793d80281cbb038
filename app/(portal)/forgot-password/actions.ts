'use server';

import { after } from 'next/server';
import { publicAction } from '@/lib/actions';
import { errorFields, log } from '@/lib/log';
import { requestPasswordReset } from '@/lib/password-reset';
import { forgotPasswordSchema } from '@/lib/password-reset/schemas';
import { getSsoSignInOptions } from '@/lib/sso';

const ANSWER = 'If an account exists for that address, we sent a link to it. Check your email: the link works for one hour.';

/**
 * Always the same answer, at the same speed: the lookup, the rate limits and the email run after
 * the response is sent, so neither the words nor the timing tell whether the account exists.
 */
export const requestPasswordResetAction = publicAction(forgotPasswordSchema, async ({ email }, { client }) => {
  after(async () => {
    try {
      // Users sign in only through the identity provider: an Onramp password would be of no use.
      if (!(await getSsoSignInOptions()).allowPasswordSignIn) return;
      await requestPasswordReset(email, client);
    } catch (error) {
      log.error('password reset request failed', errorFields(error));
    }
  });
  return { ok: true, message: ANSWER };
});
