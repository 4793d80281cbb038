'use server';

import { revalidatePath } from 'next/cache';
import { adminAction } from '@/lib/actions';
import { updateProvisioningSettings } from '@/lib/settings';
import { provisioningSchema } from '@/lib/settings/schemas';

export const saveProvisioningAction = adminAction(provisioningSchema, async (input, { principal, client }) => {
  const { changed } = await updateProvisioningSettings(input, { type: 'admin', id: principal.id, label: principal.email }, client);
  revalidatePath('/admin/provisioning');
  return { ok: true, message: changed.length ? 'User Provisioning settings saved.' : 'Nothing changed.' };
});
