import type { Metadata } from 'next';
import { requireUser } from '@/lib/auth';
import { getAccountSettings } from '@/lib/settings';

export const metadata: Metadata = { title: 'Home' };

export default async function PortalHome() {
  const user = await requireUser();
  const settings = await getAccountSettings();
  const name = `${user.firstName} ${user.lastName}`.trim() || user.username;
  return (
    <>
      <h1>Welcome, {name}</h1>
      <dl className="facts card">
        <dt>Account</dt>
        <dd>{settings.organisationName}</dd>
        <dt>Username</dt>
        <dd>{user.username}</dd>
        <dt>Email</dt>
        <dd>{user.email}</dd>
      </dl>
      <h2>Devices</h2>
      <p className="muted">Devices you register with a registration code will be listed here.</p>
      <footer className="portal-footer">
        <p className="muted">Two-factor settings will be available here once your administrator enables them.</p>
      </footer>
    </>
  );
}
