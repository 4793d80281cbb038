import { getCountries, getCountryCallingCode } from 'libphonenumber-js';
import type { Metadata } from 'next';
import Link from 'next/link';
import { requireAdmin } from '@/lib/auth';
import { getAccountSettings } from '@/lib/settings';
import { saveMfaSettingsAction } from './actions';
import type { CountryOption } from './country-allow-list';
import { MfaSettingsForm } from './mfa-settings-form';

export const metadata: Metadata = { title: 'Two-Factor Authentication' };

function countryOptions(): CountryOption[] {
  const names = new Intl.DisplayNames(['en'], { type: 'region' });
  return getCountries()
    .map((code) => ({ code, name: names.of(code) ?? code, callingCode: getCountryCallingCode(code) }))
    .sort((a, b) => a.name.localeCompare(b.name, 'en'));
}

export default async function MfaSettingsPage() {
  await requireAdmin();
  const settings = await getAccountSettings();
  return (
    <>
      <h1>Two-Factor Authentication</h1>
      <p>
        Users with two-factor authentication enter a code sent to their phone by text message after their password. Each user can also be marked
        “required” or “exempt” on their page under <Link href="/admin/users">Users</Link>.
      </p>
      {settings.provisioningMethod === 'registration_code' ? (
        <div className="alert info" role="note">
          Users get access with registration codes, which don’t support two-factor authentication. SMS can’t be required until{' '}
          <Link href="/admin/provisioning">User Provisioning</Link> uses Invitation Email.
        </div>
      ) : null}
      {settings.smsAllowedCountries.length === 0 ? (
        <div className="alert warn" role="note">
          SMS codes may be sent to any country. Choose the countries your users are in: a list protects against SMS toll fraud, where attackers
          trigger codes to expensive numbers abroad at your cost.
        </div>
      ) : null}
      <MfaSettingsForm action={saveMfaSettingsAction} initial={settings} countries={countryOptions()} />
    </>
  );
}
