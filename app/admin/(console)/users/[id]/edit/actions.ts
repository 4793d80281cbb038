'use server';

import { redirect } from 'next/navigation';
import { z } from 'zod';
import { adminAction } from '@/lib/actions';
import { updateManualUser } from '@/lib/users';
import { inputErrorResult } from '@/lib/users/input-error-result';
import { userFormSchema } from '@/lib/users/schemas';

export const updateUserAction = adminAction(userFormSchema.extend({ userId: z.uuid() }), async (input, { principal, client }) => {
  try {
    await updateManualUser(input.userId, input, { type: 'admin', id: principal.id, label: principal.email }, client);
  } catch (error) {
    return inputErrorResult(error);
  }
  redirect(`/admin/users/${input.userId}?notice=updated`);
});
