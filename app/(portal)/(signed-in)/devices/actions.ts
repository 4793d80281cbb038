'use server';

import { redirect } from 'next/navigation';
import { userAction } from '@/lib/actions';
import { revokeDevice } from '@/lib/devices/revoke-device';
import { revokeDeviceSchema } from '@/lib/devices/schemas';

/** The signed-in user revokes one of their own devices; anyone else's reads as not found. */
export const revokeDeviceAction = userAction(revokeDeviceSchema, async ({ deviceId }, { principal, client }) => {
  const actor = { type: 'user', id: principal.id, label: principal.email } as const;
  const result = await revokeDevice(deviceId, actor, client, principal.id);
  if (!result.ok) {
    return {
      ok: false,
      formError:
        result.code === 'device_already_revoked'
          ? 'This device was already revoked.'
          : 'This device is not in your list any more. Reload the page to see your devices.',
    };
  }
  redirect('/?notice=device-revoked');
});
