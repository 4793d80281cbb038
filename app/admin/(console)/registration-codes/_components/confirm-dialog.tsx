'use client';

import { useEffect, useId, useRef, type ReactNode } from 'react';

/**
 * A modal confirmation that submits a form action. It opens with focus on Cancel (the safe choice);
 * Cancel, Escape and submitting close it, and `onClose` then gives focus back to the opener.
 * Render it only while confirming: its text is a snapshot of what the admin is asked to confirm.
 */
export function ConfirmDialog({
  question,
  detail,
  confirmLabel,
  danger,
  action,
  onClose,
  children,
}: {
  question: string;
  detail: string;
  confirmLabel: string;
  danger?: boolean;
  action: (data: FormData) => void;
  onClose: () => void;
  /** The form's hidden fields. */
  children?: ReactNode;
}) {
  const id = useId();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog || dialog.open) return;
    dialog.showModal();
    cancelRef.current?.focus();
  }, []);

  return (
    <dialog ref={dialogRef} className="confirm-dialog" aria-labelledby={`${id}-question`} aria-describedby={`${id}-detail`} onClose={onClose}>
      <form action={action} onSubmit={() => dialogRef.current?.close()}>
        <h2 id={`${id}-question`}>{question}</h2>
        <p id={`${id}-detail`}>{detail}</p>
        {children}
        <div className="dialog-buttons">
          <button ref={cancelRef} type="button" className="button secondary" onClick={() => dialogRef.current?.close()}>
            Cancel
          </button>
          <button type="submit" className={danger ? 'button danger' : 'button'}>
            {confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}
