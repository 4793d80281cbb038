import type { Metadata } from 'next';
import { requireUser } from '@/lib/auth';
import { listOwnActivity } from '@/lib/events';
import { ActivityTable } from './activity-table';

export const metadata: Metadata = { title: 'Account activity' };

/** /account/activity: the signed-in user's recent sign-ins, two-factor and password changes, and devices. */
export default async function AccountActivityPage() {
  const user = await requireUser();
  const items = await listOwnActivity(user.id);
  const byAdministrator = items.some((item) => item.by === 'administrator');
  return (
    <>
      <p>
        <a href="/">Back to your account</a>
      </p>
      <h1>Account activity</h1>
      <p>
        Your recent sign-ins, failed sign-ins, two-factor authentication and password changes, and devices. If you don’t recognise
        something, <a href="/account/password">change your password</a> and tell your administrator.
      </p>
      <ActivityTable items={items} />
      {byAdministrator ? (
        <p className="muted activity-note">For changes made by an administrator, their IP address and browser are not shown.</p>
      ) : null}
    </>
  );
}
