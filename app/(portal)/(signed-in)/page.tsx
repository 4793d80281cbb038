import type { Metadata } from 'next';
import { requireUser } from '@/lib/auth';
import { listUserDevices, type DeviceSummary } from '@/lib/devices/list-devices';
import { getMfaSummary } from '@/lib/mfa/get-mfa-summary';
import { getAccountSettings } from '@/lib/settings';

export const metadata: Metadata = { title: 'Home' };

const PLATFORMS: Record<DeviceSummary['platform'], string> = {
  windows: 'Windows',
  macos: 'macOS',
  linux: 'Linux',
  ios: 'iOS',
  android: 'Android',
};

const formatDate = (date: Date) => new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' }).format(date);

export default async function PortalHome() {
  const user = await requireUser();
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
      </dl>

      <h2>Devices</h2>
      {devices.length === 0 ? (
        <p className="muted">No devices registered yet. Devices you register with a registration code appear here.</p>
      ) : (
        <table>
          <caption className="muted" style={{ textAlign: 'left', paddingBottom: '0.5rem' }}>
            Your registered devices
          </caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Platform</th>
              <th scope="col">Registered</th>
            </tr>
          </thead>
          <tbody>
            {devices.map((d) => (
              <tr key={d.id}>
                <td>{d.name}</td>
                <td>{PLATFORMS[d.platform]}</td>
                <td>
                  <time dateTime={d.registeredAt.toISOString()}>{formatDate(d.registeredAt)}</time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <footer className="portal-footer">
        <a href="/account/2fa">View/Change 2FA Settings</a>
      </footer>
    </>
  );
}
