import type { Metadata } from 'next';
import Link from 'next/link';
import { requireAdmin } from '@/lib/auth';
import { countUsersWithoutCodes } from '@/lib/registration-codes';
import { getAccountSettings } from '@/lib/settings';
import { getSsoSignInOptions } from '@/lib/sso';
import { generateCodesForNewUsersAction } from '../registration-codes/actions';
import { GenerateForNewUsers } from '../registration-codes/_components/generate-for-new-users';
import { saveProvisioningAction } from './actions';
import { ProvisioningForm } from './provisioning-form';

export const metadata: Metadata = { title: 'User Provisioning' };

export default async function ProvisioningPage() {
  await requireAdmin();
  const [settings, newUsers, sso] = await Promise.all([getAccountSettings(), countUsersWithoutCodes(), getSsoSignInOptions()]);
  const invitationsOn = settings.provisioningMethod === 'invitation' && (settings.inviteManualUsers || settings.inviteDirectoryUsers);
  return (
    <>
      <p className="muted">Directory Services</p>
      <h1>User Provisioning</h1>
      <p>Choose how new users get access to the VPN. Changes apply to users created or imported from now on.</p>
      {sso.enabled && invitationsOn ? (
        <div className="alert warn" role="note" aria-label="Invitations and single sign-on">
          <p>
            <strong>Single sign-on is on, but invitation emails are still sent.</strong> Users sign in with {sso.providerName}, and their first
            sign-in activates their account, so they do not need an invitation. An invitation asks them to choose an Onramp password they will not
            use{sso.allowPasswordSignIn ? '' : ' (and cannot use: password sign-in is off for users)'}, and confuses them about which sign-in to
            use. Turn off the invitation email checkboxes below.
          </p>
        </div>
      ) : null}
      <ProvisioningForm action={saveProvisioningAction} initial={settings} />
      <h2>Registration codes for existing users</h2>
      <p>
        Users created before the switch to registration codes have none yet. Give one to every user who never had a code, then hand the codes
        over with the download on <Link href="/admin/registration-codes">Registration Codes</Link>.
      </p>
      <GenerateForNewUsers count={newUsers} action={generateCodesForNewUsersAction} />
    </>
  );
}
