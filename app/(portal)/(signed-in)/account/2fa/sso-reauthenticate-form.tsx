'use client';

import { useActionState } from 'react';
import { FormMessage } from '@/app/_components/form-fields';
import { ssoReauthenticateAction } from './actions';
import { twoFactorPath } from './schemas';

/** Change, step 1 for users without a password: sign in again at the identity provider. A number typed before rides along. */
export function SsoReauthenticateForm({ providerName, phone }: { providerName: string; phone?: string }) {
  const [state, formAction, pending] = useActionState(ssoReauthenticateAction, undefined);
  return (
    <form action={formAction} className="stack" aria-label={`Confirm with ${providerName}`}>
      <FormMessage state={state} />
      {phone ? <input type="hidden" name="phone" value={phone} /> : null}
      <div className="actions-row">
        <button className="button" type="submit" disabled={pending} autoFocus>
          {pending ? `Opening ${providerName}…` : `Confirm with ${providerName}`}
        </button>
        <a className="button secondary" href={twoFactorPath()}>
          Cancel
        </a>
      </div>
    </form>
  );
}
