'use server';

import { revalidatePath } from 'next/cache';
import { adminAction } from '@/lib/actions';
import { saveSsoSettings, SsoSettingsError, ssoSettingsSchema, testSsoProvider, type SsoTestResult } from '@/lib/sso';

const asFieldErrors = (errors: Record<string, string>) => Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, [v]]));

/** Saves the single sign-on settings; an empty client secret keeps the stored one. Switching on checks the provider first. */
export const saveSsoSettingsAction = adminAction(ssoSettingsSchema, async (input, { principal, client }) => {
  let changed: string[];
  try {
    ({ changed } = await saveSsoSettings(input, { type: 'admin', id: principal.id, label: principal.email }, client));
  } catch (error) {
    if (!(error instanceof SsoSettingsError)) throw error;
    return { ok: false, fieldErrors: asFieldErrors(error.fieldErrors) };
  }
  revalidatePath('/admin/sso');
  revalidatePath('/admin/provisioning');
  return { ok: true, message: changed.length ? 'Single sign-on settings saved.' : 'Nothing changed.' };
});

/** Test: fetches the discovery document of the issuer on the form (nothing is saved) and reports what it found. */
export const testSsoProviderAction = adminAction(ssoSettingsSchema, async (input) => {
  const data: SsoTestResult = await testSsoProvider(input);
  return { ok: true, data };
});
