'use client';

import { useActionState } from 'react';
import { FormMessage, TextField } from '@/app/_components/form-fields';
import { PASSWORD_MAX, PASSWORD_MIN } from '@/lib/passwords/schema';
import { completeSetupAction } from './actions';

export function SetupForm({ token }: { token: string }) {
  const [state, formAction, pending] = useActionState(completeSetupAction, undefined);
  return (
    <form action={formAction} className="stack" noValidate>
      <FormMessage state={state} />
      <input type="hidden" name="token" value={token} />
      <TextField name="name" label="Your name" autoComplete="name" required state={state} />
      <TextField name="email" label="Email" type="email" autoComplete="email" required state={state} />
      <TextField
        name="password"
        label="Password"
        type="password"
        autoComplete="new-password"
        hint={`${PASSWORD_MIN} to ${PASSWORD_MAX} characters. Spaces and any characters are fine; a long passphrase is best.`}
        required
        state={state}
      />
      <TextField name="confirmPassword" label="Confirm password" type="password" autoComplete="new-password" required state={state} />
      <button className="button" type="submit" disabled={pending}>
        {pending ? 'Creating…' : 'Create admin'}
      </button>
    </form>
  );
}
