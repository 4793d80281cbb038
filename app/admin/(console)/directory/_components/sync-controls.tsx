'use client';

import { useActionState } from 'react';
import { useRouter } from 'next/navigation';
import type { ActionResult } from '@/lib/actions/result';

type Action = (prev: ActionResult | undefined, data: FormData) => Promise<ActionResult>;

/** Sync Now and Dry run. The page shows the run's progress once it is queued. */
export function SyncControls({ action, busy }: { action: Action; busy: boolean }) {
  const router = useRouter();
  const [state, dispatch, pending] = useActionState<ActionResult | undefined, FormData>(async (prev, data) => {
    const result = await action(prev, data);
    router.refresh();
    return result;
  }, undefined);
  return (
    <form action={dispatch} className="stack">
      <div className="actions-row">
        <button type="submit" name="mode" value="sync" className="button" aria-disabled={pending || undefined}>
          Sync Now
        </button>
        <button type="submit" name="mode" value="dry-run" className="button secondary" aria-disabled={pending || undefined}>
          Dry run
        </button>
      </div>
      <p className="hint muted">
        A dry run reads the directory and lists what a sync would create, update, disable and re-enable, without changing anything.
        {busy ? ' A run is in progress: a new request waits for it.' : ''}
      </p>
      <div role="status">
        {pending ? (
          <p>Starting…</p>
        ) : state ? (
          <p className={`alert ${state.ok ? 'success' : 'error'}`}>{state.ok ? state.message : (state.formError ?? 'The run could not be started.')}</p>
        ) : null}
      </div>
    </form>
  );
}
