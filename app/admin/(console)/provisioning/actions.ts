'use server';

import { revalidatePath } from 'next/cache';
import { adminAction } from '@/lib/actions';
import { SettingsRefusedError, updateProvisioningSettings } from '@/lib/settings';
import { provisioningSchema } from '@/lib/settings/schemas';

export const saveProvisioningAction = adminAction(provisioningSchema, async (input, { principal, client }) => {
  let changed: string[];
  try {
    ({ changed } = await updateProvisioningSettings(input, { type: 'admin', id: principal.id, label: principal.email }, client));
  } catch (error) {
    if (!(error instanceof SettingsRefusedError)) throw error;
    return { ok: false, fieldErrors: { [error.field]: [error.message] } };
  }
  revalidatePath('/admin/provisioning');
  return { ok: true, message: changed.length ? 'User Provisioning settings saved.' : 'Nothing changed.' };
});
