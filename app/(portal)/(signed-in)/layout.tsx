import type { ReactNode } from 'react';
import { SignOutButton } from '@/app/_components/sign-out-button';
import { SkipLink } from '@/app/_components/skip-link';
import { requireUser } from '@/lib/auth';
import { getAccountSettings } from '@/lib/settings';
import { signOutUserAction } from './actions';

export default async function PortalLayout({ children }: { children: ReactNode }) {
  await requireUser();
  const settings = await getAccountSettings();
  return (
    <>
      <SkipLink />
      <header className="portal-header">
        <div className="inner">
          <a className="brand" href="/">
            {settings.organisationName} VPN portal
          </a>
          <SignOutButton action={signOutUserAction} />
        </div>
      </header>
      <main className="portal-main" id="main">
        {children}
      </main>
    </>
  );
}
