import 'server-only';
import { redirect } from 'next/navigation';
import { readSessionClaims } from './next-auth';
import { safeNextPath } from './schemas';
import { validateSession } from './sessions';
import { VERIFY_PATH } from './verify-paths';
import type { AdminPrincipal, Principal, Realm, SessionProblem, UserPrincipal } from './types';

export const LOGIN_PATH: Record<Realm, string> = { admin: '/admin/login', user: '/login' };
export { VERIFY_PATH };

/** The signed-in principal after every database check, or why there is none. */
export async function getPrincipal(
  expected?: Realm,
): Promise<{ principal: Principal; problem?: undefined } | { principal?: undefined; problem: SessionProblem }> {
  const claims = await readSessionClaims();
  const result = await validateSession(claims, expected);
  return result.ok ? { principal: result.principal } : { problem: result.problem };
}

function loginRedirect(realm: Realm, problem: SessionProblem): never {
  const params = new URLSearchParams();
  if (problem !== 'missing') params.set('reason', problem);
  const query = params.size ? `?${params}` : '';
  redirect(`${LOGIN_PATH[realm]}${query}`);
}

/** Every admin page, action and route calls this first. Anyone else is sent to the admin sign-in. */
export async function requireAdmin(): Promise<AdminPrincipal> {
  const result = await getPrincipal('admin');
  if (!result.principal) loginRedirect('admin', result.problem);
  return result.principal as AdminPrincipal;
}

/**
 * Every portal page, action and route calls this first. Anyone else is sent to the portal sign-in; a
 * session that still owes its SMS code is sent to /login/verify and reaches nothing else.
 */
export async function requireUser(): Promise<UserPrincipal> {
  const result = await getPrincipal('user');
  if (!result.principal) loginRedirect('user', result.problem);
  const user = result.principal as UserPrincipal;
  if (user.mfaState === 'pending') redirect(VERIFY_PATH);
  return user;
}

/**
 * The second sign-in step's pages and actions (/login/verify): only a user session that still owes
 * its SMS code. Anyone else is sent to the portal sign-in; a session that has passed (or never needed
 * the code) is sent on to `next` or the portal home.
 */
export async function requirePendingUser(next?: string): Promise<UserPrincipal> {
  const result = await getPrincipal('user');
  if (!result.principal) loginRedirect('user', result.problem);
  const user = result.principal as UserPrincipal;
  if (user.mfaState !== 'pending') redirect(safeNextPath('user', next));
  return user;
}
