'use client';

import { useActionState } from 'react';
import { FormMessage } from '@/app/_components/form-fields';
import { removeFactorAction } from './actions';
import { StepActions } from './step-actions';

/** The remove flow's last step: Yes, remove (or Cancel, back to the settings); a refusal is announced. */
export function RemoveFactorForm() {
  const [state, formAction, pending] = useActionState(removeFactorAction, undefined);
  return (
    <form action={formAction} className="stack" aria-label="Remove two-factor authentication">
      <FormMessage state={state} />
      <StepActions pending={pending} label="Yes, remove" pendingLabel="Removing…" autoFocus danger />
    </form>
  );
}
