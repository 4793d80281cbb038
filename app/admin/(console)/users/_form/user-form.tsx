'use client';

import { useActionState } from 'react';
import { FormMessage, TextField } from '@/app/_components/form-fields';
import { PhoneField } from '@/app/_components/phone-field';
import type { ActionResult } from '@/lib/actions/result';

export interface UserFormValues {
  firstName: string;
  lastName: string;
  email: string;
  username: string;
  phone: string | null;
}

/** Create and edit share this form; the action decides what saving means. */
export function UserForm<T>({
  action,
  initial,
  defaultCountry,
  submitLabel,
  readOnly,
  userId,
}: {
  action: (prev: ActionResult<T> | undefined, data: FormData) => Promise<ActionResult<T>>;
  initial?: UserFormValues;
  defaultCountry: string;
  submitLabel: string;
  readOnly?: boolean;
  userId?: string;
}) {
  const [state, formAction, pending] = useActionState(action, undefined);
  const value = (k: keyof UserFormValues) => (state && !state.ok ? state.values?.[k] : undefined) ?? initial?.[k] ?? '';
  const phoneErrors = state && !state.ok ? state.fieldErrors?.phone : undefined;
  return (
    <form action={formAction} className="stack card" noValidate>
      <FormMessage state={state} />
      {userId ? <input type="hidden" name="userId" value={userId} /> : null}
      <TextField name="firstName" label="First name" autoComplete="off" required defaultValue={value('firstName')} state={state} disabled={readOnly} />
      <TextField name="lastName" label="Last name" autoComplete="off" required defaultValue={value('lastName')} state={state} disabled={readOnly} />
      <TextField name="email" label="Email" type="email" autoComplete="off" required defaultValue={value('email')} state={state} disabled={readOnly} />
      <TextField
        name="username"
        label="Username"
        hint="Leave empty to use the email address."
        autoComplete="off"
        defaultValue={value('username')}
        state={state}
        disabled={readOnly}
      />
      <PhoneField
        key={value('phone')}
        name="phone"
        label="Mobile phone (for SMS codes)"
        hint="Pick the country, then type the number. Optional."
        defaultValue={value('phone') || null}
        defaultCountry={defaultCountry}
        errors={phoneErrors}
        disabled={readOnly}
      />
      {readOnly ? null : (
        <button className="button" type="submit" disabled={pending}>
          {pending ? 'Saving…' : submitLabel}
        </button>
      )}
    </form>
  );
}
