'use server';

import { redirect } from 'next/navigation';
import { adminAction } from '@/lib/actions';
import { createManualUser } from '@/lib/users';
import { inputErrorResult } from '@/lib/users/input-error-result';
import { userFormSchema } from '@/lib/users/schemas';

export const createUserAction = adminAction(userFormSchema, async (input, { principal, client }) => {
  let created;
  try {
    created = await createManualUser(input, { type: 'admin', id: principal.id, label: principal.email }, client);
  } catch (error) {
    return inputErrorResult(error);
  }
  const invitation = typeof created.invitation === 'string' ? created.invitation : 'failed';
  const code = created.code === 'not_generated' ? '' : `&code=${created.code}`;
  redirect(`/admin/users/${created.id}?notice=created&invitation=${invitation}${code}`);
});
