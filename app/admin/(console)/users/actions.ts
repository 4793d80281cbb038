'use server';

import { revalidatePath } from 'next/cache';
import { adminAction } from '@/lib/actions';
import { applyBulkAction, type BulkResult } from '@/lib/users';
import { bulkActionSchema } from '@/lib/users/schemas';
import { userFilterSchema } from '@/lib/users/user-filter';

export const bulkUsersAction = adminAction(bulkActionSchema, async (input, { principal, client }) => {
  const selection = input.scope === 'filter' ? { filter: userFilterSchema.parse(input) } : { ids: input.ids };
  const actor = { type: 'admin' as const, id: principal.id, label: principal.email };
  const data: BulkResult = await applyBulkAction(input.action, selection, actor, client);
  revalidatePath('/admin/users', 'layout');
  if (input.action === 'generate_code') revalidatePath('/admin/registration-codes');
  return { ok: true, data };
});
