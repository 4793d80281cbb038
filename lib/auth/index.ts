import 'server-only';
export { requireAdmin, requireUser, requirePendingUser, getPrincipal, LOGIN_PATH, VERIFY_PATH } from './guards';
export { handlers, auth, signIn, signOut } from './next-auth';
export { endUserSessions, revokeAllSessions, revokeSession, validateSession, createSession, SESSION_IDLE_SECONDS, SESSION_ABSOLUTE_SECONDS } from './sessions';
export { verifySignIn, SignInFailure, ACCOUNT_FAILURE_LIMIT, IP_FAILURE_LIMIT, type SignInResult } from './sign-in';
export type { AdminPrincipal, UserPrincipal, Principal, Realm, SessionClaims, SessionMfaState, SignInErrorCode } from './types';
export { reauthenticate, isRecentlyReauthenticated, clearReauthentication, REAUTHENTICATION_VALID_SECONDS, type ReauthenticateResult } from './reauthenticate';
