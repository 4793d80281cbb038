import 'server-only';
import { and, eq, isNull, lt, or } from 'drizzle-orm';
import { schema } from '@/db/client';
import { now } from '@/lib/clock';
import { sha256Hex } from '@/lib/crypto';
import { getDb } from '@/lib/db';

export type CredentialProblem = 'invalid_token' | 'device_revoked' | 'user_disabled';

export type CredentialCheck =
  | { ok: true; deviceId: string; user: { email: string; firstName: string; lastName: string } }
  | { ok: false; code: CredentialProblem };

/** lastSeenAt is a hint for admins, not an audit trail: write it at most once a minute per device. */
const LAST_SEEN_RESOLUTION_MS = 60_000;
/** What generateToken(32) produces: 43 base64url characters. Anything else can't match a device. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/**
 * Checks a device's bearer credential on every client call: hash it, join device → user, refuse a
 * revoked device or a disabled user. Nothing is cached, so a revocation applies to the next call.
 */
export async function checkDeviceCredential(token: string): Promise<CredentialCheck> {
  if (!TOKEN_SHAPE.test(token)) return { ok: false, code: 'invalid_token' };
  const d = schema.devices;
  const u = schema.users;
  const [row] = await getDb()
    .select({
      deviceId: d.id,
      revokedAt: d.revokedAt,
      lastSeenAt: d.lastSeenAt,
      userStatus: u.status,
      email: u.email,
      firstName: u.firstName,
      lastName: u.lastName,
    })
    .from(d)
    .innerJoin(u, eq(u.id, d.userId))
    .where(eq(d.credentialHash, sha256Hex(token)));
  if (!row) return { ok: false, code: 'invalid_token' };
  if (row.revokedAt) return { ok: false, code: 'device_revoked' };
  if (row.userStatus === 'disabled') return { ok: false, code: 'user_disabled' };
  await touchDevice(row.deviceId, row.lastSeenAt);
  return { ok: true, deviceId: row.deviceId, user: { email: row.email, firstName: row.firstName, lastName: row.lastName } };
}

async function touchDevice(deviceId: string, lastSeenAt: Date | null): Promise<void> {
  const at = now();
  const staleBefore = new Date(at.getTime() - LAST_SEEN_RESOLUTION_MS);
  if (lastSeenAt && lastSeenAt > staleBefore) return;
  const d = schema.devices;
  await getDb()
    .update(d)
    .set({ lastSeenAt: at })
    .where(and(eq(d.id, deviceId), or(isNull(d.lastSeenAt), lt(d.lastSeenAt, staleBefore))));
}
