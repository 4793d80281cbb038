import 'server-only';
export { requireAdmin, requireUser, getPrincipal, LOGIN_PATH } from './guards';
export { handlers, auth, signIn, signOut } from './next-auth';
export { revokeAllSessions, revokeSession, validateSession, createSession, SESSION_IDLE_SECONDS, SESSION_ABSOLUTE_SECONDS } from './sessions';
export { verifySignIn, SignInFailure, ACCOUNT_FAILURE_LIMIT, IP_FAILURE_LIMIT } from './sign-in';
export type { AdminPrincipal, UserPrincipal, Principal, Realm, SessionClaims, SignInErrorCode } from './types';
