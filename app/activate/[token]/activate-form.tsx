'use client';

import { useActionState } from 'react';
import { FormMessage } from '@/app/_components/form-fields';
import { NewPasswordFields } from '@/app/_components/new-password-fields';
import { activateAccountAction } from './actions';

export function ActivateForm({ token, username }: { token: string; username: string }) {
  const [state, formAction, pending] = useActionState(activateAccountAction, undefined);
  return (
    <form action={formAction} className="stack" noValidate>
      <FormMessage state={state} />
      <input type="hidden" name="token" value={token} />
      <NewPasswordFields state={state} username={username} label="Password" />
      <button className="button" type="submit" disabled={pending}>
        {pending ? 'Activating…' : 'Activate account'}
      </button>
    </form>
  );
}
