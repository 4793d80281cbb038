'use client';

import { useActionState } from 'react';
import { FormMessage, TextField } from '@/app/_components/form-fields';
import type { ActionResult } from '@/lib/actions/result';

type Action = (prev: ActionResult | undefined, data: FormData) => Promise<ActionResult>;

/** The 6-digit code from the text message, and "Remember this device" when the settings allow it. */
export function CodeForm({
  action,
  purpose,
  next,
  rememberDays,
}: {
  action: Action;
  purpose: 'sign_in' | 'enrol';
  next?: string;
  rememberDays: number;
}) {
  const [state, formAction, pending] = useActionState(action, undefined);
  return (
    <form action={formAction} className="stack" noValidate>
      <FormMessage state={state} />
      <TextField
        name="code"
        label="Verification code"
        hint="The 6 digits from the text message."
        type="text"
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern="[0-9]*"
        maxLength={12}
        required
        state={state}
      />
      {rememberDays > 0 ? (
        <div className="checkbox-field">
          <input type="checkbox" id="field-remember" name="remember" />
          <label htmlFor="field-remember">
            Remember this device for {rememberDays} day{rememberDays === 1 ? '' : 's'}
          </label>
        </div>
      ) : null}
      <input type="hidden" name="purpose" value={purpose} />
      {next ? <input type="hidden" name="next" value={next} /> : null}
      <button className="button" type="submit" disabled={pending}>
        {pending ? 'Checking…' : 'Verify'}
      </button>
    </form>
  );
}
