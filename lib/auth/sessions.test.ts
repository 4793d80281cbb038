import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { insertTestAdmin, insertTestUser } from '@/lib/testing/factories';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '@/db/client';
import { advanceClock, resetClock, setClock } from '@/lib/clock';
import { getDb } from '@/lib/db';
import {
  createSession,
  revokeAllSessions,
  revokeSession,
  SESSION_ABSOLUTE_SECONDS,
  SESSION_IDLE_SECONDS,
  validateSession,
} from './sessions';
import type { Realm, SessionClaims } from './types';

const MINUTE = 60_000;



async function signedIn(realm: Realm, principal: { id: string; sessionVersion: number }): Promise<SessionClaims> {
  const sessionId = await createSession(getDb(), {
    realm,
    principalId: principal.id,
    sessionVersion: principal.sessionVersion,
    ip: '203.0.113.9',
    userAgent: 'vitest',
  });
  return { realm, principalId: principal.id, sessionId, sessionVersion: principal.sessionVersion };
}

async function sessionRow(id: string) {
  const [row] = await getDb().select().from(schema.authSessions).where(eq(schema.authSessions.id, id));
  return row!;
}

beforeEach(() => {
  setClock(new Date('2030-03-04T08:00:00.000Z'));
});

afterEach(() => {
  resetClock();
});

describe('sessions', () => {
  it('creates a session row that validates to the principal', async () => {
    const user = await insertTestUser();
    const claims = await signedIn('user', user);
    const row = await sessionRow(claims.sessionId);
    expect(row).toMatchObject({ realm: 'user', principalId: user.id, sessionVersion: 1, ip: '203.0.113.9', userAgent: 'vitest', revokedAt: null });
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(SESSION_ABSOLUTE_SECONDS * 1000);

    expect(await validateSession(claims, 'user')).toEqual({
      ok: true,
      principal: {
        realm: 'user',
        id: user.id,
        email: user.email,
        username: user.username,
        firstName: 'Ada',
        lastName: 'Lovelace',
        sessionId: claims.sessionId,
        mfaState: 'none',
      },
    });
    // No realm expectation: any realm is accepted.
    expect((await validateSession(claims)).ok).toBe(true);
  });

  it('validates an admin session', async () => {
    const admin = await insertTestAdmin();
    const claims = await signedIn('admin', admin);
    expect(await validateSession(claims, 'admin')).toEqual({
      ok: true,
      principal: { realm: 'admin', id: admin.id, email: admin.email, name: 'Grace', sessionId: claims.sessionId },
    });
  });

  it('refuses missing claims and unknown sessions', async () => {
    const user = await insertTestUser();
    const claims = await signedIn('user', user);
    expect(await validateSession(undefined)).toEqual({ ok: false, problem: 'missing' });
    expect(await validateSession({ ...claims, sessionId: '' })).toEqual({ ok: false, problem: 'missing' });
    expect(await validateSession({ ...claims, sessionId: randomUUID() })).toEqual({ ok: false, problem: 'missing' });
    // A session id that belongs to someone else is not enough.
    const other = await insertTestUser();
    expect(await validateSession({ ...claims, principalId: other.id })).toEqual({ ok: false, problem: 'missing' });
    // Claims that name the wrong realm for the row do not match it either.
    expect(await validateSession({ ...claims, realm: 'admin' })).toEqual({ ok: false, problem: 'missing' });
  });

  it('refuses a session of the wrong realm', async () => {
    const admin = await insertTestAdmin();
    const adminClaims = await signedIn('admin', admin);
    expect(await validateSession(adminClaims, 'user')).toEqual({ ok: false, problem: 'wrong-realm' });
    const user = await insertTestUser();
    const userClaims = await signedIn('user', user);
    expect(await validateSession(userClaims, 'admin')).toEqual({ ok: false, problem: 'wrong-realm' });
  });

  it('revokeAllSessions ends every session of the principal by bumping its version', async () => {
    const user = await insertTestUser();
    const bystander = await insertTestUser();
    const a = await signedIn('user', user);
    const b = await signedIn('user', user);
    const c = await signedIn('user', bystander);

    await revokeAllSessions(getDb(), 'user', user.id);

    expect(await validateSession(a, 'user')).toEqual({ ok: false, problem: 'revoked' });
    expect(await validateSession(b, 'user')).toEqual({ ok: false, problem: 'revoked' });
    expect((await validateSession(c, 'user')).ok).toBe(true);
    const [after] = await getDb().select().from(schema.users).where(eq(schema.users.id, user.id));
    expect(after!.sessionVersion).toBe(user.sessionVersion + 1);
    expect((await sessionRow(a.sessionId)).revokedAt).toEqual(new Date('2030-03-04T08:00:00.000Z'));

    // A new sign-in carries the new version and works.
    const fresh = await signedIn('user', after!);
    expect((await validateSession(fresh, 'user')).ok).toBe(true);
  });

  it('refuses claims with a stale session version even when the row was not revoked', async () => {
    const user = await insertTestUser();
    const claims = await signedIn('user', user);
    // Bump the version only (as if the row update had been missed).
    await getDb().update(schema.users).set({ sessionVersion: 2 }).where(eq(schema.users.id, user.id));
    expect((await sessionRow(claims.sessionId)).revokedAt).toBeNull();
    expect(await validateSession(claims, 'user')).toEqual({ ok: false, problem: 'revoked' });

    // Claims whose version disagrees with the row are refused too.
    const current = await signedIn('user', { id: user.id, sessionVersion: 2 });
    expect((await validateSession(current, 'user')).ok).toBe(true);
    expect(await validateSession({ ...current, sessionVersion: 1 }, 'user')).toEqual({ ok: false, problem: 'revoked' });
    expect(await validateSession({ ...current, sessionVersion: 3 }, 'user')).toEqual({ ok: false, problem: 'revoked' });
  });

  it('refuses the session of a disabled user, and of a deleted one', async () => {
    const user = await insertTestUser();
    const claims = await signedIn('user', user);
    await getDb().update(schema.users).set({ status: 'disabled' }).where(eq(schema.users.id, user.id));
    expect(await validateSession(claims, 'user')).toEqual({ ok: false, problem: 'disabled' });
    await getDb().update(schema.users).set({ status: 'active' }).where(eq(schema.users.id, user.id));
    expect((await validateSession(claims, 'user')).ok).toBe(true);

    await getDb().delete(schema.users).where(eq(schema.users.id, user.id));
    expect(await validateSession(claims, 'user')).toEqual({ ok: false, problem: 'missing' });
  });

  it('revokeSession ends one session and leaves the others of the same user', async () => {
    const user = await insertTestUser();
    const laptop = await signedIn('user', user);
    const phone = await signedIn('user', user);
    await revokeSession(laptop.sessionId);
    expect(await validateSession(laptop, 'user')).toEqual({ ok: false, problem: 'revoked' });
    expect((await validateSession(phone, 'user')).ok).toBe(true);

    // Revoking again keeps the first revocation time.
    const revokedAt = (await sessionRow(laptop.sessionId)).revokedAt;
    advanceClock(5 * MINUTE);
    await revokeSession(laptop.sessionId);
    expect((await sessionRow(laptop.sessionId)).revokedAt).toEqual(revokedAt);
  });

  it('times out after 30 idle minutes', async () => {
    const user = await insertTestUser();
    const claims = await signedIn('user', user);
    advanceClock(SESSION_IDLE_SECONDS * 1000);
    expect((await validateSession(claims, 'user')).ok).toBe(true);

    const other = await signedIn('user', user);
    advanceClock(31 * MINUTE);
    expect(await validateSession(other, 'user')).toEqual({ ok: false, problem: 'idle' });
  });

  it('stays alive with activity every 20 minutes until the 12-hour limit', async () => {
    const user = await insertTestUser();
    const claims = await signedIn('user', user);
    const start = (await sessionRow(claims.sessionId)).createdAt.getTime();

    let elapsed = 0;
    while (elapsed + 20 * MINUTE < SESSION_ABSOLUTE_SECONDS * 1000) {
      advanceClock(20 * MINUTE);
      elapsed += 20 * MINUTE;
      expect(await validateSession(claims, 'user'), `after ${elapsed / MINUTE} minutes`).toMatchObject({ ok: true });
      // Each check touched last_seen_at.
      expect((await sessionRow(claims.sessionId)).lastSeenAt.getTime()).toBe(start + elapsed);
    }
    expect(elapsed).toBe(SESSION_ABSOLUTE_SECONDS * 1000 - 20 * MINUTE);

    advanceClock(20 * MINUTE);
    expect(await validateSession(claims, 'user')).toEqual({ ok: false, problem: 'expired' });
  });

  it('touches last_seen_at at most once a minute', async () => {
    const user = await insertTestUser();
    const claims = await signedIn('user', user);
    const created = (await sessionRow(claims.sessionId)).lastSeenAt.getTime();

    advanceClock(30_000);
    expect((await validateSession(claims, 'user')).ok).toBe(true);
    expect((await sessionRow(claims.sessionId)).lastSeenAt.getTime()).toBe(created);

    advanceClock(40_000);
    expect((await validateSession(claims, 'user')).ok).toBe(true);
    expect((await sessionRow(claims.sessionId)).lastSeenAt.getTime()).toBe(created + 70_000);
  });
});
