'use client';

import { useActionState } from 'react';
import type { ActionResult } from '@/lib/actions/result';
import { forgetBrowserAction } from './actions';

/** Forget one remembered browser. Named "Forget" and described by the cell that names the browser. */
export function ForgetBrowserButton({ browserId, describedBy }: { browserId: string; describedBy: string }) {
  const [state, formAction, pending] = useActionState<ActionResult | undefined, FormData>(forgetBrowserAction, undefined);
  return (
    <form action={formAction} className="inline-action">
      <input type="hidden" name="browserId" value={browserId} />
      <button type="submit" className="button secondary" aria-describedby={describedBy} disabled={pending}>
        Forget
      </button>
      <span role="status" className="error">
        {state && !state.ok ? state.formError : null}
      </span>
    </form>
  );
}
