import type { ReactNode } from 'react';
import { AdminNav } from '@/app/_components/admin-nav';
import { SignOutButton } from '@/app/_components/sign-out-button';
import { SkipLink } from '@/app/_components/skip-link';
import { requireAdmin } from '@/lib/auth';
import { isDevOutboxActive } from '@/lib/outbox';
import { getAccountSettings } from '@/lib/settings';
import { signOutAdminAction } from './actions';

export default async function AdminConsoleLayout({ children }: { children: ReactNode }) {
  const admin = await requireAdmin();
  const settings = await getAccountSettings();
  const groups = [
    { items: [{ href: '/admin', label: 'Overview' }, { href: '/admin/users', label: 'Users' }] },
    {
      label: 'Directory Services',
      items: [
        { href: '/admin/directory', label: 'Directory Services' },
        { href: '/admin/provisioning', label: 'User Provisioning' },
        { href: '/admin/registration-codes', label: 'Registration Codes' },
      ],
    },
    {
      label: 'Security',
      items: [
        { href: '/admin/mfa', label: 'Two-Factor Authentication' },
        { href: '/admin/sso', label: 'Single Sign-On' },
      ],
    },
    {
      label: 'Monitoring',
      items: [
        { href: '/admin/events', label: 'Events' },
        { href: '/admin/sms', label: 'SMS Delivery' },
        ...(isDevOutboxActive() ? [{ href: '/admin/outbox', label: 'Dev outbox' }] : []),
      ],
    },
  ];
  return (
    <>
      <SkipLink />
      <div className="shell">
        <aside className="sidebar">
          <a className="brand" href="/admin">
            Onramp admin
          </a>
          <AdminNav groups={groups} />
        </aside>
        <div>
          <header className="topbar main">
            <span>
              {settings.organisationName} · signed in as <strong>{admin.email}</strong>
            </span>
            <SignOutButton action={signOutAdminAction} />
          </header>
          <main className="main" id="main">
            {children}
          </main>
        </div>
      </div>
    </>
  );
}
