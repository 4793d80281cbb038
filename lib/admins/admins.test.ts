import { eq, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { schema } from '@/db/client';
import { createSession, validateSession } from '@/lib/auth/sessions';
import { advanceClock, resetClock } from '@/lib/clock';
import { sha256Hex } from '@/lib/crypto';
import { getDb } from '@/lib/db';
import { verifyPassword } from '@/lib/passwords';
import {
  AdminInputError,
  completeSetup,
  countAdmins,
  inspectSetupToken,
  issueSetupToken,
  SETUP_LINK_TTL_SECONDS,
  upsertAdmin,
} from '.';

const PASSWORD = 'first-admin-password-42';
const CLIENT = { ip: '203.0.113.20', userAgent: 'SetupBrowser/1.0' };

const allEvents = () => getDb().select().from(schema.events).orderBy(schema.events.id);
const allAdmins = () => getDb().select().from(schema.admins);
const kinds = (events: { type: string; subType: string }[]) => events.map((e) => `${e.type}/${e.subType}`);

/** Each test starts with no admins, no tokens and no events (the file shares one database). */
afterEach(async () => {
  resetClock();
  await getDb().transaction(async (tx) => {
    // The events table refuses TRUNCATE unless the retention switch is on for the transaction.
    await tx.execute(sql`select set_config('onramp.event_retention', 'on', true)`);
    await tx.execute(sql`truncate auth_sessions, single_use_tokens, events, admins cascade`);
  });
});

describe('first-admin setup', () => {
  it('issues a setup token while no admin exists, and opening it does not use it', async () => {
    const issued = await issueSetupToken();
    expect(issued).toBeDefined();
    expect(issued!.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(issued!.expiresAt.getTime() - Date.now()).toBeGreaterThan((SETUP_LINK_TTL_SECONDS - 60) * 1000);
    expect(issued!.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(SETUP_LINK_TTL_SECONDS * 1000);

    expect(kinds(await allEvents())).toEqual(['Admin/Setup Link Issued']);
    const [row] = await getDb().select().from(schema.singleUseTokens);
    expect(row).toMatchObject({ purpose: 'setup', tokenHash: sha256Hex(issued!.token), usedAt: null });

    expect(await inspectSetupToken(issued!.token)).toBe('valid');
    expect(await inspectSetupToken(issued!.token)).toBe('valid');
    const [after] = await getDb().select().from(schema.singleUseTokens);
    expect(after!.usedAt).toBeNull();
  });

  it('creates the first admin and closes setup for good', async () => {
    const earlier = await issueSetupToken();
    const issued = await issueSetupToken();
    expect(earlier!.token).not.toBe(issued!.token);

    const result = await completeSetup(
      { token: issued!.token, email: '  Owner@Example.com ', name: '  Olive Owner ', password: PASSWORD },
      CLIENT,
    );
    expect(result).toEqual({ ok: true, adminId: expect.any(String) });
    const adminId = (result as { adminId: string }).adminId;

    const admins = await allAdmins();
    expect(admins).toHaveLength(1);
    expect(admins[0]).toMatchObject({ id: adminId, email: 'Owner@Example.com', name: 'Olive Owner', sessionVersion: 1 });
    expect(admins[0]!.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(admins[0]!.passwordHash, PASSWORD)).toBe(true);

    const events = (await allEvents()).filter((e) => e.subType !== 'Setup Link Issued');
    expect(events).toEqual([
      expect.objectContaining({
        type: 'Admin',
        subType: 'Created',
        actorType: 'admin',
        actorId: adminId,
        actorLabel: 'Owner@Example.com',
        ip: CLIENT.ip,
        userAgent: CLIENT.userAgent,
        outcome: 'success',
        details: { adminId, email: 'Owner@Example.com', via: 'setup link' },
      }),
      expect.objectContaining({ type: 'Admin', subType: 'Setup Completed', actorId: adminId, ip: CLIENT.ip, userAgent: CLIENT.userAgent }),
    ]);
    expect(JSON.stringify(await allEvents())).not.toContain(PASSWORD);
    expect(JSON.stringify(await allEvents())).not.toContain(issued!.token);

    // The same token, and one issued earlier, are refused from now on.
    expect(await inspectSetupToken(issued!.token)).toBe('closed');
    expect(await inspectSetupToken(earlier!.token)).toBe('closed');
    const eventCount = (await allEvents()).length;
    expect(await completeSetup({ token: issued!.token, email: 'again@example.com', name: 'Again', password: PASSWORD }, CLIENT)).toEqual({
      ok: false,
      state: 'closed',
    });
    expect(await completeSetup({ token: earlier!.token, email: 'other@example.com', name: 'Other', password: PASSWORD }, CLIENT)).toEqual({
      ok: false,
      state: 'closed',
    });
    expect(await countAdmins()).toBe(1);
    expect((await allEvents()).length).toBe(eventCount);

    // Every other setup token was invalidated too, and no new one is issued.
    const tokens = await getDb().select().from(schema.singleUseTokens);
    expect(tokens.filter((t) => t.usedAt === null && t.invalidatedAt === null)).toEqual([]);
    expect(await issueSetupToken()).toBeUndefined();
  });

  it('refuses an expired token and writes nothing', async () => {
    const issued = await issueSetupToken();
    advanceClock((SETUP_LINK_TTL_SECONDS - 60) * 1000);
    expect(await inspectSetupToken(issued!.token)).toBe('valid');
    advanceClock(2 * 60_000); // 61 minutes in all
    expect(await inspectSetupToken(issued!.token)).toBe('expired');

    const eventsBefore = await allEvents();
    const result = await completeSetup({ token: issued!.token, email: 'late@example.com', name: 'Late', password: PASSWORD }, CLIENT);
    expect(result).toEqual({ ok: false, state: 'expired' });
    expect(await countAdmins()).toBe(0);
    expect(await allEvents()).toEqual(eventsBefore);
    const [row] = await getDb().select().from(schema.singleUseTokens);
    expect(row).toMatchObject({ usedAt: null, invalidatedAt: null });

    // A fresh token still works.
    const fresh = await issueSetupToken();
    expect((await completeSetup({ token: fresh!.token, email: 'late@example.com', name: 'Late', password: PASSWORD }, CLIENT)).ok).toBe(true);
  });

  it('refuses an unknown token', async () => {
    await issueSetupToken();
    const eventsBefore = await allEvents();
    expect(await inspectSetupToken('not-a-real-token-at-all')).toBe('unknown');
    expect(await completeSetup({ token: 'not-a-real-token-at-all', email: 'x@example.com', name: 'X', password: PASSWORD }, CLIENT)).toEqual({
      ok: false,
      state: 'unknown',
    });
    expect(await countAdmins()).toBe(0);
    expect(await allEvents()).toEqual(eventsBefore);
  });

  it('refuses a too-short password before using the token', async () => {
    const issued = await issueSetupToken();
    const attempt = completeSetup({ token: issued!.token, email: 'owner@example.com', name: 'Owner', password: 'short' }, CLIENT);
    await expect(attempt).rejects.toBeInstanceOf(AdminInputError);
    await expect(attempt).rejects.toMatchObject({ field: 'password', message: 'Use at least 12 characters (this has 5).' });
    expect(await countAdmins()).toBe(0);
    expect(await inspectSetupToken(issued!.token)).toBe('valid');
  });

  it('creates exactly one admin when two setups race with two valid tokens', async () => {
    const a = await issueSetupToken();
    const b = await issueSetupToken();
    const results = await Promise.all([
      completeSetup({ token: a!.token, email: 'alpha@example.com', name: 'Alpha', password: PASSWORD }, CLIENT),
      completeSetup({ token: b!.token, email: 'bravo@example.com', name: 'Bravo', password: PASSWORD }, CLIENT),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, state: 'closed' }]);
    expect(await countAdmins()).toBe(1);
    expect(kinds(await allEvents()).filter((k) => k === 'Admin/Setup Completed')).toHaveLength(1);
  });
});

describe('upsertAdmin', () => {
  it('creates an admin with a Created event', async () => {
    const result = await upsertAdmin({ email: 'ops@example.com', password: PASSWORD, name: 'Ops' });
    expect(result).toEqual({ id: expect.any(String), created: true, passwordChanged: true });
    const [admin] = await allAdmins();
    expect(admin).toMatchObject({ id: result.id, email: 'ops@example.com', name: 'Ops', sessionVersion: 1 });
    expect(await allEvents()).toEqual([
      expect.objectContaining({ type: 'Admin', subType: 'Created', actorType: 'system', details: { adminId: result.id, email: 'ops@example.com' } }),
    ]);
    // An admin exists, so setup is closed.
    expect(await issueSetupToken()).toBeUndefined();
  });

  it('is idempotent with the same password', async () => {
    const first = await upsertAdmin({ email: 'ops@example.com', password: PASSWORD });
    const [before] = await allAdmins();
    const eventCount = (await allEvents()).length;

    const again = await upsertAdmin({ email: 'OPS@example.com', password: PASSWORD });
    expect(again).toEqual({ id: first.id, created: false, passwordChanged: false });
    const admins = await allAdmins();
    expect(admins).toHaveLength(1);
    expect(admins[0]).toEqual(before);
    expect((await allEvents()).length).toBe(eventCount);
  });

  it('changing the password bumps the session version, ends sessions and writes an Updated event', async () => {
    const { id } = await upsertAdmin({ email: 'ops@example.com', password: PASSWORD });
    const sessionId = await createSession(getDb(), { realm: 'admin', principalId: id, sessionVersion: 1, ip: null, userAgent: null });
    const claims = { realm: 'admin' as const, principalId: id, sessionId, sessionVersion: 1 };
    expect((await validateSession(claims, 'admin')).ok).toBe(true);

    const newPassword = 'a-brand-new-password-99';
    const result = await upsertAdmin({ email: 'ops@example.com', password: newPassword });
    expect(result).toEqual({ id, created: false, passwordChanged: true });

    const [admin] = await getDb().select().from(schema.admins).where(eq(schema.admins.id, id));
    expect(admin!.sessionVersion).toBe(2);
    expect(await verifyPassword(admin!.passwordHash, newPassword)).toBe(true);
    expect(await verifyPassword(admin!.passwordHash, PASSWORD)).toBe(false);
    expect(await validateSession(claims, 'admin')).toEqual({ ok: false, problem: 'revoked' });

    const events = await allEvents();
    expect(kinds(events)).toEqual(['Admin/Created', 'Admin/Updated']);
    expect(events[1]).toMatchObject({ actorType: 'system', details: { adminId: id, email: 'ops@example.com', changed: ['password'] } });
    expect(JSON.stringify(events)).not.toContain(newPassword);
  });

  it('refuses bad input and writes nothing', async () => {
    await expect(upsertAdmin({ email: 'not-an-email', password: PASSWORD })).rejects.toMatchObject({
      name: 'AdminInputError',
      field: 'email',
    });
    const short = upsertAdmin({ email: 'ops@example.com', password: 'elevenchars' });
    await expect(short).rejects.toBeInstanceOf(AdminInputError);
    await expect(short).rejects.toMatchObject({ field: 'password' });
    expect(await countAdmins()).toBe(0);
    expect(await allEvents()).toEqual([]);
  });
});
