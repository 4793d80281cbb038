import 'server-only';
import NextAuth, { CredentialsSignin, type NextAuthConfig } from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import { getEnv } from '@/lib/env';
import { clientInfoFrom } from '@/lib/request';
import { getSsoSignInOptions } from '@/lib/sso';
import { readTrustedBrowserToken } from './mfa-state';
import { SESSION_ABSOLUTE_SECONDS } from './sessions';
import { SignInFailure, verifySignIn } from './sign-in';
import { recordSignIn } from './sign-in-outcome';
import type { Realm, SessionClaims } from './types';

/** Carries our failure code to the sign-in action (next-auth puts `code` on the thrown error). */
class OnrampSignInError extends CredentialsSignin {
  constructor(failure: SignInFailure) {
    super();
    this.code = failure.retryAfterSeconds ? `${failure.code}:${failure.retryAfterSeconds}` : failure.code;
  }
}

function credentialsProvider(realm: Realm) {
  return Credentials({
    id: realm,
    name: realm === 'admin' ? 'Admin' : 'User',
    credentials: { identifier: {}, password: {} },
    async authorize(credentials, request) {
      const identifier = typeof credentials?.identifier === 'string' ? credentials.identifier : '';
      const password = typeof credentials?.password === 'string' ? credentials.password : '';
      if (!identifier || !password) throw new OnrampSignInError(new SignInFailure('invalid'));
      // With single sign-on on and passwords off, users sign in only through the identity provider (admins keep passwords).
      if (realm === 'user' && !(await getSsoSignInOptions()).allowPasswordSignIn) throw new OnrampSignInError(new SignInFailure('sso_only'));
      try {
        const trustedBrowserToken = realm === 'user' ? readTrustedBrowserToken(request.headers.get('cookie')) : undefined;
        const result = await verifySignIn(realm, identifier, password, clientInfoFrom(request.headers), { trustedBrowserToken });
        recordSignIn(result);
        const { mfaState: _mfaState, ...claims } = result;
        return { id: claims.principalId, ...claims };
      } catch (error) {
        if (error instanceof SignInFailure) throw new OnrampSignInError(error);
        throw error;
      }
    },
  });
}

/**
 * What both next-auth instances share (this one for passwords, lib/auth/sso-auth.ts for single
 * sign-on): the secret, cookies and JWT callbacks, so a session either one opens is the same cookie.
 */
export function sharedAuthConfig(): Omit<NextAuthConfig, 'providers' | 'logger'> {
  const env = getEnv();
  const secure = env.APP_URL.startsWith('https://');
  return {
    secret: env.AUTH_SECRET,
    trustHost: true,
    useSecureCookies: secure,
    session: { strategy: 'jwt', maxAge: SESSION_ABSOLUTE_SECONDS },
    pages: { signIn: '/login', error: '/login' },
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          const claims = user as unknown as SessionClaims;
          token.realm = claims.realm;
          token.principalId = claims.principalId;
          token.sessionId = claims.sessionId;
          token.sessionVersion = claims.sessionVersion;
        }
        return token;
      },
      session({ session, token }) {
        return Object.assign(session, {
          claims: {
            realm: token.realm,
            principalId: token.principalId,
            sessionId: token.sessionId,
            sessionVersion: token.sessionVersion,
          },
        });
      },
    },
  };
}

function buildConfig(): NextAuthConfig {
  return {
    ...sharedAuthConfig(),
    providers: [credentialsProvider('admin'), credentialsProvider('user')],
    logger: {
      // next-auth logs a stack for every wrong password; our events already record those.
      error(error) {
        if (error.name === 'CredentialsSignin' || error instanceof CredentialsSignin) return;
        console.error(`[auth] ${error.name}: ${error.message}`);
      },
      warn() {},
      debug() {},
    },
  };
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => buildConfig());

/** The claims of the current request's session cookie, unchecked (see guards for the checks). */
export async function readSessionClaims(): Promise<SessionClaims | undefined> {
  const session = (await auth()) as { claims?: Partial<SessionClaims> } | null;
  const c = session?.claims;
  if (!c?.realm || !c.principalId || !c.sessionId || typeof c.sessionVersion !== 'number') return undefined;
  return c as SessionClaims;
}
