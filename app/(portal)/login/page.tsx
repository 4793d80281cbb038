import type { Metadata } from 'next';
import { SessionNotice } from '@/app/_components/session-notice';
import { SignInForm } from '@/app/_components/sign-in-form';
import { getAccountSettings } from '@/lib/settings';
import { signInUserAction } from './actions';

export const metadata: Metadata = { title: 'Sign in' };

export default async function UserLoginPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const { reason, next } = await searchParams;
  const settings = await getAccountSettings();
  return (
    <main className="centered" id="main">
      <div className="card narrow">
        <p className="brand">{settings.organisationName}</p>
        <h1>Sign in to the VPN portal</h1>
        <SessionNotice reason={reason} />
        <SignInForm action={signInUserAction} identifierLabel="Email or username" next={next} />
        <p style={{ marginTop: '1rem' }}>
          <a href="/forgot-password">Forgot password?</a>
        </p>
        <p className="muted" style={{ marginTop: '1rem' }}>
          New here? Use the link in your invitation email to activate your account.
        </p>
      </div>
    </main>
  );
}
