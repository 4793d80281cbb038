import type { Metadata } from 'next';
import { requireAdmin } from '@/lib/auth';
import { getAccountSettings } from '@/lib/settings';
import { saveProvisioningAction } from './actions';
import { ProvisioningForm } from './provisioning-form';

export const metadata: Metadata = { title: 'User Provisioning' };

export default async function ProvisioningPage() {
  await requireAdmin();
  const settings = await getAccountSettings();
  return (
    <>
      <p className="muted">Directory Services</p>
      <h1>User Provisioning</h1>
      <p>Choose how new users get access to the VPN. Changes apply to users created or imported from now on.</p>
      <ProvisioningForm action={saveProvisioningAction} initial={settings} />
    </>
  );
}
