import type { Metadata } from 'next';
import { requireAdmin } from '@/lib/auth';

export const metadata: Metadata = { title: 'Registration Codes' };

export default async function RegistrationCodesPage() {
  await requireAdmin();
  return (
    <>
      <h1>Registration Codes</h1>
      <p>Generate, download and revoke one-time device registration codes.</p>
      <div className="alert info" role="status">
        This area is not available in this version of Onramp yet.
      </div>
    </>
  );
}
