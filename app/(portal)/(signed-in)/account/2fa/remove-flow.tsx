import type { UserPrincipal } from '@/lib/auth';
import { getReauthenticationMethod, type SsoReauthFailure } from '@/lib/sso';
import { ConfirmIdentityStep } from './confirm-identity-step';
import { RemoveFactorForm } from './remove-factor-form';
import { twoFactorPath, type Step } from './schemas';

/**
 * Remove: 1) the password again (or the identity provider's sign-in), 2) what removing means, and the
 * button that does it (the page chooses the step: stepToShow).
 */
export async function RemoveFlow({ user, step, reason, ssoError }: { user: UserPrincipal; step: Step; reason?: string; ssoError?: SsoReauthFailure }) {
  return (
    <div className="narrow">
      <p>
        <a href={twoFactorPath()}>Back to 2FA settings</a>
      </p>
      <h1>Remove two-factor authentication</h1>
      {step !== 'password' ? (
        <>
          <h2>Step 2 of 2: Remove it</h2>
          <p>Signing in will only need your password until you set two-factor authentication up again. Browsers you chose to remember are forgotten.</p>
          <RemoveFactorForm />
        </>
      ) : (
        <ConfirmIdentityStep user={user} flow="remove" method={await getReauthenticationMethod(user.id)} reason={reason} ssoError={ssoError} />
      )}
    </div>
  );
}
