'use server';

import { revalidatePath } from 'next/cache';
import { adminAction } from '@/lib/actions';
import { updateEventSettings } from '@/lib/settings';
import { eventSettingsSchema } from '@/lib/settings/schemas';

export const saveEventSettingsAction = adminAction(eventSettingsSchema, async (input, { principal, client }) => {
  const { changed } = await updateEventSettings(input, { type: 'admin', id: principal.id, label: principal.email }, client);
  revalidatePath('/admin/events');
  return { ok: true, message: changed.length ? 'Event retention saved.' : 'Nothing changed.' };
});
