import type { InputHTMLAttributes, ReactNode } from 'react';
import type { ActionResult } from '@/lib/actions/result';

/** Ids and aria attributes that tie a field's control to its hint and errors. */
export function fieldAria(name: string, hint: string | undefined, errors: string[] | undefined) {
  const id = `field-${name}`;
  const describedBy = [hint ? `${id}-hint` : null, errors?.length ? `${id}-error` : null].filter(Boolean).join(' ');
  return { id, 'aria-invalid': errors?.length ? true : undefined, 'aria-describedby': describedBy || undefined } as const;
}

/** Label, hint and errors around any control (input, phone picker…). */
export function FieldFrame({
  name,
  label,
  hint,
  errors,
  children,
}: {
  name: string;
  label: string;
  hint?: string;
  errors?: string[];
  children: ReactNode;
}) {
  const id = `field-${name}`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      ) : null}
      {children}
      {errors?.length ? (
        <p className="error" id={`${id}-error`}>
          {errors.join(' ')}
        </p>
      ) : null}
    </div>
  );
}

/** A labelled input that shows its field errors and keeps the value the person typed. */
export function TextField({
  name,
  label,
  hint,
  state,
  defaultValue,
  ...input
}: { name: string; label: string; hint?: string; state?: ActionResult<unknown> } & InputHTMLAttributes<HTMLInputElement>) {
  const errors = state && !state.ok ? state.fieldErrors?.[name] : undefined;
  const value = state && !state.ok ? state.values?.[name] : undefined;
  return (
    <FieldFrame name={name} label={label} hint={hint} errors={errors}>
      <input
        name={name}
        defaultValue={value ?? (defaultValue as string | undefined)}
        {...fieldAria(name, hint, errors)}
        {...input}
        key={value}
      />
    </FieldFrame>
  );
}

/** The form-level message of an action result. */
export function FormMessage({ state }: { state?: ActionResult<unknown> }) {
  if (!state) return null;
  if (!state.ok && state.formError)
    return (
      <div className="alert error" role="alert">
        {state.formError}
      </div>
    );
  if (!state.ok && state.fieldErrors && Object.keys(state.fieldErrors).length > 0)
    return (
      <div className="alert error" role="alert">
        Please correct the highlighted fields.
      </div>
    );
  if (state.ok && state.message)
    return (
      <div className="alert success" role="status">
        {state.message}
      </div>
    );
  return null;
}
