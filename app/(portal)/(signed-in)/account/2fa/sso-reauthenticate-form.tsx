'use client';

import { useActionState } from 'react';
import { FormMessage } from '@/app/_components/form-fields';
import { ssoReauthenticateAction } from './actions';
import { StepActions } from './step-actions';

/** Change, step 1 for users without a password: sign in again at the identity provider. A number typed before rides along. */
export function SsoReauthenticateForm({ providerName, phone }: { providerName: string; phone?: string }) {
  const [state, formAction, pending] = useActionState(ssoReauthenticateAction, undefined);
  return (
    <form action={formAction} className="stack" aria-label={`Confirm with ${providerName}`}>
      <FormMessage state={state} />
      {phone ? <input type="hidden" name="phone" value={phone} /> : null}
      <StepActions pending={pending} label={`Confirm with ${providerName}`} pendingLabel={`Opening ${providerName}…`} autoFocus />
    </form>
  );
}
