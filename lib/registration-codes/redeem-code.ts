import 'server-only';
import { randomUUID } from 'node:crypto';
import { and, eq, gt, ne } from 'drizzle-orm';
import { schema } from '@/db/client';
import { now } from '@/lib/clock';
import { getDb, type Executor, type Transaction } from '@/lib/db';
import type { DevicePlatform } from '@/lib/devices/device-platforms';
import { insertDevice } from '@/lib/devices/insert-device';
import { EVENT, writeEvent, writeEvents, type Actor } from '@/lib/events';
import type { ClientInfo } from '@/lib/request';
import { normaliseCode } from './code-format';
import { codeLookup } from './code-secrets';
import { markCodesExpired } from './expire-codes';
import { countRedeemFailure, redeemRetryAfter } from './redeem-limits';

export interface RedeemInput {
  /** As the person typed it: case, spaces and hyphens don't matter. */
  code: string;
  device: { name: string; platform: DevicePlatform };
}

export interface RegisteredDevice {
  ok: true;
  deviceId: string;
  /** The device's bearer credential: returned this once, stored only as SHA-256. */
  token: string;
  user: { email: string; firstName: string; lastName: string };
}

export type RedeemRefusal = 'invalid_code_format' | 'code_not_found' | 'code_used' | 'code_expired' | 'code_revoked' | 'user_disabled';

export type RedeemResult =
  | RegisteredDevice
  | { ok: false; code: RedeemRefusal }
  | { ok: false; code: 'rate_limited'; retryAfterSeconds: number };

type Refused = { ok: false; code: RedeemRefusal };

/** Refusals a guesser can cause: they count against the failure limits. */
const GUESS_FAILURES = new Set<RedeemRefusal>(['invalid_code_format', 'code_not_found', 'code_used', 'code_expired', 'code_revoked']);

/**
 * Registers a device with a one-time code. One conditional UPDATE claims the code, so of any number
 * of concurrent attempts exactly one wins; the device, the code's link to it, the activation of an
 * invited user and the events commit with it. Failed attempts are limited per IP and globally, checked before any work is done.
 */
export async function redeemCode(input: RedeemInput, client: ClientInfo): Promise<RedeemResult> {
  const retryAfterSeconds = await redeemRetryAfter(client.ip);
  if (retryAfterSeconds !== undefined) return { ok: false, code: 'rate_limited', retryAfterSeconds };
  const code = normaliseCode(input.code);
  const result = code === undefined ? await refuseFormat(client) : await claimCode(code, input.device, client);
  if (!result.ok && GUESS_FAILURES.has(result.code)) await countRedeemFailure(client.ip);
  return result;
}

async function refuseFormat(client: ClientInfo): Promise<Refused> {
  await recordRefusal(getDb(), 'invalid_code_format', client);
  return { ok: false, code: 'invalid_code_format' };
}

async function claimCode(code: string, device: RedeemInput['device'], client: ClientInfo): Promise<RegisteredDevice | Refused> {
  const rc = schema.registrationCodes;
  const u = schema.users;
  const lookup = codeLookup(code);
  const at = now();
  const deviceId = randomUUID();
  return getDb().transaction(async (tx) => {
    // The claim (DESIGN.md "one winner"), joined to the user so a disabled user's code stays valid.
    // eslint-disable-next-line drizzle/enforce-update-with-where -- the where() follows .from(users) below
    const [claimed] = await tx
      .update(rc)
      .set({ status: 'used', usedAt: at, deviceId })
      .from(u)
      .where(and(eq(rc.lookup, lookup), eq(rc.status, 'valid'), gt(rc.expiresAt, at), eq(u.id, rc.userId), ne(u.status, 'disabled')))
      .returning({ id: rc.id, userId: rc.userId, email: u.email, firstName: u.firstName, lastName: u.lastName });
    if (!claimed) return explainRefusal(tx, lookup, at, client);

    const { token } = await insertDevice(tx, {
      id: deviceId,
      userId: claimed.userId,
      name: device.name,
      platform: device.platform,
      registrationCodeId: claimed.id,
    });
    // An invited user's first device activates the account (codes need no password).
    const activated = await tx
      .update(u)
      .set({ status: 'active', activatedAt: at, updatedAt: at })
      .where(and(eq(u.id, claimed.userId), eq(u.status, 'invited')))
      .returning({ id: u.id });
    const actor: Actor = { type: 'client', id: deviceId, label: device.name };
    const common = { actor, subjectUserId: claimed.userId, deviceId, ip: client.ip, userAgent: client.userAgent };
    await writeEvents(tx, [
      { ...common, kind: EVENT.codeUsed, details: { registrationId: claimed.id, deviceName: device.name, platform: device.platform } },
      { ...common, kind: EVENT.deviceRegistered, details: { name: device.name, platform: device.platform, registrationId: claimed.id } },
      ...(activated.length > 0 ? [{ ...common, kind: EVENT.userActivated, details: { email: claimed.email, via: 'registration code' } }] : []),
    ]);
    return {
      ok: true,
      deviceId,
      token,
      user: { email: claimed.email, firstName: claimed.firstName, lastName: claimed.lastName },
    };
  });
}

/** Why the claim found nothing: reads the code by its lookup. An expired code noticed here is marked so. */
async function explainRefusal(tx: Transaction, lookup: string, at: Date, client: ClientInfo): Promise<Refused> {
  const rc = schema.registrationCodes;
  const [row] = await tx
    .select({ id: rc.id, userId: rc.userId, status: rc.status, expiresAt: rc.expiresAt, userStatus: schema.users.status })
    .from(rc)
    .innerJoin(schema.users, eq(schema.users.id, rc.userId))
    .where(eq(rc.lookup, lookup));
  let reason: RedeemRefusal;
  if (!row) reason = 'code_not_found';
  else if (row.status === 'revoked') reason = 'code_revoked';
  else if (row.status === 'expired') reason = 'code_expired';
  else if (row.status === 'valid' && row.expiresAt <= at) {
    await markCodesExpired(tx, [row.id]);
    reason = 'code_expired';
  } else if (row.status === 'valid' && row.userStatus === 'disabled') reason = 'user_disabled';
  else reason = 'code_used';
  await recordRefusal(tx, reason, client, row);
  return { ok: false, code: reason };
}

/** A Redemption Failed event: the reason and, when the code exists, whose it is — never the code. */
async function recordRefusal(db: Executor, reason: RedeemRefusal, client: ClientInfo, row?: { id: string; userId: string }) {
  await writeEvent(db, {
    kind: EVENT.codeRedeemFailed,
    actor: { type: 'client' },
    outcome: 'failure',
    subjectUserId: row?.userId ?? null,
    ip: client.ip,
    userAgent: client.userAgent,
    details: row ? { reason, registrationId: row.id } : { reason },
  });
}
