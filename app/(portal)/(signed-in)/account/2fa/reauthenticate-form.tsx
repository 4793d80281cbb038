'use client';

import { useActionState } from 'react';
import { FormMessage, TextField } from '@/app/_components/form-fields';
import { reauthenticateAction } from './actions';
import { StepActions } from './step-actions';

/** Change, step 1: the current password again. A number typed before the re-authentication ran out rides along. */
export function ReauthenticateForm({ username, phone }: { username: string; phone?: string }) {
  const [state, formAction, pending] = useActionState(reauthenticateAction, undefined);
  return (
    <form action={formAction} className="stack" noValidate>
      <FormMessage state={state} />
      <input type="text" name="username" autoComplete="username" defaultValue={username} hidden readOnly />
      {phone ? <input type="hidden" name="phone" value={phone} /> : null}
      <TextField name="password" label="Password" type="password" autoComplete="current-password" required autoFocus state={state} />
      <StepActions pending={pending} label="Continue" pendingLabel="Checking…" />
    </form>
  );
}
