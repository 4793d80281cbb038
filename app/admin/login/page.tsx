import type { Metadata } from 'next';
import { SessionNotice } from '@/app/_components/session-notice';
import { SignInForm } from '@/app/_components/sign-in-form';
import { signInAdminAction } from './actions';

export const metadata: Metadata = { title: 'Admin sign-in' };

export default async function AdminLoginPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const { reason, next } = await searchParams;
  return (
    <main className="centered" id="main">
      <div className="card narrow">
        <p className="brand">Onramp</p>
        <h1>Admin console sign-in</h1>
        <SessionNotice reason={reason} />
        <SignInForm action={signInAdminAction} identifierLabel="Email" next={next} />
        <p className="muted" style={{ marginTop: '1rem' }}>
          VPN users sign in at the <a href="/login">user portal</a>.
        </p>
      </div>
    </main>
  );
}
