import 'server-only';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { schema } from '@/db/client';
import { now } from '@/lib/clock';
import { getDb } from '@/lib/db';
import { EVENT, writeEvent, type Actor } from '@/lib/events';
import type { ClientInfo } from '@/lib/request';

export type RevokeCodeResult = { ok: true } | { ok: false; code: 'code_not_found' | 'code_not_valid'; status?: 'used' | 'revoked' | 'expired' };

/** Revokes a valid code so it can't be redeemed; the row stays for the audit trail. Used, expired or revoked codes are left as they are. */
export async function revokeCode(codeId: string, actor: Actor, client: ClientInfo): Promise<RevokeCodeResult> {
  if (!z.uuid().safeParse(codeId).success) return { ok: false, code: 'code_not_found' };
  const rc = schema.registrationCodes;
  return getDb().transaction(async (tx) => {
    const [row] = await tx
      .update(rc)
      .set({ status: 'revoked', revokedAt: now() })
      .where(and(eq(rc.id, codeId), eq(rc.status, 'valid')))
      .returning({ id: rc.id, userId: rc.userId });
    if (!row) {
      const [existing] = await tx.select({ status: rc.status }).from(rc).where(eq(rc.id, codeId));
      if (!existing) return { ok: false, code: 'code_not_found' };
      return { ok: false, code: 'code_not_valid', status: existing.status === 'valid' ? 'revoked' : existing.status };
    }
    await writeEvent(tx, {
      kind: EVENT.codeRevoked,
      actor,
      subjectUserId: row.userId,
      ip: client.ip,
      userAgent: client.userAgent,
      details: { registrationId: row.id },
    });
    return { ok: true };
  });
}
