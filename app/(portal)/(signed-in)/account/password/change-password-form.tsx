'use client';

import { useActionState } from 'react';
import { FormMessage, TextField } from '@/app/_components/form-fields';
import { NewPasswordFields } from '@/app/_components/new-password-fields';
import { changePasswordAction } from './actions';

export function ChangePasswordForm({ username }: { username: string }) {
  const [state, formAction, pending] = useActionState(changePasswordAction, undefined);
  return (
    <form action={formAction} className="stack" noValidate>
      <FormMessage state={state} />
      <TextField name="currentPassword" label="Current password" type="password" autoComplete="current-password" required state={state} />
      <NewPasswordFields state={state} username={username} />
      <button className="button" type="submit" disabled={pending}>
        {pending ? 'Changing…' : 'Change password'}
      </button>
    </form>
  );
}
