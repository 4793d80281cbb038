'use client';

import { useActionState, useEffect, useState } from 'react';
import type { ActionResult } from '@/lib/actions/result';

type Action = (prev: ActionResult | undefined, data: FormData) => Promise<ActionResult>;

/** What screen readers hear: every 10 seconds and when the wait is over, not every second. */
function announcement(left: number): string {
  return left > 0 ? `You can ask for a new code in ${Math.ceil(left / 10) * 10} seconds.` : 'You can ask for a new code now.';
}

/**
 * "Resend" after the server's cooldown. The button stays disabled while the countdown (started from
 * the server's figure) runs; the server refuses an early resend anyway.
 */
export function ResendForm({
  action,
  purpose,
  next,
  resendInSeconds,
  label,
}: {
  action: Action;
  purpose: 'sign_in' | 'enrol';
  next?: string;
  resendInSeconds: number;
  label: string;
}) {
  const [state, formAction, pending] = useActionState(action, undefined);
  const [left, setLeft] = useState(resendInSeconds);
  useEffect(() => {
    if (resendInSeconds <= 0) return;
    const deadline = Date.now() + resendInSeconds * 1000;
    const timer = setInterval(() => {
      const remaining = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
      setLeft(remaining);
      if (remaining === 0) clearInterval(timer);
    }, 250);
    return () => clearInterval(timer);
  }, [resendInSeconds]);
  const waiting = left > 0;
  return (
    <form action={formAction} className="resend-form">
      <input type="hidden" name="purpose" value={purpose} />
      {next ? <input type="hidden" name="next" value={next} /> : null}
      <button type="submit" className="button secondary" disabled={pending || waiting} aria-describedby="resend-wait">
        {pending ? 'Sending…' : label}
      </button>
      <p id="resend-wait" className="muted">
        <span aria-hidden="true">{waiting ? `Available in ${left} second${left === 1 ? '' : 's'}.` : ''}</span>
        <span className="visually-hidden" role="status">
          {resendInSeconds > 0 ? announcement(left) : ''}
        </span>
      </p>
      {state && !state.ok && state.formError ? (
        <div className="alert error" role="alert">
          {state.formError}
        </div>
      ) : null}
      {state?.ok && state.message ? (
        <div className="alert success" role="status">
          {state.message}
        </div>
      ) : null}
    </form>
  );
}
