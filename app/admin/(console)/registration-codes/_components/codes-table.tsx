'use client';

import { useActionState, useId, useRef, useState, type ReactNode } from 'react';
import { useRouter } from 'next/navigation';
import type { ActionResult } from '@/lib/actions/result';
// Types only (erased at build): the client bundle gets nothing from lib.
import type { RevokeCodesResult, RevokeSkipReason } from '@/lib/registration-codes/revoke-code';
import { usePageSelection } from '@/app/_components/use-page-selection';
import { formatCount } from '../../users/_components/format';
import { codesCount } from './codes-count';
import { ConfirmDialog } from './confirm-dialog';

export interface CodeRow {
  id: string;
  /** Names the row's checkbox, e.g. "the code of Ada Lovelace (ada@example.com) created …". */
  label: string;
  /** Only valid codes can be revoked; other rows have no checkbox. */
  revocable: boolean;
  /** The row's cells after the checkbox, rendered on the server. */
  cells: ReactNode;
}

type RevokeResult = RevokeCodesResult;
type SkipReason = RevokeSkipReason;
export type RevokeCodesAction = (prev: ActionResult<RevokeResult> | undefined, data: FormData) => Promise<ActionResult<RevokeResult>>;

const SKIP_WORDS: Record<SkipReason, string> = { used: 'already used', revoked: 'already revoked', expired: 'expired', not_found: 'no longer exists' };

function outcome(result: ActionResult<RevokeResult>): { tone: string; text: string } {
  if (!result.ok) {
    const message = result.formError ?? Object.values(result.fieldErrors ?? {}).flat().filter(Boolean).join(' ');
    return { tone: 'error', text: message || 'The codes could not be revoked.' };
  }
  const data = result.data ?? { revoked: 0, skipped: [] };
  const counts = new Map<SkipReason, number>();
  for (const s of data.skipped) counts.set(s.reason, (counts.get(s.reason) ?? 0) + 1);
  const skipped = [...counts].map(([reason, n]) => `${formatCount(n)} ${SKIP_WORDS[reason]}`).join(', ');
  return {
    tone: data.skipped.length ? 'warn' : 'success',
    text: `Revoked ${codesCount(data.revoked)}.${skipped ? ` Left as they were: ${skipped}.` : ''}`,
  };
}

/** The codes of one page with a checkbox per valid code, one for the page, and Revoke with a count-stating confirmation. */
export function CodesTable({ rows, headers, caption, action }: { rows: CodeRow[]; headers: ReactNode; caption: string; action: RevokeCodesAction }) {
  const id = useId();
  const router = useRouter();
  const revocable = rows.filter((r) => r.revocable);
  // After a refresh a code may no longer be valid: the hook forgets what can't be revoked any more.
  const { selected, pageBox, allOnPage, toggle, setPage, clear } = usePageSelection(revocable.map((r) => r.id));
  const [confirming, setConfirming] = useState<string[]>();
  const [hint, setHint] = useState('');
  const revokeRef = useRef<HTMLButtonElement>(null);
  const [state, dispatch, pending] = useActionState<ActionResult<RevokeResult> | undefined, FormData>(async (prev, data) => {
    const result = await action(prev, data);
    if (result.ok) {
      clear();
      router.refresh();
    }
    return result;
  }, undefined);

  function open() {
    if (pending) return;
    if (selected.size === 0) {
      setHint('Select at least one valid code first.');
      return;
    }
    setHint('');
    setConfirming(Array.from(selected));
  }

  function closed() {
    setConfirming(undefined);
    revokeRef.current?.focus();
  }

  const result = state ? outcome(state) : undefined;
  return (
    <>
      {revocable.length > 0 ? (
        <div className="bulk-bar" role="group" aria-labelledby={`${id}-count`}>
          <span id={`${id}-count`} className="bulk-count">
            {selected.size === 0 ? 'No codes selected' : `${codesCount(selected.size)} selected`}
          </span>
          <button ref={revokeRef} type="button" className="button danger" onClick={open} aria-disabled={pending || undefined}>
            {pending ? 'Revoking…' : 'Revoke…'}
          </button>
        </div>
      ) : null}
      {confirming ? (
        <ConfirmDialog
          question={`Revoke ${codesCount(confirming.length)}?`}
          detail="They can no longer be used to register a device. Revoked codes stay listed for the audit trail."
          confirmLabel={`Revoke ${codesCount(confirming.length)}`}
          danger
          action={dispatch}
          onClose={closed}
        >
          {confirming.map((codeId) => (
            <input key={codeId} type="hidden" name="ids" value={codeId} />
          ))}
        </ConfirmDialog>
      ) : null}
      <div role="status" className="bulk-status">
        {pending ? <p>Revoking the codes…</p> : hint ? <p>{hint}</p> : result ? <p className={`alert ${result.tone}`}>{result.text}</p> : null}
      </div>
      {rows.length > 0 ? (
        <div className="table-scroll">
          <table className="users-table">
            <caption className="visually-hidden">{caption}</caption>
            <thead>
              <tr>
                <th scope="col" className="select-cell">
                  {revocable.length > 0 ? (
                    <input
                      ref={pageBox}
                      type="checkbox"
                      checked={allOnPage}
                      onChange={(e) => setPage(e.target.checked)}
                      aria-label={`Select all ${codesCount(revocable.length)} that can be revoked on this page`}
                    />
                  ) : (
                    <span className="visually-hidden">Select</span>
                  )}
                </th>
                {headers}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => {
                const checked = selected.has(row.id);
                return (
                  <tr key={row.id} className={checked ? 'selected' : undefined}>
                    <td className="select-cell">
                      {row.revocable ? (
                        <input type="checkbox" checked={checked} onChange={(e) => toggle(row.id, e.target.checked)} aria-label={`Select ${row.label}`} />
                      ) : null}
                    </td>
                    {row.cells}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}
