'use client';

import { useActionState } from 'react';
import { FormMessage, TextField } from '@/app/_components/form-fields';
import type { ActionResult } from '@/lib/actions/result';

/** How long events are kept: the prune-events job deletes older ones every hour. */
export function RetentionForm({ action, days }: { action: (prev: ActionResult | undefined, data: FormData) => Promise<ActionResult>; days: number }) {
  const [state, formAction, pending] = useActionState(action, undefined);
  return (
    <form action={formAction} className="stack card" noValidate aria-labelledby="retention-heading">
      <h2 id="retention-heading">Retention</h2>
      <FormMessage state={state} />
      <TextField
        name="eventRetentionDays"
        label="Keep events for (days)"
        hint="From 7 to 3,650. Older events are deleted every hour; each deletion is recorded as a System › Events Pruned event."
        type="number"
        inputMode="numeric"
        min={7}
        max={3650}
        required
        defaultValue={String(days)}
        state={state}
        style={{ maxWidth: '8rem' }}
      />
      <div>
        <button type="submit" className="button" disabled={pending}>
          {pending ? 'Saving…' : 'Save retention'}
        </button>
      </div>
    </form>
  );
}
