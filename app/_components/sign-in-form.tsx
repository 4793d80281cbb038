'use client';

import { useActionState } from 'react';
import type { ActionResult } from '@/lib/actions/result';
import { FormMessage, TextField } from './form-fields';

export function SignInForm({
  action,
  identifierLabel,
  next,
}: {
  action: (prev: ActionResult | undefined, data: FormData) => Promise<ActionResult>;
  identifierLabel: string;
  next?: string;
}) {
  const [state, formAction, pending] = useActionState(action, undefined);
  return (
    <form action={formAction} className="stack" noValidate>
      <FormMessage state={state} />
      <TextField name="identifier" label={identifierLabel} type="text" autoComplete="username" required state={state} />
      <TextField name="password" label="Password" type="password" autoComplete="current-password" required state={state} />
      {next ? <input type="hidden" name="next" value={next} /> : null}
      <button className="button" type="submit" disabled={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
