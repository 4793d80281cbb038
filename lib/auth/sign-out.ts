import 'server-only';
import { getDb } from '@/lib/db';
import { EVENT, writeEvent } from '@/lib/events';
import type { ClientInfo } from '@/lib/request';
import { LOGIN_PATH } from './guards';
import { signOut } from './next-auth';
import { revokeSession } from './sessions';
import type { Principal } from './types';

/** Ends this session for good (its row is revoked, so a copied cookie dies too) and clears the cookie. */
export async function signOutPrincipal(principal: Principal, client: ClientInfo): Promise<never> {
  await getDb().transaction(async (tx) => {
    await revokeSession(principal.sessionId, tx);
    await writeEvent(tx, {
      kind: EVENT.signOut,
      actor: { type: principal.realm, id: principal.id, label: principal.email },
      subjectUserId: principal.realm === 'user' ? principal.id : null,
      ip: client.ip,
      userAgent: client.userAgent,
    });
  });
  await signOut({ redirectTo: `${LOGIN_PATH[principal.realm]}?reason=signed-out` });
  throw new Error('unreachable: signOut redirects');
}
