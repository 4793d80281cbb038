import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { requireAdmin } from '@/lib/auth';
import { getAccountSettings } from '@/lib/settings';
import { getUserDetail } from '@/lib/users';
import { UserForm } from '../../_form/user-form';
import { updateUserAction } from './actions';

export const metadata: Metadata = { title: 'Edit user' };

export default async function EditUserPage({ params }: { params: Promise<{ id: string }> }) {
  await requireAdmin();
  const { id } = await params;
  const user = /^[0-9a-f-]{36}$/i.test(id) ? await getUserDetail(id) : undefined;
  if (!user) notFound();
  const settings = await getAccountSettings();
  const directory = user.source === 'directory';
  return (
    <>
      <p>
        <Link href={`/admin/users/${user.id}`}>← {user.email}</Link>
      </p>
      <h1>Edit user</h1>
      {directory ? (
        <div className="alert info" role="note">
          This user comes from the directory. Change their details in the directory; the next sync brings them here.
        </div>
      ) : null}
      <UserForm
        action={updateUserAction}
        userId={user.id}
        initial={{ firstName: user.firstName, lastName: user.lastName, email: user.email, username: user.username, phone: user.phoneE164 }}
        defaultCountry={settings.defaultPhoneCountry}
        submitLabel="Save changes"
        readOnly={directory}
      />
    </>
  );
}
