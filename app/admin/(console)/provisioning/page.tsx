import type { Metadata } from 'next';
import { requireAdmin } from '@/lib/auth';

export const metadata: Metadata = { title: 'User Provisioning' };

export default async function UserProvisioningPage() {
  await requireAdmin();
  return (
    <>
      <h1>User Provisioning</h1>
      <p>Choose how new users are brought in: invitation emails or registration codes.</p>
      <div className="alert info" role="status">
        This area is not available in this version of Onramp yet.
      </div>
    </>
  );
}
