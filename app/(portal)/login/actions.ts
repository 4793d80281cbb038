'use server';

import { publicAction } from '@/lib/actions';
import { signInSchema } from '@/lib/auth/schemas';
import { runSignIn } from '@/lib/auth/sign-in-action';
import { startSsoSignIn } from '@/lib/auth/sso-auth';
import { startSsoSignInSchema } from '@/lib/sso/schemas';

export const signInUserAction = publicAction(signInSchema, (input, { client }) => runSignIn('user', input, client));

/** "Sign in with <provider>": off to the organisation's identity provider (public: the person is not signed in yet). */
export const startSsoSignInAction = publicAction(startSsoSignInSchema, ({ next }) => startSsoSignIn(next));
