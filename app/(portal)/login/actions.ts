'use server';

import { publicAction } from '@/lib/actions';
import { signInSchema } from '@/lib/auth/schemas';
import { runSignIn } from '@/lib/auth/sign-in-action';

export const signInUserAction = publicAction(signInSchema, (input, { client }) => runSignIn('user', input, client));
