'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { adminAction } from '@/lib/actions';
import { resetMfa, unlockMfa } from '@/lib/mfa';
import { setMfaOverride } from '@/lib/users';
import { inputErrorResult } from '@/lib/users/input-error-result';
import { mfaOverrideSchema, userIdSchema } from '@/lib/users/schemas';

const adminActor = (principal: { id: string; email: string }) => ({ type: 'admin' as const, id: principal.id, label: principal.email });

// Reset and Unlock remove their own button, so the outcome is a notice at the top of the user page.
export const resetMfaAction = adminAction(userIdSchema, async ({ userId }, { principal, client }) => {
  await resetMfa(userId, adminActor(principal), client);
  redirect(`/admin/users/${userId}?notice=mfa_reset`);
});

export const unlockMfaAction = adminAction(userIdSchema, async ({ userId }, { principal, client }) => {
  const result = await unlockMfa(userId, adminActor(principal), client);
  if (!result.ok) return { ok: false, formError: result.message };
  redirect(`/admin/users/${userId}?notice=mfa_unlocked`);
});

export const setMfaOverrideAction = adminAction<typeof mfaOverrideSchema, void>(mfaOverrideSchema, async ({ userId, mfaOverride }, { principal, client }) => {
  try {
    const { changed } = await setMfaOverride(userId, mfaOverride, adminActor(principal), client);
    revalidatePath(`/admin/users/${userId}`);
    return { ok: true, message: changed ? 'Two-factor requirement saved.' : 'Nothing changed.' };
  } catch (error) {
    return inputErrorResult(error);
  }
});
