import type { ReactNode } from 'react';
import { SignOutButton } from '@/app/_components/sign-out-button';
import { signOutPendingAction } from './actions';

/** The frame of the second sign-in step: organisation, the step, and a way out to another account. */
export function VerifyCard({ organisationName, title, children }: { organisationName: string; title: string; children: ReactNode }) {
  return (
    <main className="centered" id="main">
      <div className="card narrow verify-card">
        <p className="brand">{organisationName}</p>
        <h1>{title}</h1>
        {children}
        <div className="verify-sign-out">
          <p className="muted">Not you, or want to use another account?</p>
          <SignOutButton action={signOutPendingAction} />
        </div>
      </div>
    </main>
  );
}
