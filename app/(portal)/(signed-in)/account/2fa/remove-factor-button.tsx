'use client';

import { useActionState, useState } from 'react';
import type { ActionResult } from '@/lib/actions/result';
import { removeFactorAction } from './actions';

/** Remove, then an inline confirmation that says what removing means; a refusal is announced. */
export function RemoveFactorButton() {
  const [state, formAction, pending] = useActionState<ActionResult | undefined, FormData>(removeFactorAction, undefined);
  const [confirming, setConfirming] = useState(false);
  return (
    <form action={formAction} className="inline-action">
      {confirming ? (
        <span role="group" aria-label="Confirm removing two-factor authentication" className="confirm">
          <span>Remove two-factor authentication? Signing in will only need your password until you set it up again.</span>
          <button type="submit" className="button danger" disabled={pending} autoFocus>
            Yes, remove
          </button>
          <button type="button" className="button secondary" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </span>
      ) : (
        <button type="button" className="button secondary danger" onClick={() => setConfirming(true)}>
          Remove
        </button>
      )}
      <span role="status" className="error">
        {state && !state.ok ? state.formError : null}
      </span>
    </form>
  );
}
