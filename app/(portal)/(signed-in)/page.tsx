import type { Metadata } from 'next';
import { requireUser } from '@/lib/auth';
import { listUserDevices } from '@/lib/devices/list-devices';
import { getMfaSummary } from '@/lib/mfa/get-mfa-summary';
import { getAccountSettings } from '@/lib/settings';
import { DeviceList } from './devices/device-list';

export const metadata: Metadata = { title: 'Home' };

export default async function PortalHome({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser();
  const { notice } = await searchParams;
  const [settings, devices, mfa] = await Promise.all([getAccountSettings(), listUserDevices(user.id), getMfaSummary(user.id)]);
  const name = `${user.firstName} ${user.lastName}`.trim() || user.username;
  return (
    <>
      <h1>Welcome, {name}</h1>
      <dl className="facts card">
        <dt>Organisation</dt>
        <dd>{settings.organisationName}</dd>
        <dt>Name</dt>
        <dd>{name}</dd>
        <dt>Username</dt>
        <dd>{user.username}</dd>
        <dt>Email</dt>
        <dd>{user.email}</dd>
        <dt>Two-factor authentication</dt>
        <dd>{mfa.enrolled ? `Text message to ${mfa.maskedPhone}` : 'Not set up'}</dd>
        <dt>Password</dt>
        <dd>
          <a href="/account/password">Change password</a>
        </dd>
        <dt>Activity</dt>
        <dd>
          <a href="/account/activity">Recent sign-ins and changes</a>
        </dd>
      </dl>

      <h2>Devices</h2>
      {notice === 'device-revoked' ? (
        <div className="alert success" role="status">
          The device was revoked. Its credential no longer works.
        </div>
      ) : null}
      <DeviceList devices={devices} />
      <p style={{ marginTop: '1rem' }}>
        To add a device, <a href="/register">register it with a registration code</a> from your administrator.
      </p>

      <footer className="portal-footer">
        <a href="/account/2fa">View/Change 2FA Settings</a>
      </footer>
    </>
  );
}
