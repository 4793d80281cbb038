import 'server-only';
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { schema } from '@/db/client';
import { now } from '@/lib/clock';
import { getDb, type Executor, type Transaction } from '@/lib/db';
import type { DevicePlatform } from '@/lib/devices/device-platforms';
import { newDeviceCredential } from '@/lib/devices/device-credential';
import { EVENT, writeEvent } from '@/lib/events';
import type { ClientInfo } from '@/lib/request';
import { normaliseCode } from './code-format';
import { codeLookup } from './code-secrets';
import { clipEventText } from './event-text';
import { markCodesExpired } from './expire-codes';
import { queryRows } from '@/lib/db';
import { countRedeemFailure, redeemRetryAfter, redeemWindows, retryAfterFor } from './redeem-limits';

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
 * Registers a device with a one-time code. The common case is one statement, so one round trip
 * (see CLAIM): it reads the failure limits and, within them, claims the code with a conditional
 * UPDATE, so of any number of concurrent attempts exactly one wins; the device, the code's link to
 * it, the activation of an invited user and the events commit with it. A refusal costs more
 * statements (why it failed, its event, the failure counters), which is what a guesser pays.
 */
export async function redeemCode(input: RedeemInput, client: ClientInfo): Promise<RedeemResult> {
  const code = normaliseCode(input.code);
  if (code === undefined) {
    const retryAfterSeconds = await redeemRetryAfter(client.ip);
    if (retryAfterSeconds !== undefined) return { ok: false, code: 'rate_limited', retryAfterSeconds };
    return refused(await refuseFormat(client), client);
  }
  const result = await claimCode(code, input.device, client);
  return result.ok || result.code === 'rate_limited' ? result : refused(result, client);
}

async function refused(result: Refused, client: ClientInfo): Promise<Refused> {
  if (GUESS_FAILURES.has(result.code)) await countRedeemFailure(client.ip);
  return result;
}

async function refuseFormat(client: ClientInfo): Promise<Refused> {
  await recordRefusal(getDb(), 'invalid_code_format', client);
  return { ok: false, code: 'invalid_code_format' };
}

/**
 * The redemption in one statement. `lim` reads both failure counters of the current windows; the
 * claim (DESIGN.md "one winner") only proceeds within them, and is joined to the user so a disabled
 * user's code stays valid. The device, the activation of an invited user (the conditional UPDATE
 * makes a concurrent second code activate nothing) and the events all hang off the claim, so they
 * happen exactly when it does. The counts always come back, with the user when the claim won.
 *   $1 ip key, $2 its window start, $3 its limit, $4 global key, $5 its window start, $6 its limit,
 *   $7 now, $8 lookup, $9 device id, $10 device name, $11 platform, $12 credential hash, $13 ip,
 *   $14 user agent, $15–$20 the three event kinds (type, sub-type).
 */
const CLAIM = `
with lim as (
  select coalesce((select count from rate_limits where key = $1::text and window_start = $2::timestamptz), 0) as ip_count,
         coalesce((select count from rate_limits where key = $4::text and window_start = $5::timestamptz), 0) as global_count
), claimed as (
  update registration_codes rc
     set status = 'used', used_at = $7::timestamptz, device_id = $9::uuid
    from users u, lim
   where rc.lookup = $8::text and rc.status = 'valid' and rc.expires_at > $7::timestamptz
     and u.id = rc.user_id and u.status <> 'disabled'
     and lim.ip_count < $3::int and lim.global_count < $6::int
  returning rc.id, rc.user_id, u.email, u.first_name, u.last_name
), device as (
  insert into devices (id, user_id, name, platform, credential_hash, registration_code_id, created_at)
  select $9::uuid, c.user_id, $10::text, $11::text::device_platform, $12::text, c.id, $7::timestamptz from claimed c
), activated as (
  update users set status = 'active', activated_at = $7::timestamptz, updated_at = $7::timestamptz
    from claimed c
   where users.id = c.user_id and users.status = 'invited'
  returning users.id
), logged as (
  insert into events (occurred_at, type, sub_type, actor_type, actor_id, actor_label, subject_user_id, device_id, ip, user_agent, outcome, details)
  select $7::timestamptz, e.type, e.sub_type, 'client', $9::uuid::text, $10::text, c.user_id, $9::uuid, $13::text, $14::text, 'success', e.details
    from claimed c
    cross join lateral (values
      (1, $15::text, $16::text, jsonb_build_object('registrationId', c.id, 'deviceName', $10::text, 'platform', $11::text)),
      (2, $17::text, $18::text, jsonb_build_object('name', $10::text, 'platform', $11::text, 'registrationId', c.id)),
      (3, $19::text, $20::text, jsonb_build_object('email', c.email, 'via', 'registration code'))
    ) as e(n, type, sub_type, details)
   where e.n < 3 or exists (select 1 from activated a where a.id = c.user_id)
   order by e.n
)
select lim.ip_count as "ipCount", lim.global_count as "globalCount", c.id, c.user_id as "userId",
       c.email, c.first_name as "firstName", c.last_name as "lastName"
  from lim left join claimed c on true`;

interface ClaimRow {
  ipCount: number;
  globalCount: number;
  id: string | null;
  userId: string | null;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
}

async function claimCode(code: string, device: RedeemInput['device'], client: ClientInfo): Promise<RedeemResult> {
  const lookup = codeLookup(code);
  const at = now();
  const windows = redeemWindows(client.ip, at);
  const deviceId = randomUUID();
  const { token, credentialHash } = newDeviceCredential();
  const [row] = await queryRows<ClaimRow>(CLAIM, [
    windows.perIp.key,
    windows.perIp.windowStart.toISOString(),
    windows.perIp.limit,
    windows.global.key,
    windows.global.windowStart.toISOString(),
    windows.global.limit,
    at.toISOString(),
    lookup,
    deviceId,
    device.name,
    device.platform,
    credentialHash,
    clipEventText(client.ip),
    clipEventText(client.userAgent),
    EVENT.codeUsed.type,
    EVENT.codeUsed.subType,
    EVENT.deviceRegistered.type,
    EVENT.deviceRegistered.subType,
    EVENT.userActivated.type,
    EVENT.userActivated.subType,
  ]);
  if (row?.userId) {
    return { ok: true, deviceId, token, user: { email: row.email!, firstName: row.firstName!, lastName: row.lastName! } };
  }
  const retryAfterSeconds = retryAfterFor(windows, Number(row?.ipCount ?? 0), Number(row?.globalCount ?? 0));
  if (retryAfterSeconds !== undefined) return { ok: false, code: 'rate_limited', retryAfterSeconds };
  return getDb().transaction((tx) => explainRefusal(tx, lookup, at, client));
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
