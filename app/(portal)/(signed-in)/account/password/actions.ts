'use server';

import { redirect } from 'next/navigation';
import { userAction } from '@/lib/actions';
import { runSignIn } from '@/lib/auth/sign-in-action';
import { changePassword } from '@/lib/password-reset';
import { changePasswordSchema } from '@/lib/password-reset/schemas';

export const changePasswordAction = userAction(changePasswordSchema, async (input, { principal, client }) => {
  const result = await changePassword(principal.id, input, client);
  if (!result.ok) return { ok: false, fieldErrors: { [result.field]: [result.message] } };
  // Every session ended, this one too: sign this browser in again with the new password.
  const signedIn = await runSignIn('user', { identifier: principal.username, password: input.password, next: '/account/password?changed=1' });
  if (!signedIn.ok) redirect('/login?reason=password-reset');
  return signedIn;
});
