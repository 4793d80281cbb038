import type { Metadata } from 'next';
import { getAccountSettings } from '@/lib/settings';
import { RegisterDeviceForm } from './register-device-form';

export const metadata: Metadata = { title: 'Register a device' };

/** Public: the registration code is what proves who registers. /register?code=… arrives prefilled (a link admins send). */
export default async function RegisterDevicePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { code } = await searchParams;
  const settings = await getAccountSettings();
  return (
    <main className="centered" id="main">
      <div className="card narrow">
        <p className="brand">{settings.organisationName}</p>
        <h1>Register a device</h1>
        <p>Enter the registration code you were given and name the device you are setting up. Each code registers one device.</p>
        <RegisterDeviceForm code={typeof code === 'string' ? code.trim().slice(0, 64) : undefined} />
      </div>
    </main>
  );
}
