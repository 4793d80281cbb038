import type { Metadata } from 'next';
import { requireAdmin } from '@/lib/auth';
import { ssoCallbackUrl } from '@/lib/auth/sso-auth';
import { getSsoSettings } from '@/lib/sso';
import { saveSsoSettingsAction, testSsoProviderAction } from './actions';
import { SsoSettingsForm } from './_components/sso-settings-form';

export const metadata: Metadata = { title: 'Single Sign-On' };

/** Single sign-on for users with the organisation's OpenID Connect provider. */
export default async function SsoSettingsPage() {
  await requireAdmin();
  const settings = await getSsoSettings();
  const callbackUrl = ssoCallbackUrl();
  return (
    <>
      <h1>Single Sign-On</h1>
      <p>
        Let VPN users sign in with your organisation’s identity provider (OpenID Connect: Okta, Microsoft Entra ID, Keycloak, Google…). Users are
        matched by email address; the first sign-in of an invited user activates the account, so invitation emails are not needed.
      </p>
      {!settings.configured ? <p className="alert info">Single sign-on is not configured yet. Fill in the provider, test it, then switch it on and save.</p> : null}
      {settings.configured ? (
        <p className={`alert ${settings.enabled ? 'success' : 'info'}`} role="status">
          {settings.enabled ? `Single sign-on is on: users see “Sign in with ${settings.providerName}”.` : 'Single sign-on is off.'}
        </p>
      ) : null}
      <SsoSettingsForm initial={settings} callbackUrl={callbackUrl} saveAction={saveSsoSettingsAction} testAction={testSsoProviderAction} />
    </>
  );
}
