import type { Metadata } from 'next';
import { requireAdmin } from '@/lib/auth';

export const metadata: Metadata = { title: 'Directory Services' };

export default async function DirectoryServicesPage() {
  await requireAdmin();
  return (
    <>
      <h1>Directory Services</h1>
      <p>Import users from an LDAP directory and keep them in sync.</p>
      <div className="alert info" role="status">
        This area is not available in this version of Onramp yet.
      </div>
    </>
  );
}
