import type { Metadata } from 'next';
import Link from 'next/link';
import { requireAdmin } from '@/lib/auth';
import { getAccountSettings } from '@/lib/settings';
import { UserForm } from '../_form/user-form';
import { createUserAction } from './actions';

export const metadata: Metadata = { title: 'Create user' };

export default async function NewUserPage() {
  await requireAdmin();
  const settings = await getAccountSettings();
  const invites = settings.provisioningMethod === 'invitation' && settings.inviteManualUsers;
  return (
    <>
      <p>
        <Link href="/admin/users">← Users</Link>
      </p>
      <h1>Create user</h1>
      <p className="muted">
        {invites
          ? 'The user gets an invitation email to activate their account and choose a password.'
          : settings.provisioningMethod === 'invitation'
            ? 'Invitation emails for new users are off (User Provisioning); send one from the user’s page when ready.'
            : 'This account provisions users with registration codes.'}
      </p>
      <UserForm action={createUserAction} defaultCountry={settings.defaultPhoneCountry} submitLabel="Create user" />
    </>
  );
}
