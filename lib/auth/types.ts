export type Realm = 'admin' | 'user';

/** none: no second factor needed; pending: password accepted, SMS code still owed; passed: code accepted or browser trusted. */
export type SessionMfaState = 'none' | 'pending' | 'passed';

export interface AdminPrincipal {
  realm: 'admin';
  id: string;
  email: string;
  name: string;
  sessionId: string;
}

export interface UserPrincipal {
  realm: 'user';
  id: string;
  email: string;
  username: string;
  firstName: string;
  lastName: string;
  sessionId: string;
  /** The session's second-factor state: 'pending' until the SMS code is passed (requireUser refuses it). */
  mfaState: SessionMfaState;
}

export type Principal = AdminPrincipal | UserPrincipal;

/** What the JWT carries: references only, re-checked against the database on every request. */
export interface SessionClaims {
  realm: Realm;
  principalId: string;
  sessionId: string;
  sessionVersion: number;
}

export type SessionProblem = 'missing' | 'revoked' | 'idle' | 'expired' | 'disabled' | 'wrong-realm';

export type SignInErrorCode = 'invalid' | 'locked' | 'rate_limited' | 'disabled' | 'sso_only';
