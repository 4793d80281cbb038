'use client';

import { useActionState } from 'react';
import { FormMessage, TextField } from '@/app/_components/form-fields';
import { requestPasswordResetAction } from './actions';

export function ForgotPasswordForm() {
  const [state, formAction, pending] = useActionState(requestPasswordResetAction, undefined);
  if (state?.ok) {
    return (
      <>
        <FormMessage state={state} />
        <p>
          <a href="/login">Back to sign in</a>
        </p>
      </>
    );
  }
  return (
    <form action={formAction} className="stack" noValidate>
      <FormMessage state={state} />
      <TextField name="email" label="Email" type="email" autoComplete="email" required state={state} />
      <button className="button" type="submit" disabled={pending}>
        {pending ? 'Sending…' : 'Send reset link'}
      </button>
    </form>
  );
}
