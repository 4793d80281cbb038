import type { Metadata } from 'next';
import { inspectPasswordResetLink } from '@/lib/password-reset';
import { getAccountSettings } from '@/lib/settings';
import { RESET_LINK_PROBLEMS } from './link-messages';
import { ResetPasswordForm } from './reset-password-form';

export const metadata: Metadata = { title: 'Choose a new password' };

export default async function ResetPasswordPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  // Looks only: opening the link does not use it up.
  const [link, settings] = await Promise.all([inspectPasswordResetLink(token), getAccountSettings()]);
  return (
    <main className="centered" id="main">
      <div className="card narrow">
        <p className="brand">{settings.organisationName}</p>
        {link.state === 'valid' ? (
          <>
            <h1>Choose a new password</h1>
            <p>
              For the account <strong>{link.username}</strong>. Saving it signs you out everywhere else.
            </p>
            <ResetPasswordForm token={token} username={link.username} />
          </>
        ) : (
          <>
            <h1>{RESET_LINK_PROBLEMS[link.state].title}</h1>
            <p>{RESET_LINK_PROBLEMS[link.state].text}</p>
            <p>
              <a href="/forgot-password">Ask for a new link</a> · <a href="/login">Sign in</a>
            </p>
          </>
        )}
      </div>
    </main>
  );
}
