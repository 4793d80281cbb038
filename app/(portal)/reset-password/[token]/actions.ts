'use server';

import { redirect } from 'next/navigation';
import { publicAction } from '@/lib/actions';
import { completePasswordReset } from '@/lib/password-reset';
import { resetPasswordSchema } from '@/lib/password-reset/schemas';
import { RESET_LINK_PROBLEMS } from './link-messages';

export const resetPasswordAction = publicAction(resetPasswordSchema, async (input, { client }) => {
  const result = await completePasswordReset(input, client);
  if (!result.ok) {
    return 'passwordProblem' in result
      ? { ok: false, fieldErrors: { password: [result.passwordProblem] } }
      : { ok: false, formError: `${RESET_LINK_PROBLEMS[result.state].title}. ${RESET_LINK_PROBLEMS[result.state].text}` };
  }
  redirect('/login?reason=password-reset');
});
