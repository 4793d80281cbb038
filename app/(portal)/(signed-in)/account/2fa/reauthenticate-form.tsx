'use client';

import { useActionState } from 'react';
import { FormMessage, TextField } from '@/app/_components/form-fields';
import { reauthenticateAction } from './actions';
import type { Flow } from './schemas';
import { StepActions } from './step-actions';

/** Step 1 of a flow: the current password again. A number typed before the re-authentication ran out rides along. */
export function ReauthenticateForm({ flow, username, phone }: { flow: Flow; username: string; phone?: string }) {
  const [state, formAction, pending] = useActionState(reauthenticateAction, undefined);
  return (
    <form action={formAction} className="stack" noValidate>
      <FormMessage state={state} />
      <input type="text" name="username" autoComplete="username" defaultValue={username} hidden readOnly />
      <input type="hidden" name="flow" value={flow} />
      {phone ? <input type="hidden" name="phone" value={phone} /> : null}
      <TextField name="password" label="Password" type="password" autoComplete="current-password" required autoFocus state={state} />
      <StepActions pending={pending} label="Continue" pendingLabel="Checking…" />
    </form>
  );
}
