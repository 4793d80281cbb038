'use client';

import { useActionState } from 'react';
import { FormMessage } from '@/app/_components/form-fields';
import { ssoReauthenticateAction } from './actions';
import type { Flow } from './schemas';
import { StepActions } from './step-actions';

/** Step 1 of a flow for users without a password: sign in again at the identity provider. A number typed before rides along. */
export function SsoReauthenticateForm({ flow, providerName, phone }: { flow: Flow; providerName: string; phone?: string }) {
  const [state, formAction, pending] = useActionState(ssoReauthenticateAction, undefined);
  return (
    <form action={formAction} className="stack" aria-label={`Confirm with ${providerName}`}>
      <FormMessage state={state} />
      <input type="hidden" name="flow" value={flow} />
      {phone ? <input type="hidden" name="phone" value={phone} /> : null}
      <StepActions pending={pending} label={`Confirm with ${providerName}`} pendingLabel={`Opening ${providerName}…`} autoFocus />
    </form>
  );
}
