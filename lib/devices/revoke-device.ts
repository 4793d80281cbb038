import 'server-only';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { schema } from '@/db/client';
import { now } from '@/lib/clock';
import { getDb, type Executor } from '@/lib/db';
import { EVENT, writeEvents, type Actor } from '@/lib/events';
import type { ClientInfo } from '@/lib/request';

export type RevokeDeviceResult = { ok: true } | { ok: false; code: 'device_not_found' | 'device_already_revoked' };

interface RevokedRow {
  id: string;
  userId: string;
  name: string;
  platform: string;
}

async function recordRevoked(db: Executor, rows: RevokedRow[], actor: Actor, client: ClientInfo, reason?: string) {
  await writeEvents(
    db,
    rows.map((r) => ({
      kind: EVENT.deviceRevoked,
      actor,
      subjectUserId: r.userId,
      deviceId: r.id,
      ip: client.ip,
      userAgent: client.userAgent,
      details: { name: r.name, platform: r.platform, ...(reason ? { reason } : {}) },
    })),
  );
}

const returned = () => ({ id: schema.devices.id, userId: schema.devices.userId, name: schema.devices.name, platform: schema.devices.platform });

/**
 * Revokes one device; its credential stops working on the next call. An admin may revoke any device.
 * A user (actor type 'user') only their own: the owner is then the actor, and someone else's device
 * reads as not found. `ownerUserId` restricts an admin's call the same way (a page scoped to one user).
 */
export async function revokeDevice(
  deviceId: string,
  actor: Actor,
  client: ClientInfo,
  ownerUserId?: string,
): Promise<RevokeDeviceResult> {
  const owner = actor.type === 'user' ? actor.id : ownerUserId;
  if (actor.type === 'user' && !owner) throw new Error('A user actor needs an id to revoke a device.');
  if (!z.uuid().safeParse(deviceId).success || (ownerUserId !== undefined && owner !== ownerUserId)) {
    return { ok: false, code: 'device_not_found' };
  }
  const d = schema.devices;
  const mine = owner ? eq(d.userId, owner) : undefined;
  return getDb().transaction(async (tx) => {
    const rows = await tx
      .update(d)
      .set({ revokedAt: now() })
      .where(and(eq(d.id, deviceId), isNull(d.revokedAt), mine))
      .returning(returned());
    if (rows.length === 0) {
      const [existing] = await tx.select({ revokedAt: d.revokedAt }).from(d).where(and(eq(d.id, deviceId), mine));
      return { ok: false, code: existing ? 'device_already_revoked' : 'device_not_found' };
    }
    await recordRevoked(tx, rows, actor, client);
    return { ok: true };
  });
}

const CHUNK = 1000;

/**
 * Revokes every live device of one or more users (an admin's password reset), with a Revoked event
 * each that says why. Pass the caller's transaction so the reset and the revocations commit
 * together. Works in chunks, so any number of users is fine. Returns how many were revoked.
 */
export async function revokeUserDevices(
  db: Executor,
  userIds: string | readonly string[],
  actor: Actor,
  client: ClientInfo,
  reason?: string,
): Promise<number> {
  const d = schema.devices;
  const ids = typeof userIds === 'string' ? [userIds] : userIds;
  let revoked = 0;
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await db
      .update(d)
      .set({ revokedAt: now() })
      .where(and(inArray(d.userId, ids.slice(i, i + CHUNK)), isNull(d.revokedAt)))
      .returning(returned());
    await recordRevoked(db, rows, actor, client, reason);
    revoked += rows.length;
  }
  return revoked;
}
