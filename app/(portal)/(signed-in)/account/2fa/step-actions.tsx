import { twoFactorPath } from './schemas';

/** The end of every /account/2fa step: its submit button (busy label while pending) and Cancel back to the page. */
export function StepActions({ pending, label, pendingLabel, autoFocus }: { pending: boolean; label: string; pendingLabel: string; autoFocus?: boolean }) {
  return (
    <div className="actions-row">
      <button className="button" type="submit" disabled={pending} autoFocus={autoFocus}>
        {pending ? pendingLabel : label}
      </button>
      <a className="button secondary" href={twoFactorPath()}>
        Cancel
      </a>
    </div>
  );
}
