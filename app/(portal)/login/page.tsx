import type { Metadata } from 'next';
import { SessionNotice } from '@/app/_components/session-notice';
import { SignInForm } from '@/app/_components/sign-in-form';
import { SsoSignInButton } from '@/app/_components/sso-sign-in-button';
import { getAccountSettings } from '@/lib/settings';
import { describeSsoFailure, getSsoSignInOptions, isSsoFailureReason } from '@/lib/sso';
import { signInUserAction, startSsoSignInAction } from './actions';

export const metadata: Metadata = { title: 'Sign in' };

export default async function UserLoginPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const { reason, next, sso_error: ssoError } = await searchParams;
  const [settings, sso] = await Promise.all([getAccountSettings(), getSsoSignInOptions()]);
  return (
    <main className="centered" id="main">
      <div className="card narrow">
        <p className="brand">{settings.organisationName}</p>
        <h1>Sign in to the VPN portal</h1>
        <SessionNotice reason={reason} />
        {isSsoFailureReason(ssoError) ? (
          <div className="alert error" role="alert">
            {describeSsoFailure(ssoError, sso.providerName)}
          </div>
        ) : null}
        {sso.enabled ? <SsoSignInButton action={startSsoSignInAction} providerName={sso.providerName} next={next} /> : null}
        {sso.allowPasswordSignIn ? (
          <>
            {sso.enabled ? (
              <p className="muted" style={{ marginTop: '1rem' }}>
                Or sign in with your password:
              </p>
            ) : null}
            <SignInForm action={signInUserAction} identifierLabel="Email or username" next={next} />
            <p style={{ marginTop: '1rem' }}>
              <a href="/forgot-password">Forgot password?</a>
            </p>
            <p className="muted" style={{ marginTop: '1rem' }}>
              New here? Use the link in your invitation email to activate your account.
            </p>
          </>
        ) : (
          <p className="muted" style={{ marginTop: '1rem' }}>
            New here? Sign in with {sso.providerName}: your first sign-in activates your VPN account.
          </p>
        )}
      </div>
    </main>
  );
}
