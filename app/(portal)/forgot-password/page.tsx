import type { Metadata } from 'next';
import { connection } from 'next/server';
import { getAccountSettings } from '@/lib/settings';
import { getSsoSignInOptions } from '@/lib/sso';
import { ForgotPasswordForm } from './forgot-password-form';

export const metadata: Metadata = { title: 'Forgot password' };

export default async function ForgotPasswordPage() {
  await connection(); // rendered per request: the organisation name comes from the database
  const [settings, sso] = await Promise.all([getAccountSettings(), getSsoSignInOptions()]);
  return (
    <main className="centered" id="main">
      <div className="card narrow">
        <p className="brand">{settings.organisationName}</p>
        <h1>Forgot your password?</h1>
        {sso.allowPasswordSignIn ? (
          <>
            <p>Enter the email address of your VPN account. We will email you a link to choose a new password.</p>
            <ForgotPasswordForm />
          </>
        ) : (
          <p>
            You sign in with {sso.providerName}: your password is managed there, not here. Use {sso.providerName}’s own password reset, then{' '}
            <a href="/login">sign in</a>.
          </p>
        )}
      </div>
    </main>
  );
}
