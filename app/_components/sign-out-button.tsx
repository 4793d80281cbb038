'use client';

import { useActionState } from 'react';
import type { ActionResult } from '@/lib/actions/result';

export function SignOutButton({ action }: { action: (prev: ActionResult | undefined, data: FormData) => Promise<ActionResult> }) {
  const [state, formAction, pending] = useActionState(action, undefined);
  return (
    <form action={formAction}>
      <button type="submit" className="button secondary" disabled={pending}>
        Sign out
      </button>
      {state && !state.ok ? (
        <span role="alert" className="error">
          {state.formError}
        </span>
      ) : null}
    </form>
  );
}
