import type { Metadata } from 'next';
import { requireUser } from '@/lib/auth';
import { ChangePasswordForm } from './change-password-form';

export const metadata: Metadata = { title: 'Change password' };

export default async function ChangePasswordPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const user = await requireUser();
  const { changed } = await searchParams;
  return (
    <div className="narrow">
      <p>
        <a href="/">Back to your account</a>
      </p>
      <h1>Change password</h1>
      {changed ? (
        <div className="alert success" role="status">
          Your password was changed. Every other browser and device signed in to the portal was signed out.
        </div>
      ) : (
        <p>Changing your password signs you out everywhere else; this browser stays signed in.</p>
      )}
      <ChangePasswordForm username={user.username} />
    </div>
  );
}
