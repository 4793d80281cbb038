'use client';

import { startTransition, useActionState, type FormEvent } from 'react';
import { FormMessage } from '@/app/_components/form-fields';
import { PhoneField } from '@/app/_components/phone-field';
import type { ActionResult } from '@/lib/actions/result';

type Action = (prev: ActionResult | undefined, data: FormData) => Promise<ActionResult>;

/**
 * The number the enrolment code goes to. With `readOnlyNumber` (a directory user) the number is not
 * editable here; otherwise the country picker, prefilled with the number on file.
 */
export function PhoneForm({
  action,
  next,
  defaultValue,
  defaultCountry,
  editable,
}: {
  action: Action;
  next?: string;
  defaultValue?: string | null;
  defaultCountry: string;
  editable: boolean;
}) {
  const [state, formAction, pending] = useActionState(action, undefined);
  const errors = state && !state.ok ? state.fieldErrors?.phone : undefined;
  // Submitted by hand rather than with `action=`: React resets a form after an action, which would put
  // the country picker back to its default while the number stays, so a refused number would change.
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    startTransition(() => formAction(data));
  };
  return (
    <form onSubmit={submit} className="stack" noValidate>
      <FormMessage state={state} />
      {editable ? (
        <PhoneField
          name="phone"
          label="Mobile number"
          hint="Choose the country, then type the number. We’ll send a code to it by text message."
          defaultValue={defaultValue}
          defaultCountry={defaultCountry}
          countryRequired
          errors={errors}
        />
      ) : null}
      {next ? <input type="hidden" name="next" value={next} /> : null}
      <button className="button" type="submit" disabled={pending}>
        {pending ? 'Sending…' : 'Send code'}
      </button>
    </form>
  );
}
