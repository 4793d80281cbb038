import type { UserPrincipal } from '@/lib/auth';
import { describeSsoReauthFailure, type ReauthenticationMethod, type SsoReauthFailure } from '@/lib/sso';
import { ReauthenticateForm } from './reauthenticate-form';
import type { Flow } from './schemas';
import { SsoReauthenticateForm } from './sso-reauthenticate-form';

/** What each flow is about to do, for the sentences around the password (or provider) step. */
const RESET_HELP = 'Ask your administrator to reset your two-factor authentication; you can then set it up again.';
const PURPOSE: Record<Flow, { before: string; needs: string; steps: number; help: string }> = {
  change: { before: 'change the number that receives your sign-in codes', needs: 'changing your number needs', steps: 3, help: RESET_HELP },
  setup: { before: 'set up the number that receives your sign-in codes', needs: 'setting up a number needs', steps: 3, help: 'Ask your administrator for help.' },
  remove: { before: 'remove two-factor authentication from your account', needs: 'removing it needs', steps: 2, help: RESET_HELP },
};

/**
 * Step 1 of every /account/2fa flow: the password again, or a fresh sign-in at the identity provider
 * for users without one. `reason` says the previous confirmation ran out.
 */
export function ConfirmIdentityStep({
  user,
  flow,
  method,
  phone,
  reason,
  ssoError,
}: {
  user: UserPrincipal;
  flow: Flow;
  method: ReauthenticationMethod;
  phone?: string;
  reason?: string;
  ssoError?: SsoReauthFailure;
}) {
  const { before, needs, steps, help } = PURPOSE[flow];
  if (method.method === 'unavailable') {
    return (
      <>
        <h2>Step 1 of {steps}: Confirm it is you</h2>
        <div className="alert warn" role="status">
          Your account has no password, so you cannot confirm it is you here. {help}
        </div>
      </>
    );
  }
  if (method.method === 'sso') {
    return (
      <>
        <h2>Step 1 of {steps}: Confirm it is you</h2>
        {ssoError ? (
          <div className="alert error" role="alert">
            {describeSsoReauthFailure(ssoError, method.providerName)}
          </div>
        ) : null}
        {reason === 'reauth-expired' ? (
          <div className="alert warn" role="status">
            For your security, sign in to {method.providerName} again: {needs} a sign-in in the last 10 minutes.
          </div>
        ) : (
          <p>
            For your security, sign in to {method.providerName} again before you {before}.
          </p>
        )}
        <SsoReauthenticateForm flow={flow} providerName={method.providerName} phone={phone} />
      </>
    );
  }
  return (
    <>
      <h2>Step 1 of {steps}: Confirm your password</h2>
      {reason === 'reauth-expired' ? (
        <div className="alert warn" role="status">
          For your security, enter your password again: {needs} a password entered in the last 10 minutes.
        </div>
      ) : (
        <p>For your security, enter your password before you {before}.</p>
      )}
      <ReauthenticateForm flow={flow} username={user.username} phone={phone} />
    </>
  );
}
