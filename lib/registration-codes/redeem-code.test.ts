import { and, eq, sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rowsOf, schema } from '@/db/client';
import { resetClock, setClock } from '@/lib/clock';
import { sha256Hex } from '@/lib/crypto';
import { getDb } from '@/lib/db';
import { SYSTEM_ACTOR } from '@/lib/events';
import { incrementCounter } from '@/lib/rate-limit';
import { insertTestUser } from '@/lib/testing/factories';
import { formatCode, normaliseCode } from './code-format';
import { redeemCode, type RedeemResult } from './redeem-code';
import { REDEEM_COUNTER_KEYS, REDEEM_LIMITS } from './redeem-limits';
import { revokeCode } from './revoke-code';
import { generateTestCode, TEST_CLIENT } from './testing';

// 15 seconds into a minute, and into an hour: the rate-limit windows have 45 s and 3,585 s left.
const T0 = new Date('2030-05-06T10:00:15.000Z');
const DAY_MS = 86_400_000;

beforeEach(() => setClock(T0));
afterEach(() => resetClock());

/** Every code this file issues, to prove none of them ever lands in the database or an event in plain text. */
const issued: string[] = [];
async function codeFor(userId: string) {
  const code = await generateTestCode(userId);
  issued.push(code.code);
  return code;
}

let ipCounter = 0;
/** A new IP per call unless given: keeps the per-IP limit out of tests that are not about it. */
const freshIp = () => `198.51.100.${++ipCounter}`;
const device = { name: "Alice's laptop", platform: 'windows' } as const;
const redeem = (code: string, ip = freshIp()) => redeemCode({ code, device }, { ip, userAgent: 'vitest' });

async function codeRow(id: string) {
  const [row] = await getDb().select().from(schema.registrationCodes).where(eq(schema.registrationCodes.id, id));
  return row!;
}

async function eventsOf(subType: string) {
  return getDb().select().from(schema.events).where(and(eq(schema.events.type, 'Registration Code'), eq(schema.events.subType, subType)));
}

function expectRefused(result: RedeemResult, code: string) {
  expect(result).toEqual({ ok: false, code });
}

describe('redeeming a code', () => {
  it('registers a device, returns its token once, and stores only the token hash', async () => {
    const user = await insertTestUser({ firstName: 'Alice', lastName: 'Liddell' });
    const { id, code } = await codeFor(user.id);
    const result = await redeem(` ${code.toLowerCase().replace(/-/g, ' ')} `, '192.0.2.10');
    if (!result.ok) throw new Error(`expected a device, got ${result.code}`);
    expect(result.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(result.user).toEqual({ email: user.email, firstName: 'Alice', lastName: 'Liddell' });

    expect(await codeRow(id)).toMatchObject({ status: 'used', usedAt: T0, deviceId: result.deviceId });
    const [stored] = await getDb().select().from(schema.devices).where(eq(schema.devices.id, result.deviceId));
    expect(stored).toMatchObject({ userId: user.id, name: "Alice's laptop", platform: 'windows', registrationCodeId: id, revokedAt: null });
    expect(stored!.credentialHash).toBe(sha256Hex(result.token));

    const events = await getDb().select().from(schema.events).where(eq(schema.events.deviceId, result.deviceId));
    expect(events.map((e) => [e.type, e.subType]).sort()).toEqual([
      ['Device', 'Registered'],
      ['Registration Code', 'Used'],
    ]);
    for (const e of events) {
      expect(e).toMatchObject({ actorType: 'client', subjectUserId: user.id, ip: '192.0.2.10', userAgent: 'vitest', outcome: 'success' });
    }
    expect(JSON.stringify(events)).not.toContain(result.token);

    expectRefused(await redeem(code), 'code_used');
  });

  it('registers a device for an invited user (codes need no password) and activates them, with an Activated event', async () => {
    const invited = await insertTestUser({ status: 'invited' });
    const result = await redeem((await codeFor(invited.id)).code, '192.0.2.20');
    if (!result.ok) throw new Error(`expected a device, got ${result.code}`);
    const [row] = await getDb().select().from(schema.users).where(eq(schema.users.id, invited.id));
    expect(row).toMatchObject({ status: 'active', activatedAt: T0, updatedAt: T0, passwordHash: null });
    const events = await getDb().select().from(schema.events).where(eq(schema.events.deviceId, result.deviceId));
    expect(events.map((e) => [e.type, e.subType]).sort()).toEqual([
      ['Device', 'Registered'],
      ['Registration Code', 'Used'],
      ['User', 'Activated'],
    ]);
    const activated = events.find((e) => e.subType === 'Activated')!;
    expect(activated).toMatchObject({ actorType: 'client', actorId: result.deviceId, subjectUserId: invited.id, ip: '192.0.2.20' });
    expect(activated.details).toEqual({ email: invited.email, via: 'registration code' });

    // A second device later: the user is already active, so no second activation.
    const second = await redeem((await codeFor(invited.id)).code);
    if (!second.ok) throw new Error(`expected a device, got ${second.code}`);
    const activations = await getDb()
      .select()
      .from(schema.events)
      .where(and(eq(schema.events.subjectUserId, invited.id), eq(schema.events.subType, 'Activated')));
    expect(activations).toHaveLength(1);
  });

  it('refuses a disabled user and keeps the code', async () => {

    const disabled = await insertTestUser({ status: 'disabled', disabledAt: T0 });
    // generateCodes skips disabled users, so give the code first and disable after.
    await getDb().update(schema.users).set({ status: 'active' }).where(eq(schema.users.id, disabled.id));
    const { id, code } = await codeFor(disabled.id);
    await getDb().update(schema.users).set({ status: 'disabled' }).where(eq(schema.users.id, disabled.id));
    const ip = freshIp();
    expectRefused(await redeem(code, ip), 'user_disabled');
    expect((await codeRow(id)).status).toBe('valid');
    expect(await getDb().select().from(schema.devices).where(eq(schema.devices.userId, disabled.id))).toEqual([]);
    // Not a guess: it doesn't count against the failure limits.
    expect(await getDb().select().from(schema.rateLimits).where(eq(schema.rateLimits.key, REDEEM_COUNTER_KEYS.ip(ip)))).toEqual([]);
  });

  it('says why a code was refused and records a Redemption Failed event without the code', async () => {
    const user = await insertTestUser();
    const revoked = await codeFor(user.id);
    expect(await revokeCode(revoked.id, SYSTEM_ACTOR, TEST_CLIENT)).toEqual({ ok: true });
    const before = (await eventsOf('Redemption Failed')).length;

    expectRefused(await redeem('ABCD-EFGH-JKO0'), 'invalid_code_format');
    expectRefused(await redeem('2345-6789-ABCD'), 'code_not_found');
    expectRefused(await redeem(revoked.code), 'code_revoked');

    const failed = (await eventsOf('Redemption Failed')).slice(before);
    expect(failed.map((e) => e.details)).toEqual([
      { reason: 'invalid_code_format' },
      { reason: 'code_not_found' },
      { reason: 'code_revoked', registrationId: revoked.id },
    ]);
    expect(failed.every((e) => e.outcome === 'failure' && e.actorType === 'client')).toBe(true);
    expect(failed[2]!.subjectUserId).toBe(user.id);
  });

  it('lets exactly one of 50 parallel redemptions of a code win', async () => {
    const user = await insertTestUser();
    const { id, code } = await codeFor(user.id);
    const results = await Promise.all(Array.from({ length: 50 }, () => redeem(code)));
    const winners = results.filter((r) => r.ok);
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.code === 'code_used')).toHaveLength(49);
    const devices = await getDb().select().from(schema.devices).where(eq(schema.devices.userId, user.id));
    expect(devices).toHaveLength(1);
    expect((await codeRow(id)).deviceId).toBe(devices[0]!.id);
    expect((await eventsOf('Used')).filter((e) => e.subjectUserId === user.id)).toHaveLength(1);
  });
});

describe('expiry', () => {
  it('accepts a code 1 ms before it expires and refuses it at its expiry, marking it expired', async () => {
    const user = await insertTestUser();
    const early = await codeFor(user.id);
    const late = await codeFor(user.id);
    expect(early.expiresAt).toEqual(new Date(T0.getTime() + 7 * DAY_MS));

    setClock(new Date(early.expiresAt.getTime() - 1));
    expect((await redeem(early.code)).ok).toBe(true);

    setClock(late.expiresAt);
    expectRefused(await redeem(late.code), 'code_expired');
    expect((await codeRow(late.id)).status).toBe('expired');
    const expired = (await eventsOf('Expired')).filter((e) => e.subjectUserId === user.id);
    expect(expired.map((e) => e.details)).toEqual([{ registrationId: late.id, expiresAt: late.expiresAt.toISOString() }]);
    // Refused again from its status, and no second Expired event.
    expectRefused(await redeem(late.code), 'code_expired');
    expect((await eventsOf('Expired')).filter((e) => e.subjectUserId === user.id)).toHaveLength(1);
  });
});

describe('failure limits', () => {
  it('allows 10 failures a minute per IP, then refuses before doing any work', async () => {
    const user = await insertTestUser();
    const { id, code } = await codeFor(user.id);
    const ip = '192.0.2.99';
    for (let i = 0; i < REDEEM_LIMITS.perIp.limit - 1; i++) await incrementCounter(REDEEM_COUNTER_KEYS.ip(ip), REDEEM_LIMITS.perIp.windowSeconds);

    expectRefused(await redeem('2345-6789-ABCD', ip), 'code_not_found'); // the 10th failure
    const failedBefore = (await eventsOf('Redemption Failed')).length;
    expect(await redeem(code, ip)).toEqual({ ok: false, code: 'rate_limited', retryAfterSeconds: 45 });
    // The right code was not even looked at: still valid, no device, no event.
    expect((await codeRow(id)).status).toBe('valid');
    expect((await eventsOf('Redemption Failed')).length).toBe(failedBefore);
    // Another IP is not affected, and the next minute this one may try again.
    expectRefused(await redeem('2345-6789-ABCD'), 'code_not_found');
    setClock(new Date(T0.getTime() + 45_000));
    expect((await redeem(code, ip)).ok).toBe(true);
  });

  it('allows 1,000 failures an hour across all IPs, then refuses everyone', async () => {
    // Its own hour, so the other tests' failures don't count here.
    const start = new Date(T0.getTime() + DAY_MS);
    setClock(start);
    const user = await insertTestUser();
    const { id, code } = await codeFor(user.id);
    const { limit, windowSeconds } = REDEEM_LIMITS.global;
    for (let i = 0; i < limit - 1; i += 100) {
      await Promise.all(Array.from({ length: Math.min(100, limit - 1 - i) }, () => incrementCounter(REDEEM_COUNTER_KEYS.global, windowSeconds)));
    }
    expectRefused(await redeem('2345-6789-ABCD'), 'code_not_found'); // the 1,000th failure
    expect(await redeem(code)).toEqual({ ok: false, code: 'rate_limited', retryAfterSeconds: 3_585 });
    expect((await codeRow(id)).status).toBe('valid');
    setClock(new Date(start.getTime() + 3_585_000));
    expect((await redeem(code)).ok).toBe(true);
  });
});

describe('secrecy at rest', () => {
  it('no code appears in plain text in any table the flows write', async () => {
    expect(issued.length).toBeGreaterThan(5);
    for (const table of ['registration_codes', 'devices', 'events', 'rate_limits', 'users']) {
      const text = rowsOf<{ row: string }>(await getDb().execute(sql.raw(`select t::text as row from ${table} t`)))
        .map((r) => r.row)
        .join('\n')
        .toUpperCase();
      expect(text.length).toBeGreaterThan(0);
      for (const code of issued) {
        expect(text, table).not.toContain(code);
        expect(text, table).not.toContain(normaliseCode(code)!);
      }
    }
    expect(issued.every((c) => c === formatCode(normaliseCode(c)!))).toBe(true);
  });
});
