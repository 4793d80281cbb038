'use client';

import { useActionState } from 'react';
import type { ActionResult } from '@/lib/actions/result';
import { FormMessage } from './form-fields';

/** "Sign in with <provider>": the action redirects to the organisation's identity provider. */
export function SsoSignInButton({
  action,
  providerName,
  next,
}: {
  action: (prev: ActionResult | undefined, data: FormData) => Promise<ActionResult>;
  providerName: string;
  next?: string;
}) {
  const [state, formAction, pending] = useActionState(action, undefined);
  return (
    <form action={formAction} className="stack" aria-label="Single sign-on">
      <FormMessage state={state} />
      {next ? <input type="hidden" name="next" value={next} /> : null}
      <button className="button" type="submit" disabled={pending}>
        {pending ? `Opening ${providerName}…` : `Sign in with ${providerName}`}
      </button>
    </form>
  );
}
