'use client';

import { useActionState, useRef, useState } from 'react';
import { useRouter } from 'next/navigation';
import type { ActionResult } from '@/lib/actions/result';
import { formatCount, usersCount } from '../../users/_components/format';
import { codesCount } from './codes-count';
import { ConfirmDialog } from './confirm-dialog';

export type GenerateForNewUsersAction = (
  prev: ActionResult<{ generated: number }> | undefined,
  data: FormData,
) => Promise<ActionResult<{ generated: number }>>;

function outcome(result: ActionResult<{ generated: number }>): { tone: string; text: string } {
  if (!result.ok) return { tone: 'error', text: result.formError ?? 'The codes could not be generated.' };
  const generated = result.data?.generated ?? 0;
  return generated === 0
    ? { tone: 'info', text: 'No codes were generated: every user who is not disabled already had one.' }
    : { tone: 'success', text: `Generated ${codesCount(generated)}.` };
}

/**
 * "Generate Registration Code For New Users": one code for every user who is not disabled and never
 * had one. The confirmation states how many users that is (counted when the page was rendered).
 */
export function GenerateForNewUsers({ count, action }: { count: number; action: GenerateForNewUsersAction }) {
  const router = useRouter();
  const [confirming, setConfirming] = useState<number>();
  const [hint, setHint] = useState('');
  const buttonRef = useRef<HTMLButtonElement>(null);
  const [state, dispatch, pending] = useActionState<ActionResult<{ generated: number }> | undefined, FormData>(async (prev, data) => {
    const result = await action(prev, data);
    if (result.ok) router.refresh();
    return result;
  }, undefined);

  function open() {
    if (pending) return;
    if (count === 0) {
      setHint('Every user who is not disabled already had a registration code: there is nothing to generate.');
      return;
    }
    setHint('');
    setConfirming(count);
  }

  const result = state ? outcome(state) : undefined;
  return (
    <div className="generate-codes">
      <button ref={buttonRef} type="button" className="button" onClick={open} aria-disabled={pending || undefined}>
        {pending ? 'Generating…' : 'Generate Registration Code For New Users'}
      </button>
      {confirming !== undefined ? (
        <ConfirmDialog
          question={confirming === 1 ? 'Generate a code for 1 user who never had one?' : `Generate codes for ${usersCount(confirming)} who never had one?`}
          detail="Each user who is not disabled and never had a registration code gets one. Users who had a code before, whatever became of it, get none."
          confirmLabel={`Generate ${confirming === 1 ? '1 code' : `${formatCount(confirming)} codes`}`}
          action={dispatch}
          onClose={() => {
            setConfirming(undefined);
            buttonRef.current?.focus();
          }}
        >
          <input type="hidden" name="confirm" value="generate" />
        </ConfirmDialog>
      ) : null}
      <div role="status" className="bulk-status">
        {pending ? <p>Generating registration codes…</p> : hint ? <p>{hint}</p> : result ? <p className={`alert ${result.tone}`}>{result.text}</p> : null}
      </div>
    </div>
  );
}
