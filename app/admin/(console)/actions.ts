'use server';

import { z } from 'zod';
import { adminAction } from '@/lib/actions';
import { signOutPrincipal } from '@/lib/auth/sign-out';

export const signOutAdminAction = adminAction(z.object({}), async (_input, { principal, client }) =>
  signOutPrincipal(principal, client),
);
