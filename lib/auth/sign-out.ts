import 'server-only';
import type { ClientInfo } from '@/lib/request';
import { endOwnSession } from './end-own-session';
import { LOGIN_PATH } from './guards';
import { signOut } from './next-auth';
import type { Principal } from './types';

/** Ends this session for good (its row is revoked, so a copied cookie dies too) and clears the cookie. */
export async function signOutPrincipal(principal: Principal, client: ClientInfo): Promise<never> {
  await endOwnSession(principal, client);
  await signOut({ redirectTo: `${LOGIN_PATH[principal.realm]}?reason=signed-out` });
  throw new Error('unreachable: signOut redirects');
}
