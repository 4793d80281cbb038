import { redirect } from 'next/navigation';
import { isRecentlyReauthenticated, type UserPrincipal } from '@/lib/auth';
import { getReauthenticationMethod, type SsoReauthFailure } from '@/lib/sso';
import { ConfirmIdentityStep } from './confirm-identity-step';
import { RemoveFactorForm } from './remove-factor-form';
import { twoFactorPath, type Step } from './schemas';

/**
 * Remove: 1) the password again (or the identity provider's sign-in), skipped when this session
 * confirmed it in the last 10 minutes, 2) what removing means, and the button that does it.
 */
export async function RemoveFlow({ user, step, reason, ssoError }: { user: UserPrincipal; step?: Step; reason?: string; ssoError?: SsoReauthFailure }) {
  const fresh = await isRecentlyReauthenticated(user);
  if (step === 'confirm' && !fresh) redirect(twoFactorPath({ flow: 'remove', step: 'password', reason: 'reauth-expired' }));
  const confirming = fresh && step !== 'password';
  return (
    <div className="narrow">
      <p>
        <a href={twoFactorPath()}>Back to 2FA settings</a>
      </p>
      <h1>Remove two-factor authentication</h1>
      {confirming ? (
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
