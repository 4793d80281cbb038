import 'server-only';
import { getDb } from '@/lib/db';
import { EVENT, writeEvent } from '@/lib/events';
import type { ClientInfo } from '@/lib/request';
import { revokeSession } from './sessions';
import type { Principal } from './types';

/**
 * The database side of signing out: this session's row is revoked (so a copied cookie dies too) and
 * Sign-Out is recorded, in one transaction. signOutPrincipal (sign-out.ts) then clears the cookie.
 */
export async function endOwnSession(principal: Principal, client: ClientInfo): Promise<void> {
  await getDb().transaction(async (tx) => {
    await revokeSession(principal.sessionId, tx);
    await writeEvent(tx, {
      kind: EVENT.signOut,
      actor: { type: principal.realm, id: principal.id, label: principal.email },
      subjectUserId: principal.realm === 'user' ? principal.id : null,
      ip: client.ip,
      userAgent: client.userAgent,
      details: { sessionId: principal.sessionId },
    });
  });
}
