import type { Metadata } from 'next';
import { inspectSetupToken } from '@/lib/admins';
import { SetupForm } from './setup-form';

export const metadata: Metadata = { title: 'Create the first admin' };

const MESSAGES = {
  closed: { title: 'Setup is complete', text: 'An admin already exists, so this link no longer works.' },
  used: { title: 'This setup link was already used', text: 'Each setup link works once.' },
  expired: { title: 'This setup link has expired', text: 'Setup links are valid for one hour. Restart Onramp to print a new one in the server log.' },
  invalidated: { title: 'This setup link is no longer valid', text: 'Restart Onramp to print a new one in the server log.' },
  unknown: { title: 'This setup link is not valid', text: 'Copy the whole link from the server log, or restart Onramp to print a new one.' },
} as const;

export default async function SetupPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const state = await inspectSetupToken(token);
  return (
    <main className="centered" id="main">
      <div className="card narrow">
        <p className="brand">Onramp</p>
        {state === 'valid' ? (
          <>
            <h1>Create the first admin</h1>
            <p>This account manages Onramp. The setup link stops working once it exists.</p>
            <SetupForm token={token} />
          </>
        ) : (
          <>
            <h1>{MESSAGES[state].title}</h1>
            <p>{MESSAGES[state].text}</p>
            <p>
              <a href="/admin/login">Go to the admin sign-in</a>
            </p>
          </>
        )}
      </div>
    </main>
  );
}
