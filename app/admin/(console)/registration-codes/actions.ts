'use server';

import { revalidatePath } from 'next/cache';
import { adminAction } from '@/lib/actions';
import type { AdminPrincipal } from '@/lib/auth';
import type { Actor } from '@/lib/events';
import { generateCodesForNewUsers, revokeCodes, type RevokeCodesResult } from '@/lib/registration-codes';
import { generateForNewUsersSchema, revokeCodesSchema } from '@/lib/registration-codes/code-list-schemas';

const actorOf = (principal: AdminPrincipal): Actor => ({ type: 'admin', id: principal.id, label: principal.email });

/** Revokes the codes selected on the list; used, expired and missing codes come back as skipped. */
export const revokeCodesAction = adminAction(revokeCodesSchema, async ({ ids }, { principal, client }) => {
  const data: RevokeCodesResult = await revokeCodes(ids, actorOf(principal), client);
  revalidatePath('/admin/registration-codes');
  return { ok: true, data };
});

/** One code for every user who is not disabled and never had one (also offered on User Provisioning). */
export const generateCodesForNewUsersAction = adminAction(generateForNewUsersSchema, async (_input, { principal, client }) => {
  const generated = await generateCodesForNewUsers(actorOf(principal), client);
  revalidatePath('/admin/registration-codes');
  revalidatePath('/admin/provisioning');
  return { ok: true, data: { generated } };
});
