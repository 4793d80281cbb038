'use client';

import { useActionState, useRef, useState } from 'react';
import { useRouter } from 'next/navigation';
import type { ActionResult } from '@/lib/actions/result';
import { ConfirmDialog } from '../../registration-codes/_components/confirm-dialog';
import { formatCount, usersCount } from '../../users/_components/format';

type Action = (prev: ActionResult | undefined, data: FormData) => Promise<ActionResult>;

/** Apply anyway for a run held at the safety limit, behind a confirmation that states how many users get disabled. */
export function ApplyAnyway({ runId, wouldDisable, action }: { runId: string; wouldDisable: number; action: Action }) {
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const [state, dispatch, pending] = useActionState<ActionResult | undefined, FormData>(async (prev, data) => {
    const result = await action(prev, data);
    router.refresh();
    return result;
  }, undefined);
  return (
    <div className="apply-anyway">
      <button ref={buttonRef} type="button" className="button danger" onClick={() => !pending && setConfirming(true)} aria-disabled={pending || undefined}>
        {pending ? 'Applying…' : 'Apply anyway…'}
      </button>
      {confirming ? (
        <ConfirmDialog
          question={`Apply anyway and disable ${usersCount(wouldDisable)}?`}
          detail={`A new sync reads the directory again and applies the changes, disabling up to ${formatCount(wouldDisable)} ${wouldDisable === 1 ? 'user' : 'users'} who are no longer in it (never deleted; they are enabled again if they come back). If it would disable more, it stops again.`}
          confirmLabel={`Disable ${usersCount(wouldDisable)}`}
          danger
          action={dispatch}
          onClose={() => {
            setConfirming(false);
            buttonRef.current?.focus();
          }}
        >
          <input type="hidden" name="runId" value={runId} />
        </ConfirmDialog>
      ) : null}
      <div role="status">
        {pending ? <p>Approving…</p> : state ? <p className={`alert ${state.ok ? 'success' : 'error'}`}>{state.ok ? state.message : (state.formError ?? 'It could not be applied.')}</p> : null}
      </div>
    </div>
  );
}
