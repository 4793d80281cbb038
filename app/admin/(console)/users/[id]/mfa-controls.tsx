'use client';

import { useActionState, useState } from 'react';
import type { ActionResult } from '@/lib/actions/result';
import type { MfaOverride } from '@/lib/users/schemas';

type Action = (prev: ActionResult | undefined, data: FormData) => Promise<ActionResult>;

const outcomeOf = (state: ActionResult | undefined) => (state ? (state.ok ? state.message : state.formError ?? 'The action could not be completed.') : null);

/** A button acting on one user; with `question`, it asks inline first (the confirm button takes focus). */
export function MfaActionButton({ action, userId, label, question, danger }: { action: Action; userId: string; label: string; question?: string; danger?: boolean }) {
  const [state, formAction, pending] = useActionState(action, undefined);
  const [confirming, setConfirming] = useState(false);
  const asking = question && confirming;
  return (
    <form action={formAction} className="inline-action" onSubmit={() => setConfirming(false)}>
      <input type="hidden" name="userId" value={userId} />
      {question && !confirming ? (
        <button type="button" className={`button secondary${danger ? ' danger' : ''}`} onClick={() => setConfirming(true)}>
          {label}
        </button>
      ) : null}
      {asking ? (
        <span role="group" aria-label={`Confirm ${label}`} className="confirm">
          <span>{question}</span>
          <button type="submit" className={`button${danger ? ' danger' : ''}`} disabled={pending} autoFocus>
            Yes, {label}
          </button>
          <button type="button" className="button secondary" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </span>
      ) : null}
      {!question ? (
        <button type="submit" className="button secondary" disabled={pending}>
          {label}
        </button>
      ) : null}
      <span role="status" className="muted">
        {outcomeOf(state)}
      </span>
    </form>
  );
}

const OVERRIDE_LABELS: Record<MfaOverride, string> = {
  default: 'Follow the policy',
  required: 'Required for this user',
  exempt: 'Exempt this user',
};

/** The user's two-factor override: follow the policy, required, or exempt. */
export function MfaOverrideForm({ action, userId, current }: { action: Action; userId: string; current: MfaOverride }) {
  const [state, formAction, pending] = useActionState(action, undefined);
  const errors = state && !state.ok ? state.fieldErrors?.mfaOverride : undefined;
  const selected = (state && !state.ok ? (state.values?.mfaOverride as MfaOverride | undefined) : undefined) ?? current;
  return (
    <form action={formAction} className="inline-action mfa-override">
      <input type="hidden" name="userId" value={userId} />
      <label htmlFor="mfaOverride">Requirement for this user</label>
      <select
        id="mfaOverride"
        name="mfaOverride"
        key={selected}
        defaultValue={selected}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={errors?.length ? 'mfaOverride-error' : undefined}
        style={{ width: 'auto' }}
      >
        {(Object.keys(OVERRIDE_LABELS) as MfaOverride[]).map((o) => (
          <option key={o} value={o}>
            {OVERRIDE_LABELS[o]}
          </option>
        ))}
      </select>
      <button type="submit" className="button secondary" disabled={pending}>
        Save requirement
      </button>
      {errors?.length ? (
        <p className="error" id="mfaOverride-error">
          {errors.join(' ')}
        </p>
      ) : null}
      <span role="status" className="muted">
        {state?.ok ? state.message : state && !state.ok && state.formError ? state.formError : null}
      </span>
    </form>
  );
}
