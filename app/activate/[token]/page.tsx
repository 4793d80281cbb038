import type { Metadata } from 'next';
import { inspectInvitation } from '@/lib/invitations';
import { getClientInfo } from '@/lib/request';
import { ActivateForm } from './activate-form';
import { ACTIVATION_LINK_PROBLEMS } from './link-messages';

export const metadata: Metadata = { title: 'Activate your account' };

export default async function ActivatePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  // Looks only: opening the link does not use it up.
  const link = await inspectInvitation(token, await getClientInfo());
  return (
    <main className="centered" id="main">
      <div className="card narrow">
        {link.state === 'valid' ? (
          <>
            <p className="brand">{link.organisationName}</p>
            <h1>Activate your VPN account</h1>
            <dl className="facts">
              <dt>Organisation</dt>
              <dd>{link.organisationName}</dd>
              <dt>Username</dt>
              <dd>{link.username}</dd>
            </dl>
            <p style={{ marginTop: '1rem' }}>Choose a password to finish. You will be signed in straight away.</p>
            <ActivateForm token={token} username={link.username} />
          </>
        ) : (
          <>
            <p className="brand">VPN portal</p>
            <h1>{ACTIVATION_LINK_PROBLEMS[link.state].title}</h1>
            <p>{ACTIVATION_LINK_PROBLEMS[link.state].text}</p>
            <p>
              <a href="/login">Go to the sign-in page</a>
            </p>
          </>
        )}
      </div>
    </main>
  );
}
