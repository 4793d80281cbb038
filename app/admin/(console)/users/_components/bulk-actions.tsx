'use client';

import { useActionState, useEffect, useId, useRef, useState } from 'react';
import { useRouter } from 'next/navigation';
import type { ActionResult } from '@/lib/actions/result';
import type { UserFilter } from '@/lib/users/user-filter';
import { BULK_ACTIONS, BULK_ACTION_LABELS, type BulkAction } from '@/lib/users/schemas';
import { BulkOutcomeLists, BulkSummary, type BulkUsersResult } from './bulk-result';
import { usersCount } from './format';

export type BulkUsersAction = (prev: ActionResult<BulkUsersResult> | undefined, data: FormData) => Promise<ActionResult<BulkUsersResult>>;

/** What the admin confirms: a snapshot taken when the dialog opens. */
export interface BulkSelection {
  scope: 'ids' | 'filter';
  ids: string[];
  filter: UserFilter;
  count: number;
}

const CONFIRM: Record<BulkAction, { question: (users: string) => string; detail: string; danger?: boolean }> = {
  resend_invitation: {
    question: (users) => `Resend the invitation to ${users}?`,
    detail: 'Each invited user gets a new invitation email. Active and disabled users are skipped.',
  },
  generate_code: {
    question: (users) => `Generate a registration code for ${users}?`,
    detail: 'Each user gets a new one-time registration code for a device.',
  },
  reset_password: {
    question: (users) => `Reset the password of ${users}?`,
    detail: 'Their passwords stop working, they are signed out, and they must activate their accounts again.',
    danger: true,
  },
  disable: {
    question: (users) => `Disable ${users}?`,
    detail: 'They are signed out at once and cannot sign in until they are enabled again.',
    danger: true,
  },
  enable: { question: (users) => `Enable ${users}?`, detail: 'They can sign in again.' },
  delete: {
    question: (users) => `Delete ${users}?`,
    detail: 'Only manually created users are deleted: users from Directory Services are skipped. Deleting cannot be undone.',
    danger: true,
  },
};

/**
 * The bulk action bar: choose an action, Apply, confirm in a modal dialog. The dialog states the
 * exact number of users; Escape or Cancel closes it and gives focus back to Apply.
 */
export function BulkActions({
  selection,
  action,
  onDone,
  showBar,
}: {
  selection: BulkSelection;
  action: BulkUsersAction;
  onDone: () => void;
  /** False when the list is empty: only the last result stays. */
  showBar: boolean;
}) {
  const router = useRouter();
  const id = useId();
  const [kind, setKind] = useState<BulkAction>(BULK_ACTIONS[0]);
  const [confirming, setConfirming] = useState<{ kind: BulkAction; selection: BulkSelection }>();
  const [applied, setApplied] = useState<BulkAction>();
  const [hint, setHint] = useState('');
  const dialogRef = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const applyRef = useRef<HTMLButtonElement>(null);
  const [state, dispatch, pending] = useActionState<ActionResult<BulkUsersResult> | undefined, FormData>(async (prev, data) => {
    const result = await action(prev, data);
    if (result.ok) {
      onDone();
      router.refresh();
    }
    return result;
  }, undefined);

  function open() {
    if (pending) return;
    if (selection.count === 0) {
      setHint('Select at least one user first.');
      return;
    }
    setHint('');
    setConfirming({ kind, selection });
  }

  // Opens the dialog once its content is rendered, with focus on the safe choice.
  useEffect(() => {
    const dialog = dialogRef.current;
    if (!confirming || !dialog || dialog.open) return;
    dialog.showModal();
    cancelRef.current?.focus();
  }, [confirming]);

  function closed() {
    setConfirming(undefined);
    applyRef.current?.focus();
  }

  const copy = confirming ? CONFIRM[confirming.kind] : undefined;
  const users = confirming ? usersCount(confirming.selection.count) : '';
  return (
    <div className="bulk-actions">
      <div className="bulk-bar" role="group" aria-labelledby={`${id}-label`} hidden={!showBar}>
        <span id={`${id}-label`} className="bulk-count">
          {selection.count === 0 ? 'No users selected' : `${usersCount(selection.count)} selected`}
        </span>
        <label htmlFor={`${id}-action`}>Action</label>
        <select id={`${id}-action`} value={kind} onChange={(e) => setKind(e.target.value as BulkAction)}>
          {BULK_ACTIONS.map((a) => (
            <option key={a} value={a}>
              {BULK_ACTION_LABELS[a]}
            </option>
          ))}
        </select>
        <button ref={applyRef} type="button" className="button" onClick={open} aria-disabled={pending || undefined}>
          {pending ? 'Applying…' : 'Apply…'}
        </button>
      </div>
      <dialog
        ref={dialogRef}
        className="confirm-dialog"
        aria-labelledby={confirming ? `${id}-question` : undefined}
        aria-describedby={confirming ? `${id}-detail` : undefined}
        onClose={closed}
      >
        {confirming && copy ? (
          <form
            action={dispatch}
            onSubmit={() => {
              setApplied(confirming.kind);
              dialogRef.current?.close();
            }}
          >
            <h2 id={`${id}-question`}>{copy.question(users)}</h2>
            <p id={`${id}-detail`}>{copy.detail}</p>
            <SelectionFields kind={confirming.kind} selection={confirming.selection} />
            <div className="dialog-buttons">
              <button ref={cancelRef} type="button" className="button secondary" onClick={() => dialogRef.current?.close()}>
                Cancel
              </button>
              <button type="submit" className={copy.danger ? 'button danger' : 'button'}>
                {`${BULK_ACTION_LABELS[confirming.kind]}: ${users}`}
              </button>
            </div>
          </form>
        ) : null}
      </dialog>
      <div role="status" className="bulk-status">
        {pending ? <p>Applying the action…</p> : hint ? <p>{hint}</p> : state && applied ? <BulkSummary action={applied} result={state} /> : null}
      </div>
      {!pending && !hint && state?.ok && state.data ? <BulkOutcomeLists result={state.data} /> : null}
    </div>
  );
}

/** The hidden fields of bulkUsersAction: the action, and either the ids or the filter. */
function SelectionFields({ kind, selection }: { kind: BulkAction; selection: BulkSelection }) {
  return (
    <>
      <input type="hidden" name="action" value={kind} />
      <input type="hidden" name="scope" value={selection.scope} />
      {selection.scope === 'ids'
        ? selection.ids.map((userId) => <input key={userId} type="hidden" name="ids" value={userId} />)
        : Object.entries(selection.filter).map(([name, value]) => (value ? <input key={name} type="hidden" name={name} value={String(value)} /> : null))}
    </>
  );
}
