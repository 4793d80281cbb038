'use server';

import { revalidatePath } from 'next/cache';
import { adminAction } from '@/lib/actions';
import { SettingsRefusedError, updateMfaSettings } from '@/lib/settings';
import { mfaSettingsSchema } from '@/lib/settings/schemas';

export const saveMfaSettingsAction = adminAction(mfaSettingsSchema, async (input, { principal, client }) => {
  let changed: string[];
  try {
    ({ changed } = await updateMfaSettings(input, { type: 'admin', id: principal.id, label: principal.email }, client));
  } catch (error) {
    if (!(error instanceof SettingsRefusedError)) throw error;
    return { ok: false, fieldErrors: { [error.field]: [error.message] } };
  }
  revalidatePath('/admin/mfa');
  return { ok: true, message: changed.length ? 'Two-Factor Authentication settings saved.' : 'Nothing changed.' };
});
