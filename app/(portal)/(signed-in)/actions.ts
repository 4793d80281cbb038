'use server';

import { z } from 'zod';
import { userAction } from '@/lib/actions';
import { signOutPrincipal } from '@/lib/auth/sign-out';

export const signOutUserAction = userAction(z.object({}), async (_input, { principal, client }) =>
  signOutPrincipal(principal, client),
);
