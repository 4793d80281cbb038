'use server';

import { redirect } from 'next/navigation';
import { publicAction } from '@/lib/actions';
import { completeSetup } from '@/lib/admins';
import { setupSchema } from '@/lib/admins/schemas';

const REFUSED = {
  closed: 'Setup is already complete: an admin exists. Sign in at /admin/login.',
  used: 'This setup link has already been used.',
  expired: 'This setup link has expired. Restart Onramp to print a new one.',
  invalidated: 'This setup link is no longer valid. Restart Onramp to print a new one.',
  unknown: 'This setup link is not valid. Copy the whole link from the server log.',
} as const;

export const completeSetupAction = publicAction(setupSchema, async (input, { client }) => {
  const result = await completeSetup(input, client);
  if (!result.ok) return { ok: false, formError: REFUSED[result.state] };
  redirect('/admin/login?reason=setup-complete');
});
