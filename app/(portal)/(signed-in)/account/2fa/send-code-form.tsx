'use client';

import { startTransition, useActionState, type FormEvent } from 'react';
import { FormMessage } from '@/app/_components/form-fields';
import { PhoneField } from '@/app/_components/phone-field';
import type { ActionResult } from '@/lib/actions/result';
import { sendCodeAction } from './actions';
import type { Flow } from './schemas';
import { StepActions } from './step-actions';

/**
 * The number the code goes to, with the country picker. Directory users get no input: the code
 * goes to the directory's number, shown by the page.
 */
export function SendCodeForm({
  flow,
  defaultPhone,
  defaultCountry,
  hint,
  label,
  directory,
}: {
  flow: Flow;
  defaultPhone?: string;
  defaultCountry?: string;
  hint: string;
  label: string;
  directory?: boolean;
}) {
  const [state, formAction, pending] = useActionState<ActionResult | undefined, FormData>(sendCodeAction, undefined);
  // Submitted without React's automatic form reset: a reset would put the country list back to its
  // first option while the picker still holds the chosen country, so a refused number would lose it.
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    startTransition(() => formAction(data));
  };
  return (
    <form action={formAction} onSubmit={submit} className="stack" noValidate>
      <FormMessage state={state} />
      <input type="hidden" name="flow" value={flow} />
      {directory ? null : (
        <PhoneField
          name="phone"
          label={label}
          hint={hint}
          defaultValue={defaultPhone || null}
          defaultCountry={defaultCountry}
          countryRequired
          errors={state && !state.ok ? state.fieldErrors?.phone : undefined}
        />
      )}
      <StepActions pending={pending} label={directory ? 'Send a code to this number' : 'Send code'} pendingLabel="Sending…" />
    </form>
  );
}
