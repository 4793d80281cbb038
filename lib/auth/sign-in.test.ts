import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { insertTestAdmin, insertTestUser } from '@/lib/testing/factories';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '@/db/client';
import { advanceClock, resetClock, setClock } from '@/lib/clock';
import { getDb } from '@/lib/db';
import { hashPassword } from '@/lib/passwords';
import { incrementCounter } from '@/lib/rate-limit';
import { validateSession } from './sessions';
import { ACCOUNT_FAILURE_LIMIT, IP_FAILURE_LIMIT, SIGN_IN_WINDOW_SECONDS, SignInFailure, verifySignIn } from './sign-in';
import type { SignInErrorCode } from './types';

const PASSWORD = 'Sw0rdfish-&-Tulips-9413';
let passwordHash: string;

beforeAll(async () => {
  passwordHash = await hashPassword(PASSWORD);
});

beforeEach(() => {
  // Ten seconds into a 15-minute window, so window arithmetic is predictable.
  setClock(new Date('2030-03-04T08:00:10.000Z'));
});

afterEach(() => {
  resetClock();
});

let ipCounter = 0;
/** A fresh client per call, so the per-IP counter of one test never affects another. */
function client(userAgent = 'Mozilla/5.0 (vitest)') {
  ipCounter += 1;
  return { ip: `198.51.100.${ipCounter}`, userAgent };
}



/** The SignInFailure a sign-in rejects with (fails the test when it succeeds). */
async function failure(attempt: Promise<unknown>): Promise<SignInFailure> {
  const error = await attempt.then(
    () => {
      throw new Error('expected the sign-in to fail');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SignInFailure);
  return error as SignInFailure;
}

async function expectFailure(attempt: Promise<unknown>, code: SignInErrorCode) {
  const error = await failure(attempt);
  expect(error.code).toBe(code);
  return error;
}

const allEvents = () => getDb().select().from(schema.events).orderBy(schema.events.id);
const allSessions = () => getDb().select().from(schema.authSessions);

async function eventsSince(id: number) {
  return (await allEvents()).filter((e) => e.id > id);
}
async function lastEventId() {
  const rows = await allEvents();
  return rows.at(-1)?.id ?? 0;
}
async function sessionsOf(principalId: string) {
  return getDb().select().from(schema.authSessions).where(eq(schema.authSessions.principalId, principalId));
}

describe('verifySignIn: success', () => {
  it('signs a user in by email, case-insensitively, with a session row and a success event', async () => {
    const user = await insertTestUser({ passwordHash });
    const who = client();
    const before = await lastEventId();

    const claims = await verifySignIn('user', `  ${user.email.toUpperCase()} `, PASSWORD, who);

    expect(claims).toEqual({ realm: 'user', principalId: user.id, sessionId: expect.any(String), sessionVersion: 1, mfaState: 'none' });
    const sessions = await sessionsOf(user.id);
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ id: claims.sessionId, realm: 'user', ip: who.ip, userAgent: who.userAgent, revokedAt: null });
    expect((await validateSession(claims, 'user')).ok).toBe(true);

    const events = await eventsSince(before);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'Authentication',
      subType: 'User Sign-In',
      outcome: 'success',
      actorType: 'user',
      actorId: user.id,
      actorLabel: user.email,
      subjectUserId: user.id,
      ip: who.ip,
      userAgent: who.userAgent,
      details: { sessionId: claims.sessionId },
    });

    const [after] = await getDb().select().from(schema.users).where(eq(schema.users.id, user.id));
    expect(after!.lastSignInAt).toEqual(new Date('2030-03-04T08:00:10.000Z'));
  });

  it('signs a user in by username, case-insensitively', async () => {
    const user = await insertTestUser({ passwordHash });
    const claims = await verifySignIn('user', user.username.toLowerCase(), PASSWORD, client());
    expect(claims.principalId).toBe(user.id);
    const again = await verifySignIn('user', user.username.toUpperCase(), PASSWORD, client());
    expect(again.principalId).toBe(user.id);
    expect(again.sessionId).not.toBe(claims.sessionId);
    expect(await sessionsOf(user.id)).toHaveLength(2);
  });

  it('signs an admin in by email, with an Admin Sign-In event', async () => {
    const admin = await insertTestAdmin({ passwordHash });
    const who = client('AdminBrowser/1.0');
    const before = await lastEventId();

    const claims = await verifySignIn('admin', admin.email.toLowerCase(), PASSWORD, who);

    expect(claims).toEqual({ realm: 'admin', principalId: admin.id, sessionId: expect.any(String), sessionVersion: 1, mfaState: 'none' });
    expect((await validateSession(claims, 'admin')).ok).toBe(true);
    expect(await sessionsOf(admin.id)).toEqual([expect.objectContaining({ realm: 'admin', ip: who.ip, userAgent: 'AdminBrowser/1.0' })]);
    const events = await eventsSince(before);
    expect(events).toEqual([
      expect.objectContaining({
        type: 'Authentication',
        subType: 'Admin Sign-In',
        outcome: 'success',
        actorType: 'admin',
        actorId: admin.id,
        subjectUserId: null,
        ip: who.ip,
        userAgent: 'AdminBrowser/1.0',
        details: { sessionId: claims.sessionId },
      }),
    ]);
    const [after] = await getDb().select().from(schema.admins).where(eq(schema.admins.id, admin.id));
    expect(after!.lastSignInAt).not.toBeNull();
  });

  it('keeps the realms apart: a user cannot sign in as admin and the other way round', async () => {
    const user = await insertTestUser({ passwordHash });
    const admin = await insertTestAdmin({ passwordHash });
    await expectFailure(verifySignIn('admin', user.email, PASSWORD, client()), 'invalid');
    await expectFailure(verifySignIn('user', admin.email, PASSWORD, client()), 'invalid');
  });
});

describe('verifySignIn: failures', () => {
  it('refuses a wrong password with a failure event and writes nothing else', async () => {
    const user = await insertTestUser({ passwordHash });
    const who = client();
    const before = await lastEventId();
    const sessionsBefore = (await allSessions()).length;

    const error = await expectFailure(verifySignIn('user', user.email, 'wrong password entirely', who), 'invalid');
    expect(error.retryAfterSeconds).toBeUndefined();

    expect((await allSessions()).length).toBe(sessionsBefore);
    const events = await eventsSince(before);
    expect(events).toEqual([
      expect.objectContaining({
        type: 'Authentication',
        subType: 'User Sign-In',
        outcome: 'failure',
        actorType: 'anonymous',
        actorId: null,
        actorLabel: user.email,
        subjectUserId: user.id,
        ip: who.ip,
        userAgent: who.userAgent,
        details: { reason: 'invalid' },
      }),
    ]);
    const [after] = await getDb().select().from(schema.users).where(eq(schema.users.id, user.id));
    expect(after!.lastSignInAt).toBeNull();
  });

  it('refuses an admin wrong password with an Admin Sign-In failure event', async () => {
    const admin = await insertTestAdmin({ passwordHash });
    const before = await lastEventId();
    await expectFailure(verifySignIn('admin', admin.email, 'not the password', client()), 'invalid');
    expect(await sessionsOf(admin.id)).toHaveLength(0);
    expect(await eventsSince(before)).toEqual([
      expect.objectContaining({
        subType: 'Admin Sign-In',
        outcome: 'failure',
        subjectUserId: null,
        details: { reason: 'invalid', adminId: admin.id },
      }),
    ]);
  });

  it('refuses an unknown account the same way', async () => {
    const before = await lastEventId();
    await expectFailure(verifySignIn('user', 'nobody@example.com', PASSWORD, client()), 'invalid');
    await expectFailure(verifySignIn('admin', 'nobody@example.com', PASSWORD, client()), 'invalid');
    const events = await eventsSince(before);
    expect(events.map((e) => [e.subType, e.outcome, e.subjectUserId, e.details])).toEqual([
      ['User Sign-In', 'failure', null, { reason: 'invalid' }],
      ['Admin Sign-In', 'failure', null, { reason: 'invalid' }],
    ]);
  });

  it('does not record an unknown identifier that is not an email (it may be a mistyped password)', async () => {
    const before = await lastEventId();
    await expectFailure(verifySignIn('user', 'hunter2-oops-wrong-field', 'x', client()), 'invalid');
    const [event] = await eventsSince(before);
    expect(event!.actorLabel).toBeNull();
    expect(JSON.stringify(event)).not.toContain('hunter2-oops-wrong-field');
  });

  it('refuses a disabled user even with the right password', async () => {
    const user = await insertTestUser({ passwordHash, status: 'disabled' });
    const before = await lastEventId();
    await expectFailure(verifySignIn('user', user.email, PASSWORD, client()), 'disabled');
    expect(await sessionsOf(user.id)).toHaveLength(0);
    expect(await eventsSince(before)).toEqual([
      expect.objectContaining({ outcome: 'failure', subjectUserId: user.id, details: { reason: 'disabled' } }),
    ]);
    // A wrong password for a disabled user reads as invalid (it reveals nothing).
    await expectFailure(verifySignIn('user', user.email, 'not the password', client()), 'invalid');
  });

  it('refuses an invited user who has no password yet', async () => {
    const user = await insertTestUser({ status: 'invited', passwordHash: null });
    await expectFailure(verifySignIn('user', user.email, PASSWORD, client()), 'invalid');
    await expectFailure(verifySignIn('user', user.email, '', client()), 'invalid');
    expect(await sessionsOf(user.id)).toHaveLength(0);
  });
});

describe('verifySignIn: limits', () => {
  it(`locks the account after ${ACCOUNT_FAILURE_LIMIT} failures, whichever identifier was used, until the window passes`, async () => {
    const user = await insertTestUser({ passwordHash });
    const bystander = await insertTestUser({ passwordHash });
    const identifiers = [user.email, user.email.toUpperCase(), user.username, ` ${user.username.toLowerCase()} `];
    // Parallel so the growing per-failure delay (capped at 2 s) is paid once, not ten times.
    const failures = await Promise.all(
      Array.from({ length: ACCOUNT_FAILURE_LIMIT }, (_, i) =>
        failure(verifySignIn('user', identifiers[i % identifiers.length]!, `wrong-${i}`, client())),
      ),
    );
    expect(failures.map((f) => f.code)).toEqual(Array(ACCOUNT_FAILURE_LIMIT).fill('invalid'));

    const before = await lastEventId();
    for (const identifier of [user.email, user.username]) {
      const locked = await expectFailure(verifySignIn('user', identifier, PASSWORD, client()), 'locked');
      expect(locked.retryAfterSeconds).toBe(SIGN_IN_WINDOW_SECONDS - 10);
    }
    expect(await sessionsOf(user.id)).toHaveLength(0);
    expect((await eventsSince(before)).map((e) => [e.outcome, e.subjectUserId, e.details])).toEqual([
      ['failure', user.id, { reason: 'locked' }],
      ['failure', user.id, { reason: 'locked' }],
    ]);

    // Other accounts are unaffected.
    expect((await verifySignIn('user', bystander.email, PASSWORD, client())).principalId).toBe(bystander.id);

    // Still locked just before the window ends...
    advanceClock((SIGN_IN_WINDOW_SECONDS - 11) * 1000);
    const late = await expectFailure(verifySignIn('user', user.email, PASSWORD, client()), 'locked');
    expect(late.retryAfterSeconds).toBe(1);
    // ...and open again once it has.
    advanceClock(1000);
    const claims = await verifySignIn('user', user.email, PASSWORD, client());
    expect(claims.principalId).toBe(user.id);
  });

  it('refuses every attempt from an IP over its failure limit, while other IPs still work', async () => {
    const user = await insertTestUser({ passwordHash });
    const noisy = client();
    await Promise.all(
      Array.from({ length: IP_FAILURE_LIMIT }, () => incrementCounter(`signin:ip:${noisy.ip}`, SIGN_IN_WINDOW_SECONDS)),
    );
    const before = await lastEventId();
    const limited = await expectFailure(verifySignIn('user', user.email, PASSWORD, noisy), 'rate_limited');
    expect(limited.retryAfterSeconds).toBe(SIGN_IN_WINDOW_SECONDS - 10);
    await expectFailure(verifySignIn('user', 'nobody@example.com', 'x', noisy), 'rate_limited');
    expect(await sessionsOf(user.id)).toHaveLength(0);
    const events = await eventsSince(before);
    expect(events.map((e) => [e.outcome, e.ip, e.details])).toEqual([
      ['failure', noisy.ip, { reason: 'rate_limited' }],
      ['failure', noisy.ip, { reason: 'rate_limited' }],
    ]);

    expect((await verifySignIn('user', user.email, PASSWORD, client())).principalId).toBe(user.id);

    // The next window lets the IP in again.
    advanceClock(SIGN_IN_WINDOW_SECONDS * 1000);
    expect((await verifySignIn('user', user.email, PASSWORD, noisy)).principalId).toBe(user.id);
  });

  it('counts failures per IP across accounts', async () => {
    const who = client();
    await Promise.all(
      Array.from({ length: IP_FAILURE_LIMIT - 1 }, () => incrementCounter(`signin:ip:${who.ip}`, SIGN_IN_WINDOW_SECONDS)),
    );
    const user = await insertTestUser({ passwordHash });
    // One more real failure (for an unrelated, unknown account) reaches the limit.
    await expectFailure(verifySignIn('user', `ghost-${ipCounter}@example.com`, 'x', who), 'invalid');
    await expectFailure(verifySignIn('user', user.email, PASSWORD, who), 'rate_limited');
  });
});

describe('verifySignIn: events', () => {
  it('never stores the password', async () => {
    const secret = `Unmistakable-${randomBytes(6).toString('hex')}`;
    const user = await insertTestUser({ passwordHash: await hashPassword(secret) });
    const admin = await insertTestAdmin({ passwordHash });
    const disabled = await insertTestUser({ status: 'disabled', passwordHash: await hashPassword(secret) });
    await verifySignIn('user', user.email, secret, client());
    await verifySignIn('user', user.username, secret, client());
    await expectFailure(verifySignIn('user', disabled.email, secret, client()), 'disabled');
    await expectFailure(verifySignIn('admin', admin.email, secret, client()), 'invalid');
    await expectFailure(verifySignIn('user', 'nobody@example.com', secret, client()), 'invalid');
    await expectFailure(verifySignIn('user', 'nobody', secret, client()), 'invalid');

    const events = await allEvents();
    expect(events.length).toBeGreaterThanOrEqual(6);
    expect(JSON.stringify(events)).not.toContain(secret);
    const sessions = await allSessions();
    expect(JSON.stringify(sessions)).not.toContain(secret);
  });
});
