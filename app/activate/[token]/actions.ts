'use server';

import { redirect } from 'next/navigation';
import { publicAction } from '@/lib/actions';
import { runSignIn } from '@/lib/auth/sign-in-action';
import { activateAccount } from '@/lib/invitations';
import { activationSchema } from '@/lib/invitations/schemas';
import { ACTIVATION_LINK_PROBLEMS } from './link-messages';

export const activateAccountAction = publicAction(activationSchema, async (input, { client }) => {
  const result = await activateAccount(input, client);
  if (!result.ok) {
    return 'passwordProblem' in result
      ? { ok: false, fieldErrors: { password: [result.passwordProblem] } }
      : { ok: false, formError: `${ACTIVATION_LINK_PROBLEMS[result.state].title}. ${ACTIVATION_LINK_PROBLEMS[result.state].text}` };
  }
  // Signs in with the new password and redirects home. If sign-in is refused (say, a rate limit),
  // the account is active anyway: the sign-in page says so.
  const signedIn = await runSignIn('user', { identifier: result.username, password: input.password, next: '/' });
  if (!signedIn.ok) redirect('/login?reason=activated');
  return signedIn;
});
