'use client';

import { useRouter } from 'next/navigation';
import { useActionState, useEffect, useState } from 'react';
import type { ActionResult } from '@/lib/actions/result';
import { BULK_ACTION_LABELS, type BulkAction } from '@/lib/users/schemas';

type BulkData = { succeeded: number; failed: { reason: string }[]; skipped: { reason: string }[] };

const CONFIRM: Partial<Record<BulkAction, string>> = {
  reset_password: 'Reset the password? The user is signed out everywhere, their registration codes and devices are revoked, and they must activate again.',
  disable: 'Disable this user? They are signed out at once and can no longer sign in or connect.',
  delete: 'Delete this user for good? Their devices and codes are deleted too. Events stay in the log.',
};

/** One action on one user, with an inline confirmation for the destructive ones. */
export function UserActionButton<T extends BulkData>({
  action,
  userId,
  kind,
}: {
  action: (prev: ActionResult<T> | undefined, data: FormData) => Promise<ActionResult<T>>;
  userId: string;
  kind: BulkAction;
}) {
  const [state, formAction, pending] = useActionState(action, undefined);
  const [confirming, setConfirming] = useState(false);
  const router = useRouter();
  useEffect(() => {
    if (state?.ok && kind === 'delete' && state.data?.succeeded) router.push('/admin/users?notice=deleted');
  }, [state, kind, router]);
  const label = BULK_ACTION_LABELS[kind];
  const question = CONFIRM[kind];
  const outcome = state?.ok
    ? state.data?.failed[0]?.reason ?? state.data?.skipped[0]?.reason ?? `${label}: done.`
    : state?.formError ?? (state ? 'The action could not be completed.' : null);
  return (
    <form action={formAction} className="inline-action">
      <input type="hidden" name="action" value={kind} />
      <input type="hidden" name="scope" value="ids" />
      <input type="hidden" name="ids" value={userId} />
      {question && !confirming ? (
        <button type="button" className={`button secondary${kind === 'delete' ? ' danger' : ''}`} onClick={() => setConfirming(true)}>
          {label}
        </button>
      ) : null}
      {question && confirming ? (
        <span role="group" aria-label={`Confirm ${label.toLowerCase()}`} className="confirm">
          <span>{question}</span>
          <button type="submit" className={`button${kind === 'delete' ? ' danger' : ''}`} disabled={pending} autoFocus>
            Yes, {label.toLowerCase()}
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
        {outcome}
      </span>
    </form>
  );
}
