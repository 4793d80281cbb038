import { twoFactorPath } from './schemas';

/** The end of every /account/2fa step: its submit button (busy label while pending) and Cancel back to the page. */
export function StepActions({
  pending,
  label,
  pendingLabel,
  autoFocus,
  danger,
}: {
  pending: boolean;
  label: string;
  pendingLabel: string;
  autoFocus?: boolean;
  /** The step's button removes something. */
  danger?: boolean;
}) {
  return (
    <div className="actions-row">
      <button className={danger ? 'button danger' : 'button'} type="submit" disabled={pending} autoFocus={autoFocus}>
        {pending ? pendingLabel : label}
      </button>
      <a className="button secondary" href={twoFactorPath()}>
        Cancel
      </a>
    </div>
  );
}
