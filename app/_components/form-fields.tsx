import type { InputHTMLAttributes } from 'react';
import type { ActionResult } from '@/lib/actions/result';

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
  const id = `field-${name}`;
  const describedBy = [hint ? `${id}-hint` : null, errors?.length ? `${id}-error` : null].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      ) : null}
      <input
        id={id}
        name={name}
        defaultValue={value ?? (defaultValue as string | undefined)}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={describedBy || undefined}
        {...input}
        key={value}
      />
      {errors?.length ? (
        <p className="error" id={`${id}-error`}>
          {errors.join(' ')}
        </p>
      ) : null}
    </div>
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
