import 'server-only';
import { and, eq, gt, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { schema } from '@/db/client';
import { now } from '@/lib/clock';
import { getDb, type Executor } from '@/lib/db';
import { EVENT, writeEvents, type Actor } from '@/lib/events';
import type { ClientInfo } from '@/lib/request';
import { markCodesExpired } from './expire-codes';

export type RevokeCodeResult = { ok: true } | { ok: false; code: 'code_not_found' | 'code_not_valid'; status?: 'used' | 'revoked' | 'expired' };

/** Why a code was left as it was: it is no longer valid (its status), or there is no such code. */
export type RevokeSkipReason = 'used' | 'revoked' | 'expired' | 'not_found';

export interface RevokeCodesResult {
  revoked: number;
  skipped: { id: string; reason: RevokeSkipReason }[];
}

const CHUNK = 1000;
const isUuid = (id: string) => z.uuid().safeParse(id).success;

/**
 * Revokes these codes so they can't be redeemed, in one transaction with a Revoked event each; the
 * rows stay for the audit trail. Only valid, unexpired codes are revoked: the others are reported as
 * skipped with their status, and a valid code whose time is up is marked expired on the way (as the
 * sweep would), since that is what the admin saw.
 */
export async function revokeCodes(codeIds: string[], actor: Actor, client: ClientInfo): Promise<RevokeCodesResult> {
  const unique = [...new Set(codeIds)];
  const ids = unique.filter(isUuid);
  const skipped: RevokeCodesResult['skipped'] = unique.filter((id) => !isUuid(id)).map((id) => ({ id, reason: 'not_found' }));
  const rc = schema.registrationCodes;
  const revoked = await getDb().transaction(async (tx) => {
    const at = now();
    let n = 0;
    for (let i = 0; i < ids.length; i += CHUNK) {
      const part = ids.slice(i, i + CHUNK);
      const rows = await tx
        .update(rc)
        .set({ status: 'revoked', revokedAt: at })
        .where(and(inArray(rc.id, part), eq(rc.status, 'valid'), gt(rc.expiresAt, at)))
        .returning({ id: rc.id, userId: rc.userId });
      await writeEvents(tx, revokedEvents(rows, actor, client));
      n += rows.length;
      const done = new Set(rows.map((r) => r.id));
      const rest = part.filter((id) => !done.has(id));
      if (rest.length === 0) continue;
      const existing = await tx.select({ id: rc.id, status: rc.status }).from(rc).where(inArray(rc.id, rest));
      const lapsed = existing.filter((r) => r.status === 'valid').map((r) => r.id);
      await markCodesExpired(tx, lapsed);
      const statusOf = new Map(existing.map((r) => [r.id, r.status === 'valid' ? 'expired' : r.status] as const));
      for (const id of rest) skipped.push({ id, reason: statusOf.get(id) ?? 'not_found' });
    }
    return n;
  });
  return { revoked, skipped };
}

/** Revokes one valid code (see revokeCodes). Used, expired or revoked codes are left as they are. */
export async function revokeCode(codeId: string, actor: Actor, client: ClientInfo): Promise<RevokeCodeResult> {
  const { revoked, skipped } = await revokeCodes([codeId], actor, client);
  if (revoked === 1) return { ok: true };
  const reason = skipped[0]?.reason ?? 'not_found';
  return reason === 'not_found' ? { ok: false, code: 'code_not_found' } : { ok: false, code: 'code_not_valid', status: reason };
}

/**
 * Revokes every valid code these users hold (an admin reset their password, say), with a Revoked
 * event each that gives the reason. Runs in the caller's transaction. Returns how many it revoked.
 */
export async function revokeUserCodes(tx: Executor, userIds: string[], actor: Actor, client: ClientInfo, reason: string): Promise<number> {
  if (userIds.length === 0) return 0;
  const rc = schema.registrationCodes;
  const rows = await tx
    .update(rc)
    .set({ status: 'revoked', revokedAt: now() })
    .where(and(inArray(rc.userId, userIds), eq(rc.status, 'valid')))
    .returning({ id: rc.id, userId: rc.userId });
  await writeEvents(tx, revokedEvents(rows, actor, client, reason));
  return rows.length;
}

function revokedEvents(rows: { id: string; userId: string }[], actor: Actor, client: ClientInfo, reason?: string) {
  return rows.map((r) => ({
    kind: EVENT.codeRevoked,
    actor,
    subjectUserId: r.userId,
    ip: client.ip,
    userAgent: client.userAgent,
    details: reason ? { registrationId: r.id, reason } : { registrationId: r.id },
  }));
}
