'use client';

import { useActionState } from 'react';
import { FormMessage } from '@/app/_components/form-fields';
import { NewPasswordFields } from '@/app/_components/new-password-fields';
import { resetPasswordAction } from './actions';

export function ResetPasswordForm({ token, username }: { token: string; username: string }) {
  const [state, formAction, pending] = useActionState(resetPasswordAction, undefined);
  return (
    <form action={formAction} className="stack" noValidate>
      <FormMessage state={state} />
      <input type="hidden" name="token" value={token} />
      <NewPasswordFields state={state} username={username} />
      <button className="button" type="submit" disabled={pending}>
        {pending ? 'Saving…' : 'Set new password'}
      </button>
    </form>
  );
}
